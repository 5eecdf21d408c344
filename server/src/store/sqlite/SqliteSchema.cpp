#include "store/sqlite/SqliteSchema.h"

#include "ServerLog.h"

#include <QCoreApplication>
#include <QSqlError>
#include <QSqlQuery>

namespace Natter::Server {

namespace {

// Each entry upgrades the schema from version (index) to (index + 1). Never edit
// a released step: add a new one, so older data directories upgrade in place.
const char *const kMigrations[][12] = {
    // 0 -> 1: users, channels, memberships, messages.
    {"CREATE TABLE users (id TEXT PRIMARY KEY, username TEXT NOT NULL UNIQUE, "
     "display_name TEXT NOT NULL DEFAULT '', password_hash BLOB NOT NULL, "
     "disabled INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL)",
     "CREATE TABLE channels (id TEXT PRIMARY KEY, name TEXT NOT NULL, "
     "kind TEXT NOT NULL CHECK (kind IN ('channel','direct')), direct_key TEXT UNIQUE, "
     "last_seq INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL)",
     "CREATE UNIQUE INDEX channels_name ON channels(name) WHERE kind = 'channel'",
     "CREATE TABLE memberships (channel_id TEXT NOT NULL REFERENCES channels(id), "
     "user_id TEXT NOT NULL REFERENCES users(id), last_read_seq INTEGER NOT NULL DEFAULT 0, "
     "PRIMARY KEY (channel_id, user_id)) WITHOUT ROWID",
     "CREATE INDEX memberships_user ON memberships(user_id)",
     "CREATE TABLE messages (id TEXT PRIMARY KEY, channel_id TEXT NOT NULL, "
     "seq INTEGER NOT NULL, author_id TEXT NOT NULL, text TEXT NOT NULL, ts INTEGER NOT NULL, "
     "client_msg_id TEXT NOT NULL, UNIQUE (channel_id, seq), UNIQUE (author_id, client_msg_id))",
     nullptr},
    // 1 -> 2: refresh-token families and presence's last_seen.
    {"ALTER TABLE users ADD COLUMN last_seen INTEGER",
     "CREATE TABLE token_families (id TEXT PRIMARY KEY, user_id TEXT NOT NULL, "
     "device_name TEXT NOT NULL DEFAULT '', revoked INTEGER NOT NULL DEFAULT 0, "
     "created_at INTEGER NOT NULL)",
     "CREATE TABLE refresh_tokens (token_hash BLOB PRIMARY KEY, family_id TEXT NOT NULL, "
     "used INTEGER NOT NULL DEFAULT 0, expires_at INTEGER NOT NULL)",
     "CREATE INDEX refresh_tokens_family ON refresh_tokens(family_id)", nullptr},
    // 2 -> 3: protocol v2's change model (§6, §7). Every change to a channel's
    // messages takes the channel's next ev; a message has its own rev. Existing
    // messages become rev 1 of kind user, and their seq serves as their ev (strictly
    // increasing per channel, as §6 asks); a channel's last_ev is its highest ev.
    {"ALTER TABLE users ADD COLUMN admin INTEGER NOT NULL DEFAULT 0",
     "ALTER TABLE channels ADD COLUMN last_ev INTEGER NOT NULL DEFAULT 0",
     "ALTER TABLE messages ADD COLUMN kind TEXT NOT NULL DEFAULT 'user' "
     "CHECK (kind IN ('user','system'))",
     "ALTER TABLE messages ADD COLUMN rev INTEGER NOT NULL DEFAULT 1",
     "ALTER TABLE messages ADD COLUMN ev INTEGER NOT NULL DEFAULT 0",
     "ALTER TABLE messages ADD COLUMN edited_at INTEGER",
     "ALTER TABLE messages ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0",
     "UPDATE messages SET ev = seq",
     "UPDATE channels SET last_ev = "
     "COALESCE((SELECT MAX(m.ev) FROM messages m WHERE m.channel_id = channels.id), 0)",
     "CREATE INDEX messages_channel_ev ON messages(channel_id, ev)", nullptr},
    // 3 -> 4: usernames are unique case-insensitively (`ALICE` beside `alice`
    // looks like one person). A unique index would fail on the clashes an older
    // natterd let in, so triggers refuse new ones and the clashes stay usable;
    // reportUsernameClashes() names them at every start. Usernames are ASCII
    // (AdminCli), so NOCASE is the whole case folding.
    {"CREATE INDEX users_username_nocase ON users(username COLLATE NOCASE)",
     "CREATE TRIGGER users_username_nocase_insert BEFORE INSERT ON users "
     "WHEN EXISTS (SELECT 1 FROM users WHERE username = NEW.username COLLATE NOCASE) "
     "BEGIN SELECT RAISE(ABORT, 'UNIQUE constraint failed: users.username (case-insensitive)'); "
     "END",
     "CREATE TRIGGER users_username_nocase_update BEFORE UPDATE OF username ON users "
     "WHEN EXISTS (SELECT 1 FROM users WHERE username = NEW.username COLLATE NOCASE "
     "AND id <> NEW.id) "
     "BEGIN SELECT RAISE(ABORT, 'UNIQUE constraint failed: users.username (case-insensitive)'); "
     "END",
     nullptr},
    // 4 -> 5: reactions, replies and mentions (§7). A reaction row keeps the ev
    // at which its emoji (re)appeared on the message (the §13 list order) and
    // the ev at which its user reacted (the order of `users`). A mention row
    // carries its message's channel and seq, so mention_count (messages after
    // the reader's last_read_seq that mention them) is one indexed count.
    {"ALTER TABLE messages ADD COLUMN reply_to TEXT",
     "CREATE TABLE reactions (message_id TEXT NOT NULL, emoji TEXT NOT NULL, "
     "user_id TEXT NOT NULL, emoji_ev INTEGER NOT NULL, ev INTEGER NOT NULL, "
     "PRIMARY KEY (message_id, emoji, user_id)) WITHOUT ROWID",
     "CREATE TABLE mentions (message_id TEXT NOT NULL, user_id TEXT NOT NULL, "
     "channel_id TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (message_id, user_id)) "
     "WITHOUT ROWID",
     "CREATE INDEX mentions_user_channel ON mentions(user_id, channel_id, seq)", nullptr},
    // 5 -> 6: channels people create themselves (§8). Existing named channels
    // were made by an operator: public, no owner (admins manage them), not
    // archived; direct ones get visibility direct. Every membership notifies
    // `all`. A system message keeps its §7 S object as JSON. Names are unique
    // case-insensitively among named channels (§13); as for usernames, triggers
    // refuse new clashes and leave any an older natterd let in usable.
    {"ALTER TABLE channels ADD COLUMN visibility TEXT NOT NULL DEFAULT 'public' "
     "CHECK (visibility IN ('public','private','direct'))",
     "UPDATE channels SET visibility = 'direct' WHERE kind = 'direct'",
     "ALTER TABLE channels ADD COLUMN topic TEXT NOT NULL DEFAULT ''",
     "ALTER TABLE channels ADD COLUMN owner_id TEXT",
     "ALTER TABLE channels ADD COLUMN archived INTEGER NOT NULL DEFAULT 0",
     "ALTER TABLE memberships ADD COLUMN notify TEXT NOT NULL DEFAULT 'all' "
     "CHECK (notify IN ('all','mentions','none'))",
     "ALTER TABLE messages ADD COLUMN system TEXT",
     "CREATE INDEX channels_name_nocase ON channels(name COLLATE NOCASE) WHERE kind = 'channel'",
     "CREATE TRIGGER channels_name_nocase_insert BEFORE INSERT ON channels "
     "WHEN NEW.kind = 'channel' AND EXISTS (SELECT 1 FROM channels WHERE kind = 'channel' "
     "AND name = NEW.name COLLATE NOCASE) "
     "BEGIN SELECT RAISE(ABORT, 'UNIQUE constraint failed: channels.name (case-insensitive)'); "
     "END",
     "CREATE TRIGGER channels_name_nocase_update BEFORE UPDATE OF name ON channels "
     "WHEN NEW.kind = 'channel' AND EXISTS (SELECT 1 FROM channels WHERE kind = 'channel' "
     "AND name = NEW.name COLLATE NOCASE AND id <> NEW.id) "
     "BEGIN SELECT RAISE(ABORT, 'UNIQUE constraint failed: channels.name (case-insensitive)'); "
     "END",
     nullptr},
    // 6 -> 7: search (§10). search_docs numbers the searchable messages (user
    // messages, not tombstones) in the order they were sent and keeps what the
    // filters read; message_search is their FTS5 index under the same number.
    // Triggers keep both in the transaction of every write to messages: new
    // ones indexed, edits re-indexed under the same doc (their place in the
    // newest-first order stays), deletes removed. has_file is 0 until
    // attachments set it. Existing messages are indexed here, oldest first.
    {"CREATE TABLE search_docs (doc INTEGER PRIMARY KEY, message_id TEXT NOT NULL UNIQUE, "
     "channel_id TEXT NOT NULL, author_id TEXT NOT NULL, ts INTEGER NOT NULL, "
     "has_link INTEGER NOT NULL DEFAULT 0, has_file INTEGER NOT NULL DEFAULT 0)",
     "CREATE INDEX search_docs_channel ON search_docs(channel_id, doc)",
     "CREATE INDEX search_docs_author ON search_docs(author_id, doc)",
     "CREATE VIRTUAL TABLE message_search USING fts5(text, "
     "tokenize = 'unicode61 remove_diacritics 2')",
     "INSERT INTO search_docs (message_id, channel_id, author_id, ts, has_link) "
     "SELECT id, channel_id, author_id, ts, (text LIKE '%http://%' OR text LIKE '%https://%' "
     "OR text LIKE '%www.%') FROM messages WHERE kind = 'user' AND deleted = 0 "
     "ORDER BY ts, channel_id, seq",
     "INSERT INTO message_search (rowid, text) "
     "SELECT d.doc, m.text FROM search_docs d JOIN messages m ON m.id = d.message_id",
     "CREATE TRIGGER messages_search_insert AFTER INSERT ON messages "
     "WHEN NEW.kind = 'user' AND NEW.deleted = 0 BEGIN "
     "INSERT INTO search_docs (message_id, channel_id, author_id, ts, has_link) "
     "VALUES (NEW.id, NEW.channel_id, NEW.author_id, NEW.ts, (NEW.text LIKE '%http://%' "
     "OR NEW.text LIKE '%https://%' OR NEW.text LIKE '%www.%')); "
     "INSERT INTO message_search (rowid, text) "
     "SELECT doc, NEW.text FROM search_docs WHERE message_id = NEW.id; END",
     "CREATE TRIGGER messages_search_update AFTER UPDATE OF text, deleted ON messages "
     "WHEN NEW.kind = 'user' AND (NEW.text IS NOT OLD.text OR NEW.deleted IS NOT OLD.deleted) "
     "BEGIN "
     "DELETE FROM message_search WHERE rowid = "
     "(SELECT doc FROM search_docs WHERE message_id = OLD.id); "
     "INSERT INTO message_search (rowid, text) "
     "SELECT doc, NEW.text FROM search_docs WHERE message_id = NEW.id AND NEW.deleted = 0; "
     "UPDATE search_docs SET has_link = (NEW.text LIKE '%http://%' "
     "OR NEW.text LIKE '%https://%' OR NEW.text LIKE '%www.%') "
     "WHERE message_id = NEW.id AND NEW.deleted = 0; "
     "DELETE FROM search_docs WHERE message_id = NEW.id AND NEW.deleted <> 0; END",
     "CREATE TRIGGER messages_search_delete AFTER DELETE ON messages BEGIN "
     "DELETE FROM message_search WHERE rowid = "
     "(SELECT doc FROM search_docs WHERE message_id = OLD.id); "
     "DELETE FROM search_docs WHERE message_id = OLD.id; END",
     nullptr},
    // 7 -> 8: files (§9). A row per upload; its bytes live under the data
    // dir's files/ by id (files/FileRepository). message_id is NULL until a
    // send attaches it (position: its place among the message's files); the
    // sweep finds the old unattached ones through files_unattached.
    {"CREATE TABLE files (id TEXT PRIMARY KEY, channel_id TEXT NOT NULL, "
     "uploader_id TEXT NOT NULL, name TEXT NOT NULL, size INTEGER NOT NULL, "
     "mime TEXT NOT NULL, width INTEGER NOT NULL DEFAULT 0, height INTEGER NOT NULL DEFAULT 0, "
     "thumbnail INTEGER NOT NULL DEFAULT 0, message_id TEXT, position INTEGER NOT NULL DEFAULT 0, "
     "created_at INTEGER NOT NULL)",
     "CREATE INDEX files_message ON files(message_id, position) WHERE message_id IS NOT NULL",
     "CREATE INDEX files_unattached ON files(created_at) WHERE message_id IS NULL",
     // §10 has:file: search_docs.has_file follows the attachments, whichever of
     // the message row and the attachment is written first.
     "CREATE TRIGGER files_search_attach AFTER UPDATE OF message_id ON files "
     "WHEN NEW.message_id IS NOT NULL BEGIN "
     "UPDATE search_docs SET has_file = 1 WHERE message_id = NEW.message_id; END",
     "CREATE TRIGGER messages_search_has_file AFTER INSERT ON messages "
     "WHEN NEW.kind = 'user' AND NEW.deleted = 0 BEGIN "
     "UPDATE search_docs SET has_file = 1 WHERE message_id = NEW.id "
     "AND EXISTS (SELECT 1 FROM files WHERE message_id = NEW.id); END",
     nullptr},
    // 8 -> 9: search indexing once per committed batch (§10), not per message.
    // FTS5 writes its pending terms out at every statement savepoint, and a
    // message insert inside the batch transaction opens two, so indexing in the
    // triggers cost more than the rest of storing a message. The triggers now
    // keep search_docs as before and queue the doc in search_pending;
    // SqliteSearchIndexer updates message_search from the queue in one
    // set-based pass just before the batch commits (and before a search reads
    // the index), so a message and its index entry are committed together.
    // fresh = 1: the doc had no index entry when it was queued (a new message),
    // so there is none to remove. The existing index is complete: nothing to
    // queue here.
    {"CREATE TABLE search_pending (doc INTEGER PRIMARY KEY, fresh INTEGER NOT NULL)",
     "DROP TRIGGER messages_search_insert", "DROP TRIGGER messages_search_update",
     "DROP TRIGGER messages_search_delete",
     "CREATE TRIGGER messages_search_insert AFTER INSERT ON messages "
     "WHEN NEW.kind = 'user' AND NEW.deleted = 0 BEGIN "
     "INSERT INTO search_docs (message_id, channel_id, author_id, ts, has_link) "
     "VALUES (NEW.id, NEW.channel_id, NEW.author_id, NEW.ts, (NEW.text LIKE '%http://%' "
     "OR NEW.text LIKE '%https://%' OR NEW.text LIKE '%www.%')); "
     // OR IGNORE: a doc freed by a delete earlier in the batch and taken again
     // keeps fresh = 0 (its old entry is still in the index).
     "INSERT OR IGNORE INTO search_pending (doc, fresh) "
     "SELECT doc, 1 FROM search_docs WHERE message_id = NEW.id; END",
     "CREATE TRIGGER messages_search_update AFTER UPDATE OF text, deleted ON messages "
     "WHEN NEW.kind = 'user' AND (NEW.text IS NOT OLD.text OR NEW.deleted IS NOT OLD.deleted) "
     "BEGIN "
     "INSERT OR IGNORE INTO search_pending (doc, fresh) "
     "SELECT doc, 0 FROM search_docs WHERE message_id = OLD.id; "
     "UPDATE search_docs SET has_link = (NEW.text LIKE '%http://%' "
     "OR NEW.text LIKE '%https://%' OR NEW.text LIKE '%www.%') "
     "WHERE message_id = NEW.id AND NEW.deleted = 0; "
     "DELETE FROM search_docs WHERE message_id = NEW.id AND NEW.deleted <> 0; END",
     "CREATE TRIGGER messages_search_delete AFTER DELETE ON messages BEGIN "
     "INSERT OR IGNORE INTO search_pending (doc, fresh) "
     "SELECT doc, 0 FROM search_docs WHERE message_id = OLD.id; "
     "DELETE FROM search_docs WHERE message_id = OLD.id; END",
     nullptr},
    // 9 -> 10: a new message's search row without a function call. SQLite
    // wraps a statement in a statement journal (a copy of every page it
    // touches, freed at its end) when the statement may fail half-way: a
    // function call in a trigger (LIKE here) counts as such, like a constraint
    // that aborts. Sending a message paid about a quarter of its storing for
    // that journal (docs/benchmarks.md, "No statement journal for a send").
    // The insert trigger now writes has_link = 0 and SqliteSearchIndexer sets
    // it for the queued docs with a link in the pass that indexes their words, so a
    // search (which catches the index up first) sees both together. Edits keep
    // the update trigger: an edit is not worth a second code path.
    {"DROP TRIGGER messages_search_insert",
     "CREATE TRIGGER messages_search_insert AFTER INSERT ON messages "
     "WHEN NEW.kind = 'user' AND NEW.deleted = 0 BEGIN "
     "INSERT INTO search_docs (message_id, channel_id, author_id, ts) "
     "VALUES (NEW.id, NEW.channel_id, NEW.author_id, NEW.ts); "
     "INSERT OR IGNORE INTO search_pending (doc, fresh) "
     "SELECT doc, 1 FROM search_docs WHERE message_id = NEW.id; END",
     nullptr},
    // 10 -> 11: the upload quota sums a user's files (FileStore::storedBytesOf)
    // at every upload; without an index that read every file's row. With the
    // size in it the sum reads the index alone: 100,000 files of one user
    // took 33 ms through an index of uploader_id only, 10 ms through this.
    {"CREATE INDEX files_uploader ON files(uploader_id, size)", nullptr},
};
constexpr int kMigrationCount = int(sizeof(kMigrations) / sizeof(kMigrations[0]));
static_assert(kMigrationCount == SqliteSchema::kVersion);

} // namespace

int SqliteSchema::version(QSqlDatabase &db)
{
    QSqlQuery q(db);
    q.exec(QStringLiteral("PRAGMA user_version"));
    return q.next() ? q.value(0).toInt() : -1;
}

bool SqliteSchema::migrate(QSqlDatabase &db, int target, QString *error)
{
    const int from = version(db);
    if (from > kVersion) {
        *error = QCoreApplication::translate(
                     "SqliteSchema",
                     "the data directory has schema version %1, newer than this natterd (%2)")
                     .arg(from)
                     .arg(kVersion);
        return false;
    }
    for (int v = from; v < target; ++v) {
        db.transaction();
        QSqlQuery q(db);
        for (int i = 0; kMigrations[v][i]; ++i) {
            if (!q.exec(QLatin1String(kMigrations[v][i]))) {
                *error = q.lastError().text();
                db.rollback();
                return false;
            }
        }
        q.exec(QStringLiteral("PRAGMA user_version=%1").arg(v + 1));
        if (!db.commit()) {
            *error = db.lastError().text();
            return false;
        }
        qCInfo(lcServerStore).noquote().nospace()
            << "event=schema_migrated from=" << v << " to=" << v + 1;
    }
    if (target >= 4)
        reportUsernameClashes(db);
    return true;
}

void SqliteSchema::reportUsernameClashes(QSqlDatabase &db)
{
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT group_concat(username, ',') FROM users "
                               "GROUP BY username COLLATE NOCASE HAVING COUNT(*) > 1")))
        return;
    while (q.next()) {
        qCWarning(lcServerStore).noquote().nospace()
            << "event=username_clash users=" << ServerLog::value(q.value(0).toString()) << " note="
            << ServerLog::value(QStringLiteral(
                   "accounts differ only by case; each still logs in with its exact name"));
    }
}

} // namespace Natter::Server
