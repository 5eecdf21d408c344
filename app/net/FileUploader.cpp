#include "FileUploader.h"

#include "auth/AccessTokenProvider.h"
#include "net/TokenRefresh.h"
#include "protocol/Codec.h"
#include "util/Logging.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QTimer>

#include <algorithm>
#include <cmath>

namespace Natter {

FileUploader::FileUploader(const QUrl &serverUrl, AccessTokenProvider *tokens, QObject *parent)
    : QObject(parent)
    , m_url(serverUrl)
    , m_tokens(tokens)
    , m_nam(new QNetworkAccessManager(this))
    , m_waitTimer(new QTimer(this))
{
    m_waitTimer->setSingleShot(true);
    connect(m_waitTimer, &QTimer::timeout, this, &FileUploader::send);
    QString path = m_url.path();
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    m_url.setPath(path + QStringLiteral("/api/v1/files"));
}

FileUploader::~FileUploader()
{
    dropReply();
}

QString FileUploader::megabytes(qint64 bytes)
{
    const double mb = double(bytes) / (1024.0 * 1024.0);
    const double whole = std::round(mb);
    if (whole >= 1 && std::abs(mb - whole) < 0.05)
        return QLocale().toString(qint64(whole));
    return QLocale().toString(std::max(mb, 0.1), 'f', 1);
}

bool FileUploader::start(const QString &channel, const QString &path, const QString &name)
{
    if (m_running || m_reply || m_refreshWait)
        return false; // an upload, or a discard(), is on its way
    const QFileInfo info(path);
    m_channel = channel;
    m_path = path;
    m_name = name.isEmpty() ? info.fileName() : name;
    m_size = info.size();
    m_fileId.clear();
    m_maxBytes = 0;
    m_quotaBytes = 0;
    m_usedBytes = 0;
    m_retryAfter = 0;
    m_waits = 0;
    m_waited = 0;
    m_retried = false;
    m_running = true;
    if (!info.isFile() || !info.isReadable()) {
        fail(Error::Unreadable,
             tr("Cannot read the file “%1”.").arg(QDir::toNativeSeparators(path)));
        return false;
    }
    send();
    return m_running;
}

void FileUploader::send()
{
    const QString token = m_tokens ? m_tokens->accessToken() : QString();
    if (token.isEmpty()) {
        fail(Error::SessionExpired, tr("You are not signed in."));
        return;
    }
    auto *file = new QFile(m_path, this);
    if (!file->open(QIODevice::ReadOnly)) {
        const QString why = file->errorString();
        delete file;
        fail(Error::Unreadable,
             tr("Cannot read the file “%1”: %2").arg(QDir::toNativeSeparators(m_path), why));
        return;
    }
    m_size = file->size();
    QUrl url = m_url;
    // Every character of the name percent-encoded: `&`, `+` and `#` are part of
    // file names, not URL syntax. The server keeps the base name only (§13).
    url.setQuery(
        QStringLiteral("channel=") + QString::fromLatin1(QUrl::toPercentEncoding(m_channel))
            + QStringLiteral("&name=") + QString::fromLatin1(QUrl::toPercentEncoding(m_name)),
        QUrl::StrictMode);
    QNetworkRequest request(url);
    // §9: the token in the header only; a token in the URL is never accepted.
    request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
    // The server takes the type from the content (§9), never from this header.
    request.setHeader(QNetworkRequest::ContentTypeHeader,
                      QByteArrayLiteral("application/octet-stream"));
    // §9: Content-Length is required; it lets the server refuse (413) before the body.
    request.setHeader(QNetworkRequest::ContentLengthHeader, m_size);
    // Read from the file as the socket drains, never all of it into memory.
    request.setAttribute(QNetworkRequest::DoNotBufferUploadDataAttribute, true);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    m_reply = m_nam->post(request, file);
    file->setParent(m_reply); // the body lives exactly as long as its request
    m_sent = 0;
    connect(m_reply, &QNetworkReply::uploadProgress, this, [this](qint64 sent, qint64) {
        // QNetworkReply ends with a (0, 0) once the body is out: only ever forward.
        if (!m_running || sent <= m_sent)
            return;
        m_sent = std::min(sent, m_size);
        Q_EMIT progress(m_sent, m_size);
    });
    connect(m_reply, &QNetworkReply::finished, this, &FileUploader::onFinished);
}

void FileUploader::cancel()
{
    if (!m_running)
        return;
    m_running = false;
    m_waitTimer->stop();
    delete m_refreshWait.data();
    dropReply();
    qCInfo(lcNet) << "upload cancelled";
    Q_EMIT cancelled();
}

void FileUploader::discard()
{
    if (m_running || m_reply || m_refreshWait || m_fileId.isEmpty()) {
        QTimer::singleShot(0, this, [this] { Q_EMIT discarded(false); });
        return;
    }
    m_retried = false;
    sendDiscard();
}

void FileUploader::sendDiscard()
{
    const QString token = m_tokens ? m_tokens->accessToken() : QString();
    if (token.isEmpty()) {
        QTimer::singleShot(0, this, [this] { Q_EMIT discarded(false); });
        return;
    }
    QUrl url = m_url;
    url.setPath(url.path() + u'/' + m_fileId);
    QNetworkRequest request(url);
    request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    request.setTransferTimeout(30000);
    m_reply = m_nam->deleteResource(request);
    connect(m_reply, &QNetworkReply::finished, this, &FileUploader::onDiscardAnswered);
}

void FileUploader::onDiscardAnswered()
{
    QNetworkReply *reply = m_reply;
    if (!reply)
        return;
    m_reply = nullptr;
    reply->deleteLater();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 401 && !m_retried && m_tokens) {
        m_retried = true;
        m_refreshWait = TokenRefresh::once(
            m_tokens, this, [this] { sendDiscard(); },
            [this](const QString &) { Q_EMIT discarded(false); });
        return;
    }
    // 404: gone already (swept, or the server lost it). Anything else (a
    // server without DELETE answers 405, 409 once sent): the sweep's, if any.
    const bool gone = status == 204 || status == 404;
    qCInfo(lcNet) << "uploaded file taken back:" << (gone ? "done" : "not done") << status;
    if (gone)
        m_fileId.clear();
    Q_EMIT discarded(gone);
}

void FileUploader::dropReply()
{
    if (QNetworkReply *reply = m_reply) {
        m_reply = nullptr;
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
}

void FileUploader::fail(Error error, const QString &explanation)
{
    m_running = false;
    m_waitTimer->stop();
    dropReply();
    qCInfo(lcNet) << "upload failed:" << error;
    Q_EMIT failed(error, explanation);
}

void FileUploader::onFinished()
{
    QNetworkReply *reply = m_reply;
    if (!reply)
        return;
    m_reply = nullptr;
    reply->deleteLater();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QJsonObject body = QJsonDocument::fromJson(reply->readAll()).object();
    if (status == 401 && !m_retried && m_tokens) {
        // The access token expired: one refresh, then the whole file again.
        m_retried = true;
        m_refreshWait = TokenRefresh::once(
            m_tokens, this, [this] { send(); },
            [this](const QString &reason) {
                fail(Error::SessionExpired,
                     tr("The server ended the session (%1). Sign in again.").arg(reason));
            });
        return;
    }
    switch (status) {
    case 201: {
        const auto file = Codec::attachmentFromJson(body.value(QStringLiteral("file")));
        if (!file) {
            fail(Error::Server,
                 tr("The server's answer to the upload of “%1” was not understood.").arg(m_name));
            return;
        }
        m_running = false;
        m_fileId = file->id;
        if (m_sent < m_size)
            Q_EMIT progress(m_size, m_size);
        Q_EMIT finished(*file);
        return;
    }
    case 413:
        // natterd says its limit: {"error":"payload_too_large","max_bytes":N}.
        m_maxBytes = body.value(QStringLiteral("max_bytes")).toInteger(0);
        fail(Error::TooLarge,
             m_maxBytes > 0 ? tr("“%1” is too large: this server takes files of up to %2 MB.")
                                  .arg(m_name, megabytes(m_maxBytes))
                            : tr("“%1” is too large for this server.").arg(m_name));
        return;
    case 415:
        fail(Error::NotAllowed, tr("This server does not take files like “%1”.").arg(m_name));
        return;
    case 507:
        if (body.value(QStringLiteral("reason")).toString() == u"quota") {
            // natterd: {"reason":"quota","quota_bytes":Q,"used_bytes":U}.
            m_quotaBytes = body.value(QStringLiteral("quota_bytes")).toInteger(0);
            m_usedBytes = body.value(QStringLiteral("used_bytes")).toInteger(0);
            fail(Error::OverQuota,
                 m_usedBytes > 0
                     ? tr("“%1” does not fit in the %2 MB of files this server keeps for you "
                          "(%3 MB taken). Deleting your messages with files frees their space; "
                          "files uploaded but never sent are freed after a day.")
                           .arg(m_name, megabytes(m_quotaBytes), megabytes(m_usedBytes))
                     : tr("“%1” is larger than the %2 MB of files this server keeps for you.")
                           .arg(m_name, megabytes(m_quotaBytes)));
            return;
        }
        fail(Error::NoSpace, tr("The server has no space left for “%1”.").arg(m_name));
        return;
    case 429: {
        bool ok = false;
        m_retryAfter = reply->rawHeader("Retry-After").toInt(&ok);
        if (!ok || m_retryAfter < 1)
            m_retryAfter = qMax(1, body.value(QStringLiteral("retry_after")).toInt(1));
        // Too many uploads at once (a message's files beside another's) or
        // past the upload rate: both pass by themselves, so wait and go again.
        // The wait grows (Retry-After 1 would bring a message's files back
        // every second while another device's large ones arrive); the last
        // one may be cut to what is left of the budget, never below Retry-After.
        const int wait =
            std::max(m_retryAfter, std::min(1 << std::min(m_waits, 5), m_waitBudget - m_waited));
        if (m_retryAfter <= kMaxWaitSecs && m_waited + wait <= m_waitBudget) {
            ++m_waits;
            m_waited += wait;
            m_retried = false; // a token may expire while waiting: refresh once more
            qCInfo(lcNet) << "upload waits" << wait << "s for the server";
            m_sent = 0;
            m_waitTimer->start(wait * 1000 + int(QRandomGenerator::global()->bounded(500)));
            // progress() first: natter-cli restarts its timeout on it, and
            // waiting() then lengthens that by the wait.
            Q_EMIT progress(0, m_size);
            Q_EMIT waiting(wait);
            return;
        }
        fail(Error::RateLimited,
             tr("Too many uploads at once: try “%1” again in %n second(s).", nullptr, m_retryAfter)
                 .arg(m_name));
        return;
    }
    case 403:
        fail(Error::Refused,
             body.value(QStringLiteral("error")).toString() == u"archived"
                 ? tr("This channel is archived: no new files can be shared in it.")
                 : tr("You may not share files in this channel."));
        return;
    case 404:
        // §9: a channel of others looks like no channel at all.
        fail(Error::Refused, tr("You cannot share files in this channel."));
        return;
    case 401:
        fail(Error::SessionExpired, tr("The server ended the session. Sign in again."));
        return;
    case 0:
        qCInfo(lcNet) << "upload failed:" << reply->error();
        fail(Error::Network,
             tr("The upload of “%1” failed: cannot reach the server (%2).")
                 .arg(m_name, reply->errorString()));
        return;
    default:
        fail(Error::Server,
             tr("The server could not take “%1” (HTTP %2).").arg(m_name).arg(status));
        return;
    }
}

} // namespace Natter
