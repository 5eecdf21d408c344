// CliChatTask, the §8 part: `channels --all`, `create`, `join`, `leave`,
// `invite` and `dm`. People are named by username and found in the directory
// (`/api/v1/users`) first; a channel to join is found in `/api/v1/channels`.
#include "CliChatTask.h"

#include "CliExitCode.h"
#include "auth/AuthSession.h"
#include "net/ConnectionManager.h"
#include "net/DirectoryClient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Natter {

namespace {
constexpr int kDirectoryPage = 100;

QString bareName(const QString &name)
{
    return name.startsWith(QLatin1Char('#')) || name.startsWith(QLatin1Char('@')) ? name.mid(1)
                                                                                  : name;
}
} // namespace

bool CliChatTask::isChannelCommand() const
{
    switch (m_request.command) {
    case Command::Directory:
    case Command::Create:
    case Command::Join:
    case Command::Leave:
    case Command::Invite:
    case Command::Dm:
        return true;
    default:
        return false;
    }
}

void CliChatTask::startChannelCommand()
{
    m_directory = new DirectoryClient(m_session, m_session->server().httpBase(), this);
    connect(m_directory, &DirectoryClient::failed, this,
            [this](int, const QString &why) { finish(CliExitCode::Unreachable, why); });

    if (m_request.command == Command::Directory) {
        connect(m_directory, &DirectoryClient::channelsFound, this,
                [this](int, const QList<DirectoryChannel> &channels, const QString &next) {
                    QByteArray out;
                    for (const DirectoryChannel &c : channels) {
                        if (m_request.json) {
                            out += QJsonDocument(
                                       QJsonObject{{QStringLiteral("type"),
                                                    QStringLiteral("directory_channel")},
                                                   {QStringLiteral("id"), c.id},
                                                   {QStringLiteral("name"), c.name},
                                                   {QStringLiteral("topic"), c.topic},
                                                   {QStringLiteral("member_count"), c.memberCount},
                                                   {QStringLiteral("archived"), c.archived},
                                                   {QStringLiteral("member"), c.member}})
                                       .toJson(QJsonDocument::Compact)
                                + '\n';
                            continue;
                        }
                        QStringList notes{tr("members: %1").arg(c.memberCount)};
                        if (c.member)
                            notes << tr("joined");
                        if (c.archived)
                            notes << tr("archived");
                        out += QStringLiteral("#%1\t%2\t%3\t%4")
                                   .arg(c.name, c.id, notes.join(QStringLiteral(", ")), c.topic)
                                   .toUtf8()
                            + '\n';
                    }
                    Q_EMIT output(out);
                    if (next.isEmpty())
                        finish(CliExitCode::Ok);
                    else
                        m_directory->findChannels({}, kDirectoryPage, next);
                });
        m_directory->findChannels({}, kDirectoryPage);
        return;
    }

    if (m_request.command == Command::Leave || m_request.command == Command::Invite) {
        m_targetChannel = m_formatter.resolveChannel(m_request.channel);
        if (m_targetChannel.isEmpty()) {
            finish(CliExitCode::Refused,
                   tr("You have no channel called “%1”. `natter-cli channels` lists yours.")
                       .arg(m_request.channel));
            return;
        }
    }

    if (m_request.command == Command::Join) {
        m_targetChannel = m_formatter.resolveChannel(m_request.channel);
        if (!m_targetChannel.isEmpty()) {
            sendChannelAction(); // already in it: the server answers with the channel
            return;
        }
        const QString wanted = bareName(m_request.channel);
        connect(m_directory, &DirectoryClient::channelsFound, this,
                [this, wanted](int, const QList<DirectoryChannel> &channels, const QString &) {
                    for (const DirectoryChannel &c : channels) {
                        if (c.id == wanted || c.name.compare(wanted, Qt::CaseInsensitive) == 0) {
                            m_targetChannel = c.id;
                            sendChannelAction();
                            return;
                        }
                    }
                    finish(CliExitCode::Refused,
                           tr("There is no public channel called “%1”. `natter-cli channels "
                              "--all` lists them.")
                               .arg(wanted));
                });
        m_directory->findChannels(wanted, kDirectoryPage);
        return;
    }

    // create --member, invite, dm: usernames to ids, one directory query each.
    m_userIds = QStringList(m_request.users.size(), QString());
    if (m_request.users.isEmpty()) {
        sendChannelAction();
        return;
    }
    connect(m_directory, &DirectoryClient::usersFound, this,
            [this](int, const QList<User> &users, const QString &) { onUsersFound(users); });
    for (const QString &name : std::as_const(m_request.users))
        m_directory->findUsers(bareName(name), kDirectoryPage);
}

void CliChatTask::onUsersFound(const QList<User> &users)
{
    ++m_usersAsked;
    for (int i = 0; i < m_request.users.size(); ++i) {
        for (const User &u : users) {
            if (u.username.compare(bareName(m_request.users.at(i)), Qt::CaseInsensitive) == 0)
                m_userIds[i] = u.id;
        }
    }
    if (m_usersAsked < m_request.users.size())
        return;
    for (int i = 0; i < m_userIds.size(); ++i) {
        if (m_userIds.at(i).isEmpty()) {
            finish(CliExitCode::Refused,
                   tr("There is nobody called “%1” on this server.")
                       .arg(bareName(m_request.users.at(i))));
            return;
        }
    }
    sendChannelAction();
}

void CliChatTask::sendChannelAction()
{
    switch (m_request.command) {
    case Command::Create:
        m_pending = m_connection->createChannel(bareName(m_request.channel), m_request.isPrivate,
                                                m_request.topic, m_userIds);
        break;
    case Command::Join:
        m_pending = m_connection->joinChannel(m_targetChannel);
        break;
    case Command::Leave:
        m_pending = m_connection->leaveChannel(m_targetChannel);
        break;
    case Command::Invite:
        m_pending = m_connection->inviteToChannel(m_targetChannel, m_userIds);
        break;
    case Command::Dm:
        m_pending = m_connection->openDirect(m_userIds.value(0));
        break;
    default:
        break;
    }
}

void CliChatTask::onChannelAnswer(const ChannelEvent &event)
{
    if (!isChannelCommand() || m_pending.isEmpty() || event.ref != m_pending)
        return;
    m_formatter.applyChannel(event);
    const Channel &c = event.channel;
    if (m_request.command == Command::Dm && !m_request.text.isEmpty()) {
        // `dm USER TEXT`: the conversation is there; now the message, like `send`.
        m_request.command = Command::Send;
        m_pending = m_connection->sendMessage(c.id, m_request.text);
        return;
    }
    if (m_request.json) {
        QJsonObject o{{QStringLiteral("type"), QStringLiteral("channel")},
                      {QStringLiteral("id"), c.id},
                      {QStringLiteral("name"), m_formatter.channelName(c.id)},
                      {QStringLiteral("topic"), c.topic},
                      {QStringLiteral("private"), c.visibility == ChannelVisibility::Private},
                      {QStringLiteral("archived"), c.archived},
                      {QStringLiteral("members"), QJsonArray::fromStringList(c.members)}};
        Q_EMIT output(QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n');
        finish(CliExitCode::Ok);
        return;
    }
    QString text;
    const QString name = m_formatter.channelName(c.id);
    switch (m_request.command) {
    case Command::Create:
        text = tr("Created #%1 (%2).").arg(name, c.id);
        break;
    case Command::Join:
        text = tr("You are in #%1 (%2).").arg(name, c.id);
        break;
    case Command::Invite:
        text = tr("Invited to #%1; members: %2.").arg(name).arg(c.members.size());
        break;
    case Command::Dm:
        text = tr("Direct conversation with %1: %2.").arg(name, c.id);
        break;
    default:
        break;
    }
    Q_EMIT output(text.toUtf8() + '\n');
    finish(CliExitCode::Ok);
}

void CliChatTask::onChannelRemoved(const ChannelRemovedEvent &event)
{
    if (m_request.command == Command::Listen) {
        Q_EMIT output(m_request.json
                          ? QJsonDocument(QJsonObject{{QStringLiteral("type"),
                                                       QStringLiteral("channel_removed")},
                                                      {QStringLiteral("channel"), event.channel},
                                                      {QStringLiteral("reason"), event.reason}})
                                  .toJson(QJsonDocument::Compact)
                              + '\n'
                          : tr("You are no longer in #%1.")
                                  .arg(m_formatter.channelName(event.channel))
                                  .toUtf8()
                              + '\n');
        return;
    }
    if (m_request.command != Command::Leave || event.ref != m_pending)
        return;
    if (m_request.json)
        Q_EMIT output(
            QJsonDocument(QJsonObject{{QStringLiteral("type"), QStringLiteral("channel_removed")},
                                      {QStringLiteral("channel"), event.channel},
                                      {QStringLiteral("reason"), event.reason}})
                .toJson(QJsonDocument::Compact)
            + '\n');
    else
        Q_EMIT output(tr("You left #%1.").arg(m_formatter.channelName(event.channel)).toUtf8()
                      + '\n');
    finish(CliExitCode::Ok);
}

} // namespace Natter
