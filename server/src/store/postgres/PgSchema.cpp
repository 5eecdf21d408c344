#include "store/postgres/PgSchema.h"

#include "ServerLog.h"
#include "store/postgres/PgConnection.h"

#include <QCoreApplication>

namespace Natter::Server {

namespace {

// The advisory lock key all natterd nodes take while migrating ("natt").
constexpr qint64 kMigrationLock = 0x6e617474;

// Each entry upgrades the schema from version (index) to (index + 1).
// Text that is sorted or compared (usernames, channel names) is COLLATE "C":
// code-point order, as in SQLite, whatever the cluster's locale. Times are
// UTC milliseconds and flags 0/1 integers, as in the SQLite schema, so the
// export/import and the read code map one to one.
const char *const kMigrations[][24] = {
    // 0 -> 1: everything of SQLite schema 6.
    {"CREATE TABLE users (id TEXT PRIMARY KEY, username TEXT COLLATE \"C\" NOT NULL UNIQUE, "
     "display_name TEXT NOT NULL DEFAULT '', password_hash BYTEA NOT NULL, "
     "disabled INTEGER NOT NULL DEFAULT 0, created_at BIGINT NOT NULL, last_seen BIGINT, "
     "admin INTEGER NOT NULL DEFAULT 0)",
     // Usernames are unique case-insensitively (SQLite schema 4); they are ASCII.
     "CREATE UNIQUE INDEX users_username_lower ON users (lower(username))",
     "CREATE TABLE channels (id TEXT PRIMARY KEY, name TEXT COLLATE \"C\" NOT NULL, "
     "kind TEXT NOT NULL CHECK (kind IN ('channel','direct')), direct_key TEXT UNIQUE, "
     "last_seq BIGINT NOT NULL DEFAULT 0, last_ev BIGINT NOT NULL DEFAULT 0, "
     "created_at BIGINT NOT NULL, visibility TEXT NOT NULL DEFAULT 'public' "
     "CHECK (visibility IN ('public','private','direct')), topic TEXT NOT NULL DEFAULT '', "
     "owner_id TEXT, archived INTEGER NOT NULL DEFAULT 0)",
     // §13: named channels are unique case-insensitively.
     "CREATE UNIQUE INDEX channels_name_lower ON channels (lower(name)) WHERE kind = 'channel'",
     "CREATE TABLE memberships (channel_id TEXT NOT NULL REFERENCES channels(id), "
     "user_id TEXT NOT NULL REFERENCES users(id), last_read_seq BIGINT NOT NULL DEFAULT 0, "
     "notify TEXT NOT NULL DEFAULT 'all' CHECK (notify IN ('all','mentions','none')), "
     "PRIMARY KEY (channel_id, user_id))",
     "CREATE INDEX memberships_user ON memberships(user_id)",
     "CREATE TABLE messages (id TEXT PRIMARY KEY, channel_id TEXT NOT NULL, seq BIGINT NOT NULL, "
     "author_id TEXT NOT NULL, text TEXT NOT NULL, ts BIGINT NOT NULL, "
     "client_msg_id TEXT NOT NULL, kind TEXT NOT NULL DEFAULT 'user' "
     "CHECK (kind IN ('user','system')), rev BIGINT NOT NULL DEFAULT 1, "
     "ev BIGINT NOT NULL DEFAULT 0, edited_at BIGINT, deleted INTEGER NOT NULL DEFAULT 0, "
     "reply_to TEXT, system TEXT, UNIQUE (channel_id, seq), UNIQUE (author_id, client_msg_id))",
     "CREATE INDEX messages_channel_ev ON messages(channel_id, ev)",
     "CREATE TABLE reactions (message_id TEXT NOT NULL, emoji TEXT NOT NULL, "
     "user_id TEXT NOT NULL, emoji_ev BIGINT NOT NULL, ev BIGINT NOT NULL, "
     "PRIMARY KEY (message_id, emoji, user_id))",
     "CREATE TABLE mentions (message_id TEXT NOT NULL, user_id TEXT NOT NULL, "
     "channel_id TEXT NOT NULL, seq BIGINT NOT NULL, PRIMARY KEY (message_id, user_id))",
     "CREATE INDEX mentions_user_channel ON mentions(user_id, channel_id, seq)",
     "CREATE TABLE token_families (id TEXT PRIMARY KEY, user_id TEXT NOT NULL, "
     "device_name TEXT NOT NULL DEFAULT '', revoked INTEGER NOT NULL DEFAULT 0, "
     "created_at BIGINT NOT NULL)",
     "CREATE TABLE refresh_tokens (token_hash BYTEA PRIMARY KEY, family_id TEXT NOT NULL, "
     "used INTEGER NOT NULL DEFAULT 0, expires_at BIGINT NOT NULL)",
     "CREATE INDEX refresh_tokens_family ON refresh_tokens(family_id)",
     // §12: state every node must share (the token signing secret).
     "CREATE TABLE server_secrets (name TEXT PRIMARY KEY, value BYTEA NOT NULL)", nullptr},
    // 1 -> 2: search (§10) through PostgreSQL's full-text search, matching
    // SQLite's FTS5 (unicode61, diacritics removed) word for word:
    // natter_search_words() lowercases (ICU, whatever the cluster's locale),
    // drops combining marks and turns every run of characters that are not
    // letters or digits into one space, so `t-shirt` and `db.json` are two
    // words each and a URL is its words, as in SQLite; the text search
    // configuration natter_search then folds diacritics (unaccent) and keeps
    // every word (simple: no stop words, no stemming). search_docs numbers the
    // searchable messages (user messages, not tombstones) in the order they
    // were stored and carries their tsvector and what the filters read; the
    // trigger keeps it in the transaction of every write to messages (new:
    // indexed; edited: re-indexed under the same doc, its place in the
    // newest-first order kept; deleted: removed). Queries are built by
    // natter_search_term() from one bound term at a time: the term is reduced
    // to letters, digits and spaces before it is parsed as a tsquery, so no
    // user text is ever tsquery syntax. has_file stays 0 until attachments.
    {"CREATE EXTENSION IF NOT EXISTS unaccent",
     "CREATE TEXT SEARCH CONFIGURATION natter_search (COPY = simple)",
     "ALTER TEXT SEARCH CONFIGURATION natter_search ALTER MAPPING FOR asciiword, word, numword, "
     "asciihword, hword, numhword, hword_asciipart, hword_part, hword_numpart WITH unaccent, "
     "simple",
     "CREATE FUNCTION natter_search_words(t TEXT) RETURNS TEXT LANGUAGE sql STABLE AS $$ "
     "SELECT btrim(regexp_replace(regexp_replace(lower(t COLLATE \"und-x-icu\"), "
     "'[\\u0300-\\u036f]+', '', 'g'), '[^[:alnum:]]+', ' ', 'g')) $$",
     "CREATE FUNCTION natter_search_vector(t TEXT) RETURNS tsvector LANGUAGE sql STABLE AS $$ "
     "SELECT to_tsvector('natter_search', natter_search_words(t)) $$",
     // §10 has:link, as SQLite's LIKE (ASCII case-insensitive) reads it.
     "CREATE FUNCTION natter_search_has_link(t TEXT) RETURNS INTEGER LANGUAGE sql IMMUTABLE AS $$ "
     "SELECT (t ILIKE '%http://%' OR t ILIKE '%https://%' OR t ILIKE '%www.%')::INTEGER $$",
     // A term's words in order (a phrase: adjacent), the last one a prefix
     // when `prefix`; NULL (matches nothing) when nothing of it is a word.
     "CREATE FUNCTION natter_search_term(t TEXT, prefix BOOLEAN) RETURNS tsquery "
     "LANGUAGE sql STABLE AS $$ SELECT CASE WHEN w = '' THEN NULL "
     "WHEN prefix THEN to_tsquery('natter_search', replace(w, ' ', ' <-> ') || ':*') "
     "ELSE phraseto_tsquery('natter_search', w) END "
     "FROM (SELECT natter_search_words(t) AS w) s $$",
     "CREATE TABLE search_docs (doc BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
     "message_id TEXT NOT NULL UNIQUE, channel_id TEXT NOT NULL, author_id TEXT NOT NULL, "
     "ts BIGINT NOT NULL, has_link INTEGER NOT NULL DEFAULT 0, "
     "has_file INTEGER NOT NULL DEFAULT 0, tsv tsvector NOT NULL)",
     "CREATE INDEX search_docs_tsv ON search_docs USING gin (tsv)",
     "CREATE INDEX search_docs_channel ON search_docs (channel_id, doc)",
     "CREATE INDEX search_docs_author ON search_docs (author_id, doc)", // from:
     "INSERT INTO search_docs (message_id, channel_id, author_id, ts, has_link, tsv) "
     "SELECT id, channel_id, author_id, ts, natter_search_has_link(text), "
     "natter_search_vector(text) FROM messages WHERE kind = 'user' AND deleted = 0 "
     "ORDER BY ts, channel_id, seq",
     "CREATE FUNCTION natter_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
     "IF TG_OP = 'DELETE' THEN DELETE FROM search_docs WHERE message_id = OLD.id; RETURN NULL; "
     "END IF; "
     "IF NEW.kind <> 'user' THEN RETURN NULL; END IF; "
     "IF NEW.deleted <> 0 THEN DELETE FROM search_docs WHERE message_id = NEW.id; RETURN NULL; "
     "END IF; "
     "IF TG_OP = 'UPDATE' THEN "
     "UPDATE search_docs SET tsv = natter_search_vector(NEW.text), "
     "has_link = natter_search_has_link(NEW.text) WHERE message_id = NEW.id; "
     "IF FOUND THEN RETURN NULL; END IF; END IF; "
     "INSERT INTO search_docs (message_id, channel_id, author_id, ts, has_link, tsv) "
     "VALUES (NEW.id, NEW.channel_id, NEW.author_id, NEW.ts, natter_search_has_link(NEW.text), "
     "natter_search_vector(NEW.text)); RETURN NULL; END $$",
     "CREATE TRIGGER messages_search AFTER INSERT OR UPDATE OF text, deleted OR DELETE "
     "ON messages FOR EACH ROW EXECUTE FUNCTION natter_search_sync()",
     nullptr},
    // 2 -> 3: files (§9), as SQLite's: a row per upload (its bytes on the
    // node's disk by id), message_id NULL until a send attaches it (position:
    // its place among the message's files). §10 has:file: search_docs.has_file
    // follows the attachments, whichever of the message row and the attachment
    // is written first (messages_search_has_file fires after messages_search:
    // PostgreSQL runs a table's triggers in name order).
    {"CREATE TABLE files (id TEXT PRIMARY KEY, channel_id TEXT NOT NULL, "
     "uploader_id TEXT NOT NULL, name TEXT NOT NULL, size BIGINT NOT NULL, "
     "mime TEXT NOT NULL, width INTEGER NOT NULL DEFAULT 0, height INTEGER NOT NULL DEFAULT 0, "
     "thumbnail INTEGER NOT NULL DEFAULT 0, message_id TEXT, position INTEGER NOT NULL DEFAULT 0, "
     "created_at BIGINT NOT NULL)",
     "CREATE INDEX files_message ON files(message_id, position) WHERE message_id IS NOT NULL",
     "CREATE INDEX files_unattached ON files(created_at) WHERE message_id IS NULL",
     "CREATE FUNCTION natter_search_has_file() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
     "IF TG_TABLE_NAME = 'files' THEN "
     "UPDATE search_docs SET has_file = 1 WHERE message_id = NEW.message_id; "
     "ELSE UPDATE search_docs SET has_file = 1 WHERE message_id = NEW.id "
     "AND EXISTS (SELECT 1 FROM files WHERE message_id = NEW.id); END IF; "
     "RETURN NULL; END $$",
     "CREATE TRIGGER files_search_attach AFTER UPDATE OF message_id ON files FOR EACH ROW "
     "WHEN (NEW.message_id IS NOT NULL) EXECUTE FUNCTION natter_search_has_file()",
     "CREATE TRIGGER messages_search_has_file AFTER INSERT ON messages FOR EACH ROW "
     "WHEN (NEW.kind = 'user' AND NEW.deleted = 0) EXECUTE FUNCTION natter_search_has_file()",
     nullptr},
    // 3 -> 4: the upload quota sums a user's files (FileStore::storedBytesOf)
    // at every upload, as SQLite's 10 -> 11.
    {"CREATE INDEX files_uploader ON files(uploader_id, size)", nullptr},
};
constexpr int kMigrationCount = int(sizeof(kMigrations) / sizeof(kMigrations[0]));
static_assert(kMigrationCount == PgSchema::kVersion);

} // namespace

int PgSchema::version(PgConnection &connection)
{
    auto &q = connection.statement("SELECT to_regclass('natter_schema') IS NOT NULL");
    const auto exists = connection.readOne<qint64>(
        q, [](const QSqlQuery &r) { return r.value(0).toBool() ? 1 : 0; });
    if (!exists)
        return -1;
    if (*exists == 0)
        return 0;
    auto &v = connection.statement("SELECT version FROM natter_schema");
    const auto version =
        connection.readOne<qint64>(v, [](const QSqlQuery &r) { return r.value(0).toLongLong(); });
    return version ? int(*version) : (version.notFound() ? 0 : -1);
}

bool PgSchema::migrate(PgConnection &connection, QString *error)
{
    PgConnection::Transaction tx(connection);
    if (!tx.ok()) {
        *error = QCoreApplication::translate("PgSchema", "cannot start the migration");
        return false;
    }
    // Serialise concurrent migrations (several nodes starting at once).
    if (!connection.run(QStringLiteral("SELECT pg_advisory_xact_lock(%1)").arg(kMigrationLock),
                        error)
        || !connection.run(QStringLiteral("CREATE TABLE IF NOT EXISTS natter_schema "
                                          "(version INTEGER NOT NULL)"),
                           error))
        return false;
    const int from = version(connection);
    if (from < 0) {
        *error = QCoreApplication::translate("PgSchema", "cannot read the schema version");
        return false;
    }
    if (from > kVersion) {
        *error = QCoreApplication::translate(
                     "PgSchema", "the database has schema version %1, newer than this natterd (%2)")
                     .arg(from)
                     .arg(kVersion);
        return false;
    }
    for (int v = from; v < kVersion; ++v) {
        for (int i = 0; kMigrations[v][i]; ++i) {
            if (!connection.run(QLatin1String(kMigrations[v][i]), error))
                return false;
        }
        qCInfo(lcServerStore).noquote().nospace()
            << "event=schema_migrated backend=postgres from=" << v << " to=" << v + 1;
    }
    if (from != kVersion && !connection.run(QStringLiteral("DELETE FROM natter_schema"), error))
        return false;
    if (from != kVersion
        && !connection.run(
            QStringLiteral("INSERT INTO natter_schema (version) VALUES (%1)").arg(kVersion), error))
        return false;
    if (!tx.commit()) {
        *error = connection.database().lastError().text();
        return false;
    }
    return true;
}

} // namespace Natter::Server
