#include "files/FileHandlers.h"

#include "RandomId.h"
#include "ServerLog.h"
#include "auth/AuthService.h"
#include "files/FileRepository.h"
#include "files/FileUpload.h"
#include "files/ThumbnailMaker.h"
#include "http/ApiHandlers.h"
#include "hub/ServerCodec.h"
#include "store/ChatStore.h"

#include <QFile>
#include <QFuture>
#include <QPointer>
#include <QUrl>
#include <QtConcurrent/QtConcurrentRun>

namespace Natter::Server {

namespace {

constexpr qsizetype kMaxNameBytes = 255;
const QString kPrefix = QStringLiteral("/api/v1/files/");

HttpResponse unavailable()
{
    HttpResponse r = HttpResponse::error(503, QStringLiteral("unavailable"));
    r.addHeader("Retry-After", "5");
    return r;
}

HttpResponse notFound()
{
    return HttpResponse::error(404, QStringLiteral("not_found"));
}

// RFC 9110 §14.2: one `bytes=first-last`, `first-` or `-suffix` range. False
// for anything else (several ranges, other units): the whole file is sent.
bool parseRange(const QByteArray &header, qint64 size, qint64 *first, qint64 *last,
                bool *satisfiable)
{
    if (!header.startsWith("bytes=") || header.contains(','))
        return false;
    const QByteArray spec = header.mid(6).trimmed();
    const qsizetype dash = spec.indexOf('-');
    if (dash < 0)
        return false;
    const QByteArray a = spec.left(dash);
    const QByteArray b = spec.mid(dash + 1);
    bool okA = false;
    bool okB = false;
    const qint64 x = a.toLongLong(&okA);
    const qint64 y = b.toLongLong(&okB);
    if (a.isEmpty()) {
        if (!okB || y < 0)
            return false;
        *satisfiable = y > 0 && size > 0;
        *first = qMax<qint64>(0, size - y);
        *last = size - 1;
        return true;
    }
    if (!okA || x < 0 || (!b.isEmpty() && (!okB || y < x)))
        return false;
    *satisfiable = x < size;
    *first = x;
    *last = b.isEmpty() ? size - 1 : qMin(y, size - 1);
    return true;
}

QByteArray contentDisposition(const QString &kind, const QString &name)
{
    // An ASCII fallback for old clients, and the exact name per RFC 6266.
    QByteArray ascii;
    for (const QChar c : name)
        ascii += (c.unicode() >= 0x20 && c.unicode() < 0x7f && c != u'"' && c != u'\\')
            ? char(c.unicode())
            : '_';
    return kind.toLatin1() + "; filename=\"" + ascii + "\"; filename*=UTF-8''"
        + QUrl::toPercentEncoding(name);
}

} // namespace

FileHandlers::FileHandlers(ChatStore *store, AuthService *auth, FileRepository *files,
                           const Settings &settings, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_auth(auth)
    , m_files(files)
    , m_settings(settings)
{
    m_pool.setMaxThreadCount(1);
    m_clock.start();
}

FileHandlers::~FileHandlers()
{
    m_pool.waitForDone();
}

void FileHandlers::registerRoutes(HttpRouter *router)
{
    router->addStreaming(
        "POST", QStringLiteral("/api/v1/files"),
        [this](const HttpRequest &r, const HttpRouter::Responder &respond,
               const HttpRouter::BodyAcceptor &accept) { upload(r, respond, accept); });
    router->addPrefix("GET", kPrefix,
                      [this](const HttpRequest &r, const HttpRouter::Responder &respond) {
                          download(r, respond);
                      });
    router->addPrefix("DELETE", kPrefix,
                      [this](const HttpRequest &r, const HttpRouter::Responder &respond) {
                          discard(r, respond);
                      });
}

QString FileHandlers::safeName(const QString &raw)
{
    QString name = raw;
    // The base name only: whatever a client calls a directory is dropped.
    const qsizetype slash = qMax(name.lastIndexOf(u'/'), name.lastIndexOf(u'\\'));
    if (slash >= 0)
        name = name.mid(slash + 1);
    QString clean;
    for (const QChar c : std::as_const(name)) {
        const char16_t u = c.unicode();
        // Controls, and the bidi overrides that make `exe.png` read as a picture.
        if (u < 0x20 || u == 0x7f || (u >= 0x202a && u <= 0x202e) || (u >= 0x2066 && u <= 0x2069))
            continue;
        clean += c;
    }
    clean = clean.trimmed();
    while (clean.toUtf8().size() > kMaxNameBytes) {
        clean.chop(1);
        if (!clean.isEmpty() && clean.back().isHighSurrogate())
            clean.chop(1);
    }
    bool onlyDots = true;
    for (const QChar c : std::as_const(clean))
        onlyDots = onlyDots && c == u'.';
    return onlyDots ? QStringLiteral("file") : clean;
}

bool FileHandlers::isInlineImage(const QString &mime)
{
    return mime == u"image/png" || mime == u"image/jpeg" || mime == u"image/gif"
        || mime == u"image/webp";
}

bool FileHandlers::admitUpload(const QString &userId)
{
    const qint64 now = m_clock.elapsed();
    auto bucket = m_rates.find(userId);
    if (bucket == m_rates.end())
        bucket = m_rates.insert(
            userId, TokenBucket(m_settings.uploadsPerSecond, m_settings.uploadBurst, now));
    return bucket->tryTake(now);
}

void FileHandlers::upload(const HttpRequest &request, const HttpRouter::Responder &respond,
                          const HttpRouter::BodyAcceptor &accept)
{
    const AuthService::Access access = m_auth->verifyAccessToken(request.bearerToken());
    if (const auto refused = ApiHandlers::refusal(access)) {
        respond(*refused);
        return;
    }
    const QString channel =
        request.query.queryItemValue(QStringLiteral("channel"), QUrl::FullyDecoded);
    struct Read
    {
        AuthService::Access access;
        bool member = false;
        StoreResult<qint64> storedBytes = qint64(0);
    };
    // The family check, the membership and the user's kept bytes: one store
    // job (issue 16); the body is not read before its answer.
    QPointer<FileHandlers> self(this);
    m_store->run(
        [access, channel, quota = m_settings.quotaBytes](ChatStore &store) {
            Read read{access};
            AuthService::checkFamily(store, &read.access);
            if (read.access.status == TokenSigner::Status::Valid) {
                read.member = isMemberIn(store, channel, read.access.userId);
                if (read.member && quota > 0)
                    read.storedBytes = store.storedBytesOf(read.access.userId);
            }
            return read;
        },
        [self, request, channel, respond, accept](const Read &read) {
            if (const auto refused = ApiHandlers::refusal(read.access)) {
                respond(*refused);
                return;
            }
            if (!self) {
                respond(unavailable());
                return;
            }
            if (!read.member) {
                respond(notFound()); // §9: a channel of others is no different from none
                return;
            }
            if (!read.storedBytes) {
                respond(unavailable());
                return;
            }
            if (auto receiver =
                    self->admit(request, channel, read.access.userId, *read.storedBytes, respond))
                accept(std::move(receiver));
        });
}

std::unique_ptr<HttpBodyReceiver> FileHandlers::admit(const HttpRequest &request,
                                                      const QString &channel, const QString &userId,
                                                      qint64 storedBytes,
                                                      const HttpRouter::Responder &respond)
{
    if (request.header("content-length").isEmpty()) {
        respond(HttpResponse::error(411, QStringLiteral("length_required")));
        return nullptr;
    }
    bool ok = false;
    const qint64 length = request.header("content-length").toLongLong(&ok);
    // §9: refused from the announced length, before any of the body is read.
    if (!ok || length > m_settings.maxUploadBytes) {
        respond(HttpResponse::json(
            413,
            QJsonObject{{QStringLiteral("error"), QStringLiteral("payload_too_large")},
                        {QStringLiteral("max_bytes"), m_settings.maxUploadBytes}}));
        return nullptr;
    }
    // Before the rate: an upload refused by these two takes nothing from it.
    const Uploading uploading = m_uploading.value(userId);
    if (uploading.count >= m_settings.uploadsAtOnce) {
        qCWarning(lcServerFiles).noquote().nospace()
            << "event=upload_refused reason=too_many_at_once user=" << userId
            << " uploading=" << uploading.count;
        respond(ApiHandlers::retryLater(429, QStringLiteral("rate_limited"), 1));
        return nullptr;
    }
    // The user's own share of the disk: what is kept, what is still arriving
    // and this one. An upload stops counting as arriving in the continuation
    // of the job that stores its row (store()), and store jobs answer in
    // order, so each is counted once: as arriving or as kept. Other nodes'
    // uploads still arriving are not seen here (docs/server.md, "Files").
    const qint64 used = storedBytes + uploading.bytes;
    if (m_settings.quotaBytes > 0 && used + length > m_settings.quotaBytes) {
        qCWarning(lcServerFiles).noquote().nospace()
            << "event=upload_refused reason=quota user=" << userId << " used=" << used
            << " length=" << length << " quota=" << m_settings.quotaBytes;
        respond(HttpResponse::json(
            507,
            QJsonObject{{QStringLiteral("error"), QStringLiteral("insufficient_storage")},
                        {QStringLiteral("reason"), QStringLiteral("quota")},
                        {QStringLiteral("quota_bytes"), m_settings.quotaBytes},
                        {QStringLiteral("used_bytes"), used}}));
        return nullptr;
    }
    if (!admitUpload(userId)) {
        respond(ApiHandlers::retryLater(429, QStringLiteral("rate_limited"),
                                        int(qCeil(1.0 / m_settings.uploadsPerSecond))));
        return nullptr;
    }
    const qint64 available = m_files->bytesAvailable();
    // The uploads still arriving will take their bytes too (an audit: 15
    // uploads admitted at once each saw the same free space).
    if (available >= 0 && available - m_reservedBytes - length < m_settings.minFreeBytes) {
        qCWarning(lcServerFiles).noquote().nospace()
            << "event=upload_refused reason=low_disk available=" << available
            << " reserved=" << m_reservedBytes << " length=" << length;
        respond(HttpResponse::error(507, QStringLiteral("insufficient_storage")));
        return nullptr;
    }
    FileUpload::Target target;
    target.channel = channel;
    target.uploader = userId;
    target.name =
        safeName(request.query.queryItemValue(QStringLiteral("name"), QUrl::FullyDecoded));
    target.length = length;
    auto receiver =
        std::make_unique<FileUpload>(this, target, m_files->newTemporaryPath(), respond);
    if (!receiver->open()) {
        respond(HttpResponse::error(507, QStringLiteral("insufficient_storage")));
        return nullptr;
    }
    return receiver;
}

void FileHandlers::uploaded(const QString &channel, const QString &uploader, const QString &name,
                            qint64 size, const QString &mime, const QString &temporaryPath,
                            const HttpRouter::Responder &respond)
{
    StoredFile file;
    file.id = RandomId::hex(16);
    file.channel = channel;
    file.uploader = uploader;
    file.name = name;
    file.size = size;
    file.mime = mime;
    file.createdAt = QDateTime::currentDateTimeUtc();
    if (!m_files->place(temporaryPath, file.id)) {
        QFile::remove(temporaryPath);
        uploadEnded(uploader, size);
        respond(HttpResponse::error(507, QStringLiteral("insufficient_storage")));
        return;
    }
    if (!isInlineImage(mime)) {
        store(file, respond);
        return;
    }
    // Decoding takes a while: off the event loop, one image at a time.
    const QString path = m_files->pathOf(file.id);
    const QString thumbnailPath = m_files->thumbnailPathOf(file.id);
    // Whatever the decoder does, the file is stored (without a thumbnail if
    // need be): store() ends the upload, which would otherwise count against
    // the user's uploads at once and quota until natterd restarts (a review).
    QtConcurrent::run(&m_pool, [path, thumbnailPath] {
        try {
            return ThumbnailMaker::make(path, thumbnailPath);
        } catch (...) {
            return ThumbnailMaker::Result{};
        }
    }).then(this, [this, file, respond](const ThumbnailMaker::Result &made) mutable {
        file.width = made.width;
        file.height = made.height;
        file.thumbnail = made.thumbnail;
        store(file, respond);
    });
}

void FileHandlers::store(const StoredFile &file, const HttpRouter::Responder &respond)
{
    // The row is a store job (issue 16); the answer comes once it is durable.
    QPointer<FileHandlers> self(this);
    m_store->run([file](ChatStore &store) { return bool(store.addFile(file)); },
                 [self, file, respond](bool added) {
                     // Store jobs answer in order: a head job that read the
                     // user's kept bytes before this row answers before this,
                     // one that read them after it answers after this. So
                     // the upload ends here, not when its receiver goes, and
                     // the quota counts it exactly once.
                     if (self)
                         self->uploadEnded(file.uploader, file.size);
                     if (!added) {
                         if (self)
                             self->m_files->remove({file.id});
                         respond(unavailable());
                         return;
                     }
                     // Logged once the row is committed: an upload whose batch
                     // rolled back got 503 and its bytes are gone.
                     qCInfo(lcServerFiles).noquote().nospace()
                         << "event=file_uploaded id=" << file.id << " size=" << file.size
                         << " mime=" << ServerLog::value(file.mime);
                     respond(HttpResponse::json(
                         201, QJsonObject{{QStringLiteral("file"), ServerCodec::file(file)}}));
                 });
}

void FileHandlers::uploadStarted(const QString &userId, qint64 length)
{
    Uploading &uploading = m_uploading[userId];
    ++uploading.count;
    uploading.bytes += length;
}

void FileHandlers::uploadEnded(const QString &userId, qint64 length)
{
    auto it = m_uploading.find(userId);
    if (it == m_uploading.end())
        return;
    it->bytes -= length;
    if (--it->count <= 0)
        m_uploading.erase(it);
}

bool FileHandlers::isMemberIn(ChatStore &store, const QString &channel, const QString &userId)
{
    if (channel.isEmpty())
        return false;
    const auto found = store.channelById(channel);
    return found && found->members.contains(userId);
}

void FileHandlers::download(const HttpRequest &request, const HttpRouter::Responder &respond)
{
    QString rest = request.path.mid(kPrefix.size());
    bool thumbnail = false;
    if (rest.endsWith(QStringLiteral("/thumbnail"))) {
        thumbnail = true;
        rest.chop(10);
    }
    // bearerToken() reads the Authorization header only (§9).
    const AuthService::Access access = m_auth->verifyAccessToken(request.bearerToken());
    if (const auto refused = ApiHandlers::refusal(access)) {
        respond(*refused);
        return;
    }
    if (!FileRepository::isValidId(rest)) {
        respond(notFound());
        return;
    }
    struct Read
    {
        AuthService::Access access;
        StoreResult<StoredFile> file = StoreError::NotFound;
        bool member = false;
    };
    // The family check, the file's row and its channel's members: one store
    // job (issue 16); the bytes are read on the event loop as the client takes them.
    QPointer<FileHandlers> self(this);
    m_store->run(
        [access, id = rest](ChatStore &store) {
            Read read{access};
            AuthService::checkFamily(store, &read.access);
            if (read.access.status != TokenSigner::Status::Valid)
                return read;
            read.file = store.fileById(id);
            if (read.file)
                read.member = isMemberIn(store, read.file->channel, read.access.userId);
            return read;
        },
        [self, respond, thumbnail, range = request.header("range")](const Read &read) {
            if (const auto refused = ApiHandlers::refusal(read.access)) {
                respond(*refused);
                return;
            }
            if (read.file.failed() || !self) {
                respond(unavailable());
                return;
            }
            // §9: members of the file's channel only; everyone else learns nothing.
            if (!read.file || !read.member || (thumbnail && !read.file->thumbnail)) {
                respond(notFound());
                return;
            }
            self->sendFile(*read.file, thumbnail, range, respond);
        });
}

void FileHandlers::discard(const HttpRequest &request, const HttpRouter::Responder &respond)
{
    const QString id = request.path.mid(kPrefix.size());
    const AuthService::Access access = m_auth->verifyAccessToken(request.bearerToken());
    if (const auto refused = ApiHandlers::refusal(access)) {
        respond(*refused);
        return;
    }
    if (!FileRepository::isValidId(id)) {
        respond(notFound());
        return;
    }
    struct Removed
    {
        AuthService::Access access;
        StoreResult<void> removed = StoreError::NotFound;
        bool attached = false; // hers, and sent: its message is what to delete
    };
    QPointer<FileHandlers> self(this);
    m_store->run(
        [access, id](ChatStore &store) {
            Removed done{access};
            AuthService::checkFamily(store, &done.access);
            if (done.access.status != TokenSigner::Status::Valid)
                return done;
            done.removed = store.removeUnattachedFile(id, done.access.userId);
            if (done.removed.notFound()) {
                const auto file = store.fileById(id);
                if (file.failed())
                    done.removed = StoreError::Failed; // not known to be gone: 503
                done.attached = file && file->uploader == done.access.userId;
            }
            return done;
        },
        // Once the row is gone for good: the bytes go, and the upload stops
        // counting against her quota (storedBytesOf).
        [self, id, respond](const Removed &done) {
            if (const auto refused = ApiHandlers::refusal(done.access)) {
                respond(*refused);
                return;
            }
            if (done.removed.failed()) {
                respond(unavailable());
                return;
            }
            if (done.attached) {
                respond(HttpResponse::error(409, QStringLiteral("attached")));
                return;
            }
            // Someone else's file, or none: nothing is learnt about it.
            if (!done.removed) {
                respond(notFound());
                return;
            }
            if (self)
                self->m_files->remove({id});
            qCInfo(lcServerFiles).noquote().nospace() << "event=upload_discarded id=" << id;
            respond(HttpResponse::empty(204));
        });
}

void FileHandlers::sendFile(const StoredFile &file, bool thumbnail, const QByteArray &range,
                            const HttpRouter::Responder &respond)
{
    auto device = std::make_shared<QFile>(thumbnail ? m_files->thumbnailPathOf(file.id)
                                                    : m_files->pathOf(file.id));
    if (!device->open(QIODevice::ReadOnly)) {
        respond(notFound());
        return;
    }
    const qint64 size = device->size();
    HttpResponse response;
    response.status = 200;
    if (thumbnail) {
        response.contentType = device->peek(4) == "\x89PNG" ? "image/png" : "image/jpeg";
    } else if (isInlineImage(file.mime)) {
        response.contentType = file.mime.toLatin1();
        response.addHeader("Content-Disposition",
                           contentDisposition(QStringLiteral("inline"), file.name));
    } else {
        response.contentType = "application/octet-stream";
        response.addHeader("Content-Disposition",
                           contentDisposition(QStringLiteral("attachment"), file.name));
    }
    response.addHeader("X-Content-Type-Options", "nosniff");
    response.addHeader("Content-Security-Policy", "sandbox; default-src 'none'");
    response.addHeader("Accept-Ranges", "bytes");
    qint64 first = 0;
    qint64 last = size - 1;
    bool satisfiable = true;
    if (!range.isEmpty() && parseRange(range, size, &first, &last, &satisfiable)) {
        if (!satisfiable) {
            HttpResponse refused =
                HttpResponse::error(416, QStringLiteral("range_not_satisfiable"));
            refused.addHeader("Content-Range", "bytes */" + QByteArray::number(size));
            respond(refused);
            return;
        }
        response.status = 206;
        response.addHeader("Content-Range",
                           "bytes " + QByteArray::number(first) + '-' + QByteArray::number(last)
                               + '/' + QByteArray::number(size));
        device->seek(first);
    }
    response.stream = device;
    response.streamLength = size == 0 ? 0 : last - first + 1;
    respond(response);
}

} // namespace Natter::Server
