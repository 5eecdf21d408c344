#include "LocalStore.h"

#include "protocol/Codec.h"
#include "util/Logging.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QUuid>

namespace Natter {
namespace {
// One entry per schema version: step i takes a file from version i to i + 1.
// Steps are only ever appended; each runs in its own transaction.
const QList<QStringList> &migrationSteps()
{
    static const QList<QStringList> steps = {
        // 0 -> 1: the outbox, the message cache, the channel list, the resume map.
        // `position` keeps the outbox in the order messages were written, which the
        // server's seq order for one sender must follow.
        {QStringLiteral("CREATE TABLE IF NOT EXISTS outbox ("
                        " position INTEGER PRIMARY KEY AUTOINCREMENT,"
                        " client_msg_id TEXT NOT NULL UNIQUE, channel TEXT NOT NULL,"
                        " text TEXT NOT NULL, created_at INTEGER NOT NULL,"
                        " state TEXT NOT NULL, error TEXT NOT NULL DEFAULT '')"),
         QStringLiteral("CREATE TABLE IF NOT EXISTS messages ("
                        " id TEXT PRIMARY KEY, channel TEXT NOT NULL,"
                        " seq INTEGER NOT NULL, author TEXT NOT NULL, text TEXT NOT NULL,"
                        " ts INTEGER, client_msg_id TEXT)"),
         QStringLiteral(
             "CREATE INDEX IF NOT EXISTS messages_channel_seq ON messages(channel, seq)"),
         QStringLiteral("CREATE TABLE IF NOT EXISTS channels ("
                        " position INTEGER NOT NULL, id TEXT PRIMARY KEY,"
                        " name TEXT NOT NULL, kind TEXT NOT NULL, members TEXT NOT NULL,"
                        " last_seq INTEGER NOT NULL, last_read_seq INTEGER NOT NULL)"),
         QStringLiteral("CREATE TABLE IF NOT EXISTS sync_state ("
                        " channel TEXT PRIMARY KEY, last_seq INTEGER NOT NULL)")},
        // 1 -> 2: §6 change model. Cached v1 messages get rev 0 (any copy from a
        // v2 server replaces them); last_ev NULL = never told by a v2 server.
        {QStringLiteral("ALTER TABLE messages ADD COLUMN kind TEXT NOT NULL DEFAULT 'user'"),
         QStringLiteral("ALTER TABLE messages ADD COLUMN rev INTEGER NOT NULL DEFAULT 0"),
         QStringLiteral("ALTER TABLE messages ADD COLUMN ev INTEGER NOT NULL DEFAULT 0"),
         QStringLiteral("ALTER TABLE messages ADD COLUMN edited_at INTEGER"),
         QStringLiteral("ALTER TABLE messages ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0"),
         QStringLiteral("ALTER TABLE messages ADD COLUMN mentions TEXT NOT NULL DEFAULT ''"),
         QStringLiteral("ALTER TABLE channels ADD COLUMN last_ev INTEGER NOT NULL DEFAULT 0"),
         QStringLiteral("ALTER TABLE sync_state ADD COLUMN last_ev INTEGER"),
         // Edits and deletes of outbox messages, sent after the message's ack.
         QStringLiteral("CREATE TABLE IF NOT EXISTS held_actions ("
                        " position INTEGER PRIMARY KEY AUTOINCREMENT,"
                        " client_msg_id TEXT NOT NULL, remove INTEGER NOT NULL,"
                        " text TEXT NOT NULL)")},
        // 2 -> 3: §7 reactions, replies, mention counts. `reply_to` and `reactions`
        // hold the protocol's own JSON (`R`, `[X...]`); '' = none. Cached messages
        // from before get none, and any newer copy (rev) brings them.
        {QStringLiteral("ALTER TABLE messages ADD COLUMN reply_to TEXT NOT NULL DEFAULT ''"),
         QStringLiteral("ALTER TABLE messages ADD COLUMN reactions TEXT NOT NULL DEFAULT ''"),
         QStringLiteral("ALTER TABLE channels ADD COLUMN mention_count INTEGER NOT NULL DEFAULT 0"),
         QStringLiteral("ALTER TABLE outbox ADD COLUMN reply_to TEXT NOT NULL DEFAULT ''")},
        // 3 -> 4: §7 system messages keep their `S` (as the protocol's JSON; '' for
        // a user's message), so they render in the user's language from the cache.
        {QStringLiteral("ALTER TABLE messages ADD COLUMN system TEXT NOT NULL DEFAULT ''")},
        // 4 -> 5: §8 what a channel is beyond its name, so a start while offline
        // shows its topic, its archived banner and its notify level as they were.
        // '' = not known yet (a row from before): the channel reads as v1 had it
        // (public or direct by its kind, no topic, not archived, notify all)
        // until the next `connected` brings the real values.
        {QStringLiteral("ALTER TABLE channels ADD COLUMN visibility TEXT NOT NULL DEFAULT ''"),
         QStringLiteral("ALTER TABLE channels ADD COLUMN topic TEXT NOT NULL DEFAULT ''"),
         QStringLiteral("ALTER TABLE channels ADD COLUMN owner TEXT NOT NULL DEFAULT ''"),
         QStringLiteral("ALTER TABLE channels ADD COLUMN archived INTEGER NOT NULL DEFAULT 0"),
         QStringLiteral("ALTER TABLE channels ADD COLUMN notify TEXT NOT NULL DEFAULT ''")},
        // 5 -> 6: §9 send.attachments of an unsent message: the uploaded files'
        // ids as a JSON array ('' = none), so a message with files waits in the
        // outbox across a restart like any other.
        {QStringLiteral("ALTER TABLE outbox ADD COLUMN attachments TEXT NOT NULL DEFAULT ''")},
        // 6 -> 7: §9 attachments (the protocol's `[F...]`; '' = none), so a message
        // shown from the cache keeps its files. Cached messages from before get
        // none; the channel's next history page brings them (same rev: refreshed).
        {QStringLiteral("ALTER TABLE messages ADD COLUMN attachments TEXT NOT NULL DEFAULT ''")},
        // 7 -> 8: what the person had typed in each channel and not sent yet,
        // and the edits, deletes and reactions sent but not answered yet (or
        // answered rate_limited), so quitting (or a crash) loses neither.
        {QStringLiteral("CREATE TABLE IF NOT EXISTS drafts ("
                        " channel TEXT PRIMARY KEY, text TEXT NOT NULL)"),
         QStringLiteral("CREATE TABLE IF NOT EXISTS pending_actions ("
                        " position INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL UNIQUE,"
                        " channel TEXT NOT NULL, message_id TEXT NOT NULL, kind TEXT NOT NULL,"
                        " text TEXT NOT NULL, on_flag INTEGER NOT NULL)")},
    };
    return steps;
}

constexpr auto kMessageColumns = "id, channel, seq, author, text, ts, client_msg_id, kind, rev,"
                                 " ev, edited_at, deleted, mentions, reply_to, reactions, system,"
                                 " attachments";

QString compactJson(const QJsonValue &value)
{
    if (value.isObject())
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    if (value.isArray())
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    return QStringLiteral("");
}

QJsonValue parsedJson(const QString &text)
{
    if (text.isEmpty())
        return {};
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8());
    return doc.isObject() ? QJsonValue(doc.object())
        : doc.isArray()   ? QJsonValue(doc.array())
                          : QJsonValue();
}

// Qt binds a null QString as SQL NULL; the columns are NOT NULL text.
QString text(const QString &value)
{
    return value.isNull() ? QStringLiteral("") : value;
}

QString stateToString(OutgoingMessage::State state)
{
    return state == OutgoingMessage::State::Failed ? QStringLiteral("failed")
                                                   : QStringLiteral("pending");
}

QString visibilityToString(ChannelVisibility visibility)
{
    switch (visibility) {
    case ChannelVisibility::Private:
        return QStringLiteral("private");
    case ChannelVisibility::Direct:
        return QStringLiteral("direct");
    case ChannelVisibility::Public:
        break;
    }
    return QStringLiteral("public");
}

// '' (a row from schema 4 or older): what a v1 channel of that kind is.
ChannelVisibility visibilityFromString(const QString &text, ChannelKind kind)
{
    if (text == u"private")
        return ChannelVisibility::Private;
    if (text == u"direct" || kind == ChannelKind::Direct)
        return ChannelVisibility::Direct;
    return ChannelVisibility::Public;
}

OutgoingMessage outgoingFrom(const QSqlQuery &q)
{
    OutgoingMessage m;
    m.clientMsgId = q.value(0).toString();
    m.channel = q.value(1).toString();
    m.text = q.value(2).toString();
    m.createdAt = QDateTime::fromMSecsSinceEpoch(q.value(3).toLongLong(), Qt::UTC);
    m.state = q.value(4).toString() == u"failed" ? OutgoingMessage::State::Failed
                                                 : OutgoingMessage::State::Pending;
    m.error = q.value(5).toString();
    m.replyTo = q.value(6).toString();
    for (const QJsonValue &id : parsedJson(q.value(7).toString()).toArray())
        m.attachments.append(id.toString());
    return m;
}
} // namespace

LocalStore::LocalStore(const QString &path, int cachedMessagesPerChannel)
    : m_path(path)
    , m_connectionName(QStringLiteral("natter-store-") + QUuid::createUuid().toString(QUuid::Id128))
    , m_cachePerChannel(qMax(1, cachedMessagesPerChannel))
{ }

LocalStore::~LocalStore()
{
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        if (db.isValid())
            db.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
}

QString LocalStore::defaultPath(const QString &profile)
{
    const QString base = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    const QString dir = base + QStringLiteral("/profiles/")
        + (profile.isEmpty() ? QStringLiteral("default") : profile);
    QDir().mkpath(dir);
    return dir + QStringLiteral("/store.sqlite");
}

bool LocalStore::isOpen() const
{
    return QSqlDatabase::database(m_connectionName, false).isOpen();
}

bool LocalStore::open()
{
    QSqlDatabase db = QSqlDatabase::contains(m_connectionName)
        ? QSqlDatabase::database(m_connectionName, false)
        : QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    if (db.isOpen())
        return true;
    if (m_path != u":memory:")
        QDir().mkpath(QFileInfo(m_path).absolutePath());
    db.setDatabaseName(m_path);
    if (!db.open()) {
        m_error = db.lastError().text();
        qCWarning(lcStore) << "cannot open the local store" << m_path << m_error;
        return false;
    }
    // WAL + NORMAL: a crash may lose the last commit's durability but never
    // corrupts the file, and each outbox write is not an fsync of its own.
    exec(QStringLiteral("PRAGMA journal_mode=WAL"));
    exec(QStringLiteral("PRAGMA synchronous=NORMAL"));
    return migrate();
}

bool LocalStore::exec(const QString &sql)
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    if (!q.exec(sql)) {
        m_error = q.lastError().text();
        qCWarning(lcStore) << "store statement failed:" << m_error;
        return false;
    }
    return true;
}

int LocalStore::schemaVersion()
{
    return int(migrationSteps().size());
}

bool LocalStore::migrate()
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    QSqlQuery q(db);
    q.exec(QStringLiteral("PRAGMA user_version"));
    const int version = q.next() ? q.value(0).toInt() : 0;
    q.finish();
    if (version > schemaVersion()) {
        // A newer build wrote this file; its additions are unknown to us but the
        // steps only ever add, so what we know is still there.
        qCWarning(lcStore) << "the local store has schema" << version << "newer than"
                           << schemaVersion();
        return true;
    }
    for (int step = version; step < schemaVersion(); ++step) {
        db.transaction();
        bool ok = true;
        for (const QString &sql : migrationSteps().at(step))
            ok = ok && exec(sql);
        ok = ok && exec(QStringLiteral("PRAGMA user_version = %1").arg(step + 1));
        if (!ok || !db.commit()) {
            db.rollback();
            qCWarning(lcStore) << "the local store could not be upgraded to schema" << step + 1;
            return false;
        }
        qCInfo(lcStore) << "local store upgraded to schema" << step + 1;
    }
    return true;
}

bool LocalStore::enqueue(const OutgoingMessage &message)
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(QStringLiteral("INSERT INTO outbox (client_msg_id, channel, text, created_at, state,"
                             " error, reply_to, attachments) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
    q.addBindValue(text(message.clientMsgId));
    q.addBindValue(text(message.channel));
    q.addBindValue(text(message.text));
    q.addBindValue(message.createdAt.toMSecsSinceEpoch());
    q.addBindValue(stateToString(message.state));
    q.addBindValue(text(message.error));
    q.addBindValue(text(message.replyTo));
    q.addBindValue(message.attachments.isEmpty()
                       ? QStringLiteral("")
                       : compactJson(QJsonArray::fromStringList(message.attachments)));
    if (!q.exec()) {
        m_error = q.lastError().text();
        qCWarning(lcStore) << "cannot add to the outbox:" << m_error;
        return false;
    }
    return true;
}

QList<OutgoingMessage> LocalStore::outbox(const QString &channel) const
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(QStringLiteral(
        "SELECT client_msg_id, channel, text, created_at, state, error,"
        " reply_to, attachments FROM outbox WHERE ? = '' OR channel = ? ORDER BY position"));
    q.addBindValue(text(channel));
    q.addBindValue(text(channel));
    QList<OutgoingMessage> result;
    if (!q.exec()) {
        m_error = q.lastError().text();
        return result;
    }
    while (q.next())
        result.append(outgoingFrom(q));
    return result;
}

std::optional<OutgoingMessage> LocalStore::outgoing(const QString &clientMsgId) const
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(QStringLiteral("SELECT client_msg_id, channel, text, created_at, state, error,"
                             " reply_to, attachments FROM outbox WHERE client_msg_id = ?"));
    q.addBindValue(text(clientMsgId));
    if (q.exec() && q.next())
        return outgoingFrom(q);
    return std::nullopt;
}

bool LocalStore::markFailed(const QString &clientMsgId, const QString &error)
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(
        QStringLiteral("UPDATE outbox SET state = 'failed', error = ? WHERE client_msg_id = ?"));
    q.addBindValue(text(error));
    q.addBindValue(text(clientMsgId));
    return q.exec() && q.numRowsAffected() > 0;
}

bool LocalStore::markPending(const QString &clientMsgId)
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(
        QStringLiteral("UPDATE outbox SET state = 'pending', error = '' WHERE client_msg_id = ?"));
    q.addBindValue(text(clientMsgId));
    return q.exec() && q.numRowsAffected() > 0;
}

bool LocalStore::remove(const QString &clientMsgId)
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(QStringLiteral("DELETE FROM outbox WHERE client_msg_id = ?"));
    q.addBindValue(text(clientMsgId));
    return q.exec() && q.numRowsAffected() > 0;
}

bool LocalStore::holdAction(const HeldAction &action)
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(
        QStringLiteral("INSERT INTO held_actions (client_msg_id, remove, text) VALUES (?, ?, ?)"));
    q.addBindValue(text(action.clientMsgId));
    q.addBindValue(action.remove ? 1 : 0);
    q.addBindValue(text(action.text));
    if (!q.exec()) {
        m_error = q.lastError().text();
        qCWarning(lcStore) << "cannot keep an edit for later:" << m_error;
        return false;
    }
    return true;
}

QList<LocalStore::HeldAction> LocalStore::heldActions() const
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    QList<HeldAction> result;
    if (!q.exec(QStringLiteral(
            "SELECT client_msg_id, remove, text FROM held_actions ORDER BY position")))
        return result;
    while (q.next())
        result.append(
            HeldAction{q.value(0).toString(), q.value(1).toInt() != 0, q.value(2).toString()});
    return result;
}

bool LocalStore::dropHeldActions(const QString &clientMsgId)
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(QStringLiteral("DELETE FROM held_actions WHERE client_msg_id = ?"));
    q.addBindValue(text(clientMsgId));
    return q.exec();
}

bool LocalStore::keepAction(const PendingAction &action)
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO pending_actions"
                             " (key, channel, message_id, kind, text, on_flag)"
                             " VALUES (?, ?, ?, ?, ?, ?)"));
    q.addBindValue(text(action.key));
    q.addBindValue(text(action.channel));
    q.addBindValue(text(action.messageId));
    q.addBindValue(text(action.kind));
    q.addBindValue(text(action.text));
    q.addBindValue(action.on ? 1 : 0);
    if (!q.exec()) {
        m_error = q.lastError().text();
        qCWarning(lcStore) << "cannot keep a change for later:" << m_error;
        return false;
    }
    return true;
}

bool LocalStore::forgetAction(const QString &key)
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(QStringLiteral("DELETE FROM pending_actions WHERE key = ?"));
    q.addBindValue(text(key));
    return q.exec();
}

QList<LocalStore::PendingAction> LocalStore::pendingActions() const
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    QList<PendingAction> result;
    if (!q.exec(QStringLiteral("SELECT key, channel, message_id, kind, text, on_flag"
                               " FROM pending_actions ORDER BY position")))
        return result;
    while (q.next())
        result.append(PendingAction{q.value(0).toString(), q.value(1).toString(),
                                    q.value(2).toString(), q.value(3).toString(),
                                    q.value(4).toString(), q.value(5).toInt() != 0});
    return result;
}

bool LocalStore::setDraft(const QString &channel, const QString &draft)
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    if (draft.isEmpty()) {
        q.prepare(QStringLiteral("DELETE FROM drafts WHERE channel = ?"));
        q.addBindValue(text(channel));
    } else {
        q.prepare(QStringLiteral("INSERT OR REPLACE INTO drafts (channel, text) VALUES (?, ?)"));
        q.addBindValue(text(channel));
        q.addBindValue(draft);
    }
    if (!q.exec()) {
        m_error = q.lastError().text();
        qCWarning(lcStore) << "cannot keep a draft:" << m_error;
        return false;
    }
    return true;
}

QHash<QString, QString> LocalStore::drafts() const
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    QHash<QString, QString> result;
    if (!q.exec(QStringLiteral("SELECT channel, text FROM drafts")))
        return result;
    while (q.next())
        result.insert(q.value(0).toString(), q.value(1).toString());
    return result;
}

bool LocalStore::cacheMessages(const QList<Message> &messages)
{
    if (messages.isEmpty())
        return true;
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    db.transaction();
    QSet<QString> channels;
    for (const Message &m : messages) {
        if (!insertMessage(m, false)) {
            db.rollback();
            return false;
        }
        channels.insert(m.channel);
    }
    for (const QString &channel : std::as_const(channels))
        trimChannel(channel);
    return db.commit();
}

bool LocalStore::insertMessage(const Message &m, bool onlyIfNewer)
{
    // Upsert by id: a copy with a lower rev never overwrites a newer one (§6);
    // an equal rev is the same state and may (for cacheMessages) refresh it.
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(
        QStringLiteral("INSERT INTO messages (%1) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                       " ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET channel = excluded.channel,"
                       " seq = excluded.seq, author = excluded.author, text = excluded.text,"
                       " ts = excluded.ts, client_msg_id = excluded.client_msg_id,"
                       " kind = excluded.kind, rev = excluded.rev, ev = excluded.ev,"
                       " edited_at = excluded.edited_at, deleted = excluded.deleted,"
                       " mentions = excluded.mentions, reply_to = excluded.reply_to,"
                       " reactions = excluded.reactions, system = excluded.system,"
                       " attachments = excluded.attachments WHERE "
                       "excluded.rev %2 messages.rev")
            .arg(QLatin1String(kMessageColumns),
                 onlyIfNewer ? QLatin1String(">") : QLatin1String(">=")));
    q.addBindValue(text(m.id));
    q.addBindValue(text(m.channel));
    q.addBindValue(m.seq);
    q.addBindValue(text(m.author));
    q.addBindValue(text(m.text));
    q.addBindValue(m.ts.isValid() ? QVariant(m.ts.toMSecsSinceEpoch()) : QVariant());
    q.addBindValue(text(m.clientMsgId));
    q.addBindValue(m.kind == MessageKind::System ? QStringLiteral("system")
                                                 : QStringLiteral("user"));
    q.addBindValue(m.rev);
    q.addBindValue(m.ev);
    q.addBindValue(m.editedAt.isValid() ? QVariant(m.editedAt.toMSecsSinceEpoch()) : QVariant());
    q.addBindValue(m.deleted ? 1 : 0);
    // Ids never contain a newline, so a newline-joined list is unambiguous.
    q.addBindValue(text(m.mentions.join(QLatin1Char('\n'))));
    q.addBindValue(m.replyTo ? compactJson(Codec::replyRefToJson(*m.replyTo)) : QStringLiteral(""));
    q.addBindValue(m.reactions.isEmpty() ? QStringLiteral("")
                                         : compactJson(Codec::reactionsToJson(m.reactions)));
    q.addBindValue(m.system.isEmpty() ? QStringLiteral("") : compactJson(m.system));
    q.addBindValue(m.attachments.isEmpty() ? QStringLiteral("")
                                           : compactJson(Codec::attachmentsToJson(m.attachments)));
    if (!q.exec()) {
        m_error = q.lastError().text();
        qCWarning(lcStore) << "cannot cache a message:" << m_error;
        return false;
    }
    return true;
}

bool LocalStore::updateMessages(const QList<Message> &messages)
{
    if (messages.isEmpty())
        return true;
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    db.transaction();
    for (const Message &m : messages) {
        QSqlQuery q(db);
        q.prepare(QStringLiteral("SELECT EXISTS (SELECT 1 FROM messages WHERE id = ?),"
                                 " EXISTS (SELECT 1 FROM messages WHERE channel = ? AND seq < ?),"
                                 " EXISTS (SELECT 1 FROM messages WHERE channel = ? AND seq > ?)"));
        q.addBindValue(text(m.id));
        q.addBindValue(text(m.channel));
        q.addBindValue(m.seq);
        q.addBindValue(text(m.channel));
        q.addBindValue(m.seq);
        if (!q.exec() || !q.next()) {
            m_error = q.lastError().text();
            db.rollback();
            return false;
        }
        const bool held = q.value(0).toBool();
        const bool inRange = q.value(1).toBool() && q.value(2).toBool();
        q.finish();
        if ((held || inRange) && !insertMessage(m, true)) {
            db.rollback();
            return false;
        }
    }
    return db.commit();
}

bool LocalStore::dropMessages(const QString &channel)
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(QStringLiteral("DELETE FROM messages WHERE channel = ?"));
    q.addBindValue(text(channel));
    return q.exec();
}

bool LocalStore::trimChannel(const QString &channel)
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(QStringLiteral("DELETE FROM messages WHERE channel = ? AND seq <= (SELECT seq FROM"
                             " messages WHERE channel = ? ORDER BY seq DESC LIMIT 1 OFFSET ?)"));
    q.addBindValue(text(channel));
    q.addBindValue(text(channel));
    q.addBindValue(m_cachePerChannel);
    return q.exec();
}

QList<Message> LocalStore::cachedMessages(const QString &channel, int limit) const
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(QStringLiteral("SELECT %1 FROM (SELECT * FROM messages WHERE channel = ? ORDER BY"
                             " seq DESC LIMIT ?) ORDER BY seq")
                  .arg(QLatin1String(kMessageColumns)));
    q.addBindValue(text(channel));
    q.addBindValue(qMax(0, limit));
    return selectMessages(q);
}

std::optional<Message> LocalStore::cachedMessage(const QString &id) const
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(
        QStringLiteral("SELECT %1 FROM messages WHERE id = ?").arg(QLatin1String(kMessageColumns)));
    q.addBindValue(text(id));
    const QList<Message> found = selectMessages(q);
    if (found.isEmpty())
        return std::nullopt;
    return found.first();
}

QList<Message> LocalStore::selectMessages(QSqlQuery &q) const
{
    QList<Message> result;
    if (!q.exec())
        return result;
    while (q.next()) {
        Message m;
        m.id = q.value(0).toString();
        m.channel = q.value(1).toString();
        m.seq = q.value(2).toLongLong();
        m.author = q.value(3).toString();
        m.text = q.value(4).toString();
        if (!q.value(5).isNull())
            m.ts = QDateTime::fromMSecsSinceEpoch(q.value(5).toLongLong(), Qt::UTC);
        m.clientMsgId = q.value(6).toString();
        m.kind = q.value(7).toString() == u"system" ? MessageKind::System : MessageKind::User;
        m.rev = q.value(8).toLongLong();
        m.ev = q.value(9).toLongLong();
        if (!q.value(10).isNull())
            m.editedAt = QDateTime::fromMSecsSinceEpoch(q.value(10).toLongLong(), Qt::UTC);
        m.deleted = q.value(11).toInt() != 0;
        const QString mentions = q.value(12).toString();
        if (!mentions.isEmpty())
            m.mentions = mentions.split(QLatin1Char('\n'));
        m.replyTo = Codec::replyRefFromJson(parsedJson(q.value(13).toString()));
        m.reactions = Codec::reactionsFromJson(parsedJson(q.value(14).toString()));
        m.system = parsedJson(q.value(15).toString()).toObject();
        m.attachments = Codec::attachmentsFromJson(parsedJson(q.value(16).toString()));
        result.append(m);
    }
    return result;
}

bool LocalStore::cacheChannels(const QList<Channel> &channels)
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    db.transaction();
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("DELETE FROM channels"))) {
        db.rollback();
        return false;
    }
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO channels (position, id, name, kind, members,"
                             " last_seq, last_read_seq, last_ev, mention_count, visibility,"
                             " topic, owner, archived, notify)"
                             " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    int position = 0;
    for (const Channel &c : channels) {
        q.addBindValue(position++);
        q.addBindValue(text(c.id));
        q.addBindValue(text(c.name));
        q.addBindValue(c.kind == ChannelKind::Direct ? QStringLiteral("direct")
                                                     : QStringLiteral("channel"));
        // Ids never contain a newline, so a newline-joined list is unambiguous.
        q.addBindValue(text(c.members.join(QLatin1Char('\n'))));
        q.addBindValue(c.lastSeq);
        q.addBindValue(c.lastReadSeq);
        q.addBindValue(c.lastEv);
        q.addBindValue(c.mentionCount);
        q.addBindValue(visibilityToString(c.visibility));
        q.addBindValue(text(c.topic));
        q.addBindValue(text(c.owner));
        q.addBindValue(c.archived ? 1 : 0);
        q.addBindValue(Codec::notifyLevelToString(c.notify));
        if (!q.exec()) {
            m_error = q.lastError().text();
            db.rollback();
            return false;
        }
    }
    return db.commit();
}

QList<Channel> LocalStore::cachedChannels() const
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    QList<Channel> result;
    if (!q.exec(QStringLiteral("SELECT id, name, kind, members, last_seq, last_read_seq, last_ev,"
                               " mention_count, visibility, topic, owner, archived, notify"
                               " FROM channels ORDER BY position")))
        return result;
    while (q.next()) {
        Channel c;
        c.id = q.value(0).toString();
        c.name = q.value(1).toString();
        c.kind = q.value(2).toString() == u"direct" ? ChannelKind::Direct : ChannelKind::Channel;
        const QString members = q.value(3).toString();
        if (!members.isEmpty())
            c.members = members.split(QLatin1Char('\n'));
        c.lastSeq = q.value(4).toLongLong();
        c.lastReadSeq = q.value(5).toLongLong();
        c.lastEv = q.value(6).toLongLong();
        c.mentionCount = q.value(7).toLongLong();
        c.visibility = visibilityFromString(q.value(8).toString(), c.kind);
        c.topic = q.value(9).toString();
        c.owner = q.value(10).toString();
        c.archived = q.value(11).toInt() != 0;
        c.notify = Codec::notifyLevelFromString(q.value(12).toString());
        result.append(c);
    }
    return result;
}

bool LocalStore::setLastSeq(const QString &channel, qint64 seq)
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    // An upsert, not a replace: the row also holds last_ev.
    q.prepare(QStringLiteral("INSERT INTO sync_state (channel, last_seq) VALUES (?, ?)"
                             " ON CONFLICT(channel) DO UPDATE SET last_seq = excluded.last_seq"));
    q.addBindValue(text(channel));
    q.addBindValue(seq);
    return q.exec();
}

bool LocalStore::setLastEv(const QString &channel, qint64 ev)
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(QStringLiteral("INSERT INTO sync_state (channel, last_seq, last_ev) VALUES (?, 0, ?)"
                             " ON CONFLICT(channel) DO UPDATE SET last_ev = excluded.last_ev"));
    q.addBindValue(text(channel));
    q.addBindValue(ev);
    return q.exec();
}

QHash<QString, qint64> LocalStore::lastEvs() const
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    QHash<QString, qint64> result;
    if (!q.exec(
            QStringLiteral("SELECT channel, last_ev FROM sync_state WHERE last_ev IS NOT NULL")))
        return result;
    while (q.next())
        result.insert(q.value(0).toString(), q.value(1).toLongLong());
    return result;
}

QHash<QString, qint64> LocalStore::lastSeqs() const
{
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    QHash<QString, qint64> result;
    // A row may exist for last_ev alone (last_seq 0): that is no resume point.
    if (!q.exec(QStringLiteral("SELECT channel, last_seq FROM sync_state WHERE last_seq > 0")))
        return result;
    while (q.next())
        result.insert(q.value(0).toString(), q.value(1).toLongLong());
    return result;
}

} // namespace Natter
