#include "admin/AdminCli.h"

#include "DataDirectory.h"
#include "RandomId.h"
#include "ServerConfig.h"
#include "StorageBackend.h"
#include "admin/DataTransfer.h"
#include "auth/PasswordHasher.h"
#include "hub/ChannelFrameHandler.h"
#include "store/ChannelEvents.h"

#include <QDir>
#include <QRegularExpression>

#include <cstdio>
#include <termios.h>
#include <unistd.h>

namespace Natter::Server {

namespace {
bool validName(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$"));
    return re.match(name).hasMatch();
}
} // namespace

AdminCli::AdminCli(const ServerConfig &config, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_out(stdout)
    , m_err(stderr)
{ }

AdminCli::~AdminCli()
{
    if (m_store)
        m_store->close();
}

bool AdminCli::isAdminCommand(const QStringList &positional)
{
    return !positional.isEmpty()
        && (positional.first() == u"user" || positional.first() == u"channel"
            || positional.first() == u"migrate" || positional.first() == u"import"
            || positional.first() == u"export");
}

int AdminCli::fail(const QString &message)
{
    m_err << "natterd: " << message << Qt::endl;
    return 1;
}

int AdminCli::run(const QStringList &args, const QString &displayName, const QString &members,
                  bool admin)
{
    QString error;
    if ((args.value(0) == u"import" || args.value(0) == u"export") && args.size() == 1) {
        if (!DataTransfer::run(m_config, args.value(0) == u"import", m_out, &error))
            return fail(tr("%1 failed: %2").arg(args.value(0), error));
        m_out << tr("%1 done").arg(args.value(0)) << Qt::endl;
        return 0;
    }
    // The same storage flags as the server (--postgres ...), so the admin
    // commands work against every node's shared database.
    m_store = StorageBackend::open(m_config, &error);
    if (!m_store)
        return fail(tr("cannot open the database: %1").arg(error));

    const QString group = args.value(0);
    const QString verb = args.value(1);
    const auto need = [&](int n) {
        return args.size() == n;
    };
    int rc = -1;
    if (group == u"migrate" && need(1)) {
        // Opening the store created or upgraded its schema (§ issue 16: run it
        // once before starting upgraded nodes; they would migrate too).
        m_out << tr("the %1 schema is up to date").arg(StorageBackend::name(m_config)) << Qt::endl;
        rc = 0;
    } else if (group == u"user" && verb == u"add" && need(3))
        rc = userAdd(args[2], displayName, admin);
    else if (group == u"user" && verb == u"list" && need(2))
        rc = userList();
    else if (group == u"user" && verb == u"passwd" && need(3))
        rc = userPasswd(args[2]);
    else if (group == u"user" && (verb == u"promote" || verb == u"demote") && need(3))
        rc = userSetAdmin(args[2], verb == u"promote");
    else if (group == u"user" && verb == u"disable" && need(3))
        rc = userDisable(args[2]);
    else if (group == u"channel" && verb == u"add" && need(3))
        rc = channelAdd(args[2], members);
    else if (group == u"channel" && verb == u"list" && need(2))
        rc = channelList();
    else if (group == u"channel" && (verb == u"join" || verb == u"leave") && need(4))
        rc = channelJoin(args[2], args[3], verb == u"join");
    else if (group == u"channel" && (verb == u"archive" || verb == u"unarchive") && need(3))
        rc = channelArchive(args[2], verb == u"archive");
    else
        return fail(tr("unknown command: %1 (see --help)").arg(args.join(QLatin1Char(' '))));
    if (!m_store->flush())
        return fail(tr("could not write the database"));
    for (const QString &line : std::as_const(m_done))
        m_out << line << Qt::endl;
    return rc;
}

QByteArray AdminCli::readSecretLine(const QString &prompt)
{
    const bool tty = ::isatty(STDIN_FILENO);
    termios saved{};
    if (tty) {
        m_err << prompt << Qt::flush;
        tcgetattr(STDIN_FILENO, &saved);
        termios quiet = saved;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    QByteArray line;
    int ch;
    while ((ch = std::getchar()) != EOF && ch != '\n')
        line.append(char(ch));
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
        m_err << Qt::endl;
    }
    if (line.endsWith('\r'))
        line.chop(1);
    return line;
}

bool AdminCli::readPassword(QByteArray *password)
{
    const QByteArray first = readSecretLine(tr("Password: "));
    const QByteArray second = readSecretLine(tr("Repeat password: "));
    if (first.isEmpty()) {
        fail(tr("the password must not be empty"));
        return false;
    }
    if (first != second) {
        fail(tr("the passwords do not match"));
        return false;
    }
    *password = first;
    return true;
}

int AdminCli::userAdd(const QString &name, const QString &displayName, bool admin)
{
    if (!validName(name))
        return fail(tr("invalid username %1 (letters, digits, . _ -; at most 32)").arg(name));
    if (const auto existing = m_store->userByName(name)) {
        if (existing->username == name)
            return fail(tr("user %1 already exists").arg(name));
        return fail(tr("user %1 already exists as %2 (usernames are not case-sensitive)")
                        .arg(name, existing->username));
    }
    QByteArray password;
    if (!readPassword(&password))
        return 1;
    StoredUser user;
    user.id = RandomId::hex();
    user.username = name;
    user.displayName = displayName.isEmpty() ? name : displayName;
    user.passwordHash = PasswordHasher::hashSync(password);
    user.admin = admin;
    QString error;
    if (!m_store->addUser(user, &error))
        return fail(tr("could not add user %1: %2").arg(name, error));
    done((admin ? tr("added admin %1 (%2)") : tr("added user %1 (%2)")).arg(name, user.id));
    return 0;
}

int AdminCli::userSetAdmin(const QString &name, bool admin)
{
    const auto user = m_store->userByName(name);
    if (!user)
        return fail(tr("no user %1").arg(name));
    if (!m_store->setAdmin(user->id, admin))
        return fail(tr("could not change user %1").arg(name));
    done((admin ? tr("user %1 is now an admin") : tr("user %1 is no longer an admin")).arg(name));
    return 0;
}

int AdminCli::userList()
{
    const auto users = m_store->users({}, {}, 1000000, true);
    if (!users)
        return fail(tr("could not read the users"));
    for (const StoredUser &u : *users)
        m_out << u.username << '\t' << u.id << '\t' << u.displayName
              << (u.admin ? QStringLiteral("\tadmin") : QString())
              << (u.disabled ? QStringLiteral("\tdisabled") : QString()) << Qt::endl;
    return 0;
}

int AdminCli::userPasswd(const QString &name)
{
    const auto user = m_store->userByName(name);
    if (!user)
        return fail(tr("no user %1").arg(name));
    QByteArray password;
    if (!readPassword(&password))
        return 1;
    if (!m_store->setPassword(user->id, PasswordHasher::hashSync(password)))
        return fail(tr("could not change the password of %1").arg(name));
    done(tr("password of %1 changed").arg(name));
    return 0;
}

int AdminCli::userDisable(const QString &name)
{
    const auto user = m_store->userByName(name);
    if (!user)
        return fail(tr("no user %1").arg(name));
    if (!m_store->setDisabled(user->id, true))
        return fail(tr("could not disable user %1").arg(name));
    done(tr("user %1 disabled").arg(name));
    return 0;
}

int AdminCli::channelAdd(const QString &name, const QString &members)
{
    if (!ChannelFrameHandler::isValidName(name)) // §8, as channel_create
        return fail(tr("invalid channel name %1 (a-z, 0-9, - and _; at most 64)").arg(name));
    // §13: names are unique case-insensitively, whoever made the channel.
    if (m_store->channelByNameNoCase(name))
        return fail(tr("channel %1 already exists").arg(name));
    StoredChannel channel;
    channel.id = RandomId::hex();
    channel.name = name;
    for (const QString &member : members.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const auto user = m_store->userByName(member.trimmed());
        if (!user)
            return fail(tr("no user %1").arg(member.trimmed()));
        if (!channel.members.contains(user->id))
            channel.members << user->id;
    }
    // The same writes as `channel_create` (ChannelEvents::create): the channel,
    // its `created` system message (authored by the first member: the CLI is
    // nobody), read for the members, and the members, all or nothing
    // (ChatStore::Atomic: a channel without its members or its message was
    // left behind when a write failed half-way). natterd's MembershipWatcher
    // notices them and tells the members online: a `channel` frame, then the
    // channel's trailing system messages.
    ChatStore::Atomic atomic(*m_store);
    if (!atomic.ok())
        return fail(tr("could not write the database"));
    QString error;
    const QString actor = channel.members.value(0); // as listed; "" without members
    channel.members.sort();
    StoredChannel bare = channel;
    bare.members.clear();
    if (!m_store->addChannel(bare, &error))
        return fail(tr("could not add channel %1: %2").arg(name, error));
    QStringList others = channel.members;
    others.removeAll(actor);
    const auto created = ChannelEvents::record(m_store.get(), channel.id, actor,
                                               ChannelEvents::kCreated, others, channel.name);
    if (!created)
        return fail(tr("could not write the database"));
    for (const QString &member : std::as_const(channel.members)) {
        if (!m_store->addMember(channel.id, member)
            || !m_store->setLastReadSeq(channel.id, member, created->seq))
            return fail(tr("could not write the database"));
    }
    if (!atomic.commit())
        return fail(tr("could not write the database"));
    done(tr("added channel %1 (%2)").arg(name, channel.id));
    return 0;
}

int AdminCli::channelList()
{
    const auto channels = m_store->allChannels();
    if (!channels)
        return fail(tr("could not read the channels"));
    for (const StoredChannel &c : *channels) {
        QStringList names;
        for (const QString &id : c.members) {
            const auto u = m_store->userById(id);
            names << (u ? u->username : id);
        }
        names.sort();
        m_out << c.name << '\t' << c.id << '\t'
              << (c.direct ? QStringLiteral("direct") : QStringLiteral("channel")) << '\t'
              << names.join(QLatin1Char(','))
              << (c.archived ? QStringLiteral("\tarchived") : QString()) << Qt::endl;
    }
    return 0;
}

int AdminCli::channelJoin(const QString &name, const QString &userName, bool join)
{
    const auto channel = m_store->channelByName(name);
    if (!channel)
        return fail(tr("no channel %1").arg(name));
    const auto user = m_store->userByName(userName);
    if (!user)
        return fail(tr("no user %1").arg(userName));
    if (channel->members.contains(user->id) == join)
        return fail(join ? tr("%1 is already in %2").arg(userName, name)
                         : tr("%1 is not in %2").arg(userName, name));
    // The same writes as the `join`/`leave` frames (ChannelEvents::add and
    // remove): the system message `joined`/`left` and the membership, both or
    // neither (ChatStore::Atomic). natterd's MembershipWatcher notices the
    // membership and tells the live clients: channel frames, then the
    // channel's trailing system messages.
    ChatStore::Atomic atomic(*m_store);
    if (!atomic.ok()
        || !ChannelEvents::record(m_store.get(), channel->id, user->id,
                                  join ? ChannelEvents::kJoined : ChannelEvents::kLeft,
                                  QStringList{user->id})
        || !(join ? m_store->addMember(channel->id, user->id)
                  : m_store->removeMember(channel->id, user->id))
        || !atomic.commit())
        return fail(tr("could not change channel %1").arg(name));
    done((join ? tr("%1 joined %2") : tr("%1 left %2")).arg(userName, name));
    return 0;
}

int AdminCli::channelArchive(const QString &name, bool archived)
{
    const auto channel = m_store->channelByName(name);
    if (channel.failed())
        return fail(tr("could not read the channels"));
    if (!channel) {
        // A direct conversation has a name in `channel list` ("alice, bob"),
        // but §13: archived direct channels do not exist.
        const auto all = m_store->allChannels();
        if (all.failed())
            return fail(tr("could not read the channels"));
        for (const StoredChannel &c : *all) {
            if (c.direct && c.name == name)
                return fail(tr("%1 is a direct conversation, which cannot be archived").arg(name));
        }
        return fail(tr("no channel %1").arg(name));
    }
    if (channel->archived == archived)
        return fail(archived ? tr("channel %1 is already archived").arg(name)
                             : tr("channel %1 is not archived").arg(name));
    // The same writes as the `archive` frame (§8): the system message
    // `archived`/`unarchived`, whose author is nobody (the CLI is no user, as
    // for `channel add` without members), and the flag, both or neither
    // (ChatStore::Atomic). natterd's MembershipWatcher notices the flag and
    // tells the members: a `channel` frame, then the channel's trailing
    // system messages.
    ChatStore::Atomic atomic(*m_store);
    if (!atomic.ok()
        || !ChannelEvents::record(m_store.get(), channel->id, QString(),
                                  archived ? ChannelEvents::kArchived : ChannelEvents::kUnarchived)
        || !m_store->updateChannel(channel->id, channel->name, channel->topic, archived)
        || !atomic.commit())
        return fail(tr("could not change channel %1").arg(name));
    done((archived ? tr("channel %1 archived") : tr("channel %1 unarchived")).arg(name));
    return 0;
}

} // namespace Natter::Server
