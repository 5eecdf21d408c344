// The HTTP side of §9: `POST /api/v1/files` (streamed to disk by FileUpload),
// `GET /api/v1/files/<id>` and `GET /api/v1/files/<id>/thumbnail`, and
// natterd's own `DELETE /api/v1/files/<id>` of an upload never sent.
//
// An upload is refused from its head alone, before a byte of the body is
// read: no token (401), not a member of the channel (404), a Content-Length
// over the limit (413) or missing (411), the user's upload rate or uploads at
// once (429), the user's quota or too little disk left (507). Downloads are
// for members of the file's channel only (404 for anyone else, as for a file
// that does not exist), streamed from disk with range support (206),
// `nosniff`, a sandboxing CSP, and as an attachment unless the type is an
// allow-listed image. Thumbnails are made on a one-thread pool (ThumbnailMaker). The store work (an
// upload's head check and its row, a download's lookups: the token's family, the file, its
// channel's members) is ChatStore jobs (issue 16: off the event loop on PostgreSQL); an upload's
// body is read only once its head check answered. Owned by NatterServer.
#pragma once

#include "http/HttpRouter.h"
#include "hub/TokenBucket.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QThreadPool>

namespace Natter::Server {

class AuthService;
class ChatStore;
class FileRepository;
struct StoredFile;

class FileHandlers : public QObject
{
    Q_OBJECT
public:
    struct Settings
    {
        qint64 maxUploadBytes = 25 * 1024 * 1024; // §9 default
        qint64 minFreeBytes = 64 * 1024 * 1024; // refuse uploads that would leave less
        double uploadsPerSecond = 0.5; // per user
        int uploadBurst = 20;
        // Per user, uploads not yet answered (from the head to the answer,
        // typing and thumbnail included): while its body arrives each holds
        // its announced length of the disk reserve (session 21's note: one
        // user's slow uploads could hold the whole reserve and keep everyone
        // else's out). 10: a message's files may all be uploaded at once.
        int uploadsAtOnce = 10;
        // Per user: bytes of kept files (FileStore::storedBytesOf) plus the
        // announced lengths of their uploads not yet stored. An upload that
        // would pass it: 507 insufficient_storage, reason "quota". 0: none.
        qint64 quotaBytes = qint64(1024) * 1024 * 1024;
    };

    FileHandlers(ChatStore *store, AuthService *auth, FileRepository *files,
                 const Settings &settings, QObject *parent = nullptr);
    ~FileHandlers() override;
    void registerRoutes(HttpRouter *router);

    // FileUpload's whole body is in `temporaryPath`: type it, place it, make
    // its thumbnail, store it and answer 201 {"file":F}. Ends the upload
    // (uploadEnded) whatever happens, the client gone or not.
    void uploaded(const QString &channel, const QString &uploader, const QString &name, qint64 size,
                  const QString &mime, const QString &temporaryPath,
                  const HttpRouter::Responder &respond);

    // §9 F.name: the base name only (no directories, no control characters),
    // at most 255 bytes of UTF-8; "file" when nothing is left.
    static QString safeName(const QString &raw);
    // The allow-listed image types served inline with their own type (§9).
    static bool isInlineImage(const QString &mime);

    // Bytes announced by uploads still arriving and not written yet: the
    // free-space check counts them as written, so uploads admitted together
    // cannot take the disk below minFreeBytes. FileUpload reserves its length,
    // releases each piece it writes and the rest when it ends.
    void reserve(qint64 bytes) { m_reservedBytes += bytes; }
    void release(qint64 bytes) { m_reservedBytes -= bytes; }
    // An upload's life, counted per user against uploadsAtOnce, and its
    // announced length against the user's quota: from FileUpload's
    // construction to its end without a file, or, once handed over to
    // uploaded(), to the store job's answer (in that continuation, before
    // the response): from then on its committed row counts instead.
    void uploadStarted(const QString &userId, qint64 length);
    void uploadEnded(const QString &userId, qint64 length);

private:
    void upload(const HttpRequest &request, const HttpRouter::Responder &respond,
                const HttpRouter::BodyAcceptor &accept);
    // The store-free checks of an upload by a member (411, 413, 429, 507) and
    // its receiver, or nullptr (answered).
    // `storedBytes`: the user's kept files, read with the membership.
    std::unique_ptr<HttpBodyReceiver> admit(const HttpRequest &request, const QString &channel,
                                            const QString &userId, qint64 storedBytes,
                                            const HttpRouter::Responder &respond);
    void download(const HttpRequest &request, const HttpRouter::Responder &respond);
    // DELETE: the uploader takes back a file she never sent (204); 409
    // "attached" once sent (delete the message), 404 for anyone else's.
    void discard(const HttpRequest &request, const HttpRouter::Responder &respond);
    void store(const StoredFile &file, const HttpRouter::Responder &respond);
    // Streams the file (or its thumbnail) whose row a job read, honouring `range`.
    void sendFile(const StoredFile &file, bool thumbnail, const QByteArray &range,
                  const HttpRouter::Responder &respond);
    // Whether `userId` is a member of `channel`, read from `store` (in a job).
    static bool isMemberIn(ChatStore &store, const QString &channel, const QString &userId);
    bool admitUpload(const QString &userId);

    ChatStore *m_store;
    AuthService *m_auth;
    FileRepository *m_files;
    Settings m_settings;
    QThreadPool m_pool; // one thread: one image decoded at a time
    QHash<QString, TokenBucket> m_rates; // per user
    QElapsedTimer m_clock;
    qint64 m_reservedBytes = 0;
    struct Uploading
    {
        int count = 0;
        qint64 bytes = 0; // announced
    };
    QHash<QString, Uploading> m_uploading; // per user: uploads not yet stored (or ended)
};

} // namespace Natter::Server
