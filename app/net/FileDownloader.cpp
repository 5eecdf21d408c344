#include "FileDownloader.h"

#include "TokenRefresh.h"
#include "auth/AccessTokenProvider.h"
#include "util/Logging.h"

#include <QFileInfo>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRegularExpression>

namespace Natter {

namespace {
// No byte for this long: the transfer is taken as cut (the partial file stays).
constexpr int kStallTimeoutMs = 30000;

// RFC 9110 §14.4 `Content-Range: bytes first-last/complete`.
bool parseContentRange(const QByteArray &header, qint64 *first, qint64 *whole)
{
    static const QRegularExpression pattern(QStringLiteral(R"(^bytes (\d+)-(\d+)/(\d+|\*)$)"));
    const auto match = pattern.match(QString::fromLatin1(header.trimmed()));
    if (!match.hasMatch())
        return false;
    *first = match.captured(1).toLongLong();
    *whole = match.captured(3) == u"*" ? -1 : match.captured(3).toLongLong();
    return true;
}
} // namespace

FileDownloader::FileDownloader(AccessTokenProvider *tokens, const QUrl &serverUrl,
                               QNetworkAccessManager *network, QObject *parent)
    : QObject(parent)
    , m_tokens(tokens)
    , m_server(serverUrl)
    , m_network(network ? network : new QNetworkAccessManager(this))
{ }

FileDownloader::~FileDownloader()
{
    // Destroyed mid-transfer (the window closed): the partial file stays, so
    // the next attempt resumes.
    if (QNetworkReply *reply = m_reply) {
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
}

QString FileDownloader::partialPath(const QString &path, const QString &fileId)
{
    // The file id in the name: a partial file is only ever continued with the
    // bytes of the same file (§9 files never change).
    return path + QLatin1Char('.') + fileId + QStringLiteral(".part");
}

QUrl FileDownloader::urlFor(const QString &fileId, bool thumbnail) const
{
    QString path = m_server.path();
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    QUrl url = m_server;
    url.setQuery(QString());
    url.setFragment(QString());
    url.setPath(path + QStringLiteral("/api/v1/files/")
                    + QString::fromLatin1(QUrl::toPercentEncoding(fileId))
                    + (thumbnail ? QStringLiteral("/thumbnail") : QString()),
                QUrl::StrictMode);
    return url;
}

void FileDownloader::download(const QString &fileId, const QString &path, qint64 expectedSize)
{
    cancel();
    m_fileId = fileId;
    m_path = path;
    m_thumbnail = false;
    m_expected = expectedSize;
    m_retried = false;
    m_restarted = false;
    start();
}

void FileDownloader::fetchThumbnail(const QString &fileId)
{
    cancel();
    m_fileId = fileId;
    m_path.clear();
    m_thumbnail = true;
    m_expected = -1;
    m_retried = false;
    m_restarted = false;
    start();
}

void FileDownloader::cancel()
{
    delete m_refresh;
    if (QNetworkReply *reply = m_reply) {
        m_reply = nullptr;
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
    if (m_part.isOpen()) {
        m_part.close();
        m_part.remove(); // the person stopped it: nothing half-written is left
    }
    m_data.clear();
}

void FileDownloader::start()
{
    m_data.clear();
    m_resumedFrom = 0;
    m_offset = 0;
    if (!m_thumbnail) {
        m_part.setFileName(partialPath(m_path, m_fileId));
        if (!m_part.open(QIODevice::ReadWrite)) {
            fail(Error::Disk,
                 tr("Cannot write %1: %2").arg(QFileInfo(m_path).fileName(), m_part.errorString()));
            return;
        }
        m_offset = m_part.size();
        if (m_expected >= 0 && m_offset > m_expected) {
            m_part.resize(0); // not this file's bytes: start again
            m_offset = 0;
        }
        m_part.seek(m_offset);
        if (m_expected >= 0 && m_offset == m_expected && m_offset > 0) {
            complete(); // everything arrived before the interruption
            return;
        }
    }
    send();
}

void FileDownloader::send()
{
    const QString token = m_tokens ? m_tokens->accessToken() : QString();
    if (token.isEmpty()) {
        fail(Error::NotSignedIn, tr("You are not signed in."));
        return;
    }
    QNetworkRequest request(urlFor(m_fileId, m_thumbnail));
    // §9: the token in the header only; never a redirect to somewhere else.
    request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    request.setTransferTimeout(kStallTimeoutMs);
    if (m_offset > 0)
        request.setRawHeader("Range", "bytes=" + QByteArray::number(m_offset) + '-');
    m_accepting = false;
    m_status = 0;
    m_reply = m_network->get(request);
    connect(m_reply, &QNetworkReply::metaDataChanged, this, &FileDownloader::onMetaData);
    connect(m_reply, &QIODevice::readyRead, this, &FileDownloader::onReadyRead);
    connect(m_reply, &QNetworkReply::downloadProgress, this, [this](qint64 received, qint64 total) {
        const qint64 whole = total > 0 ? m_offset + total : m_expected;
        Q_EMIT progress(m_offset + received, whole);
    });
    connect(m_reply, &QNetworkReply::finished, this, &FileDownloader::onFinished);
}

QString FileDownloader::fileNameFromDisposition(const QByteArray &header)
{
    // RFC 6266: the exact name in filename*=UTF-8''…, an ASCII stand-in in filename="…".
    QString name;
    for (const QByteArray &raw : header.split(';')) {
        const QByteArray part = raw.trimmed();
        if (part.startsWith("filename*=UTF-8''")) {
            name = QString::fromUtf8(QByteArray::fromPercentEncoding(part.mid(17)));
            break;
        }
        if (part.startsWith("filename=") && name.isEmpty()) {
            QByteArray value = part.mid(9);
            if (value.startsWith('"') && value.endsWith('"') && value.size() >= 2)
                value = value.mid(1, value.size() - 2);
            name = QString::fromLatin1(value);
        }
    }
    // Never a path, never hidden: the last part after any separator, without leading dots.
    name = name.section(QLatin1Char('/'), -1).section(QLatin1Char('\\'), -1);
    while (name.startsWith(QLatin1Char('.')))
        name.remove(0, 1);
    name.remove(QRegularExpression(QStringLiteral("[\\x00-\\x1f\\x7f]")));
    return name.trimmed();
}

void FileDownloader::onMetaData()
{
    QNetworkReply *reply = m_reply;
    if (!reply || m_accepting)
        return;
    m_serverName = fileNameFromDisposition(reply->rawHeader("Content-Disposition"));
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 200) {
        if (m_offset > 0 && !m_thumbnail) {
            // The server sent the whole file instead of the rest: start over.
            m_part.resize(0);
            m_part.seek(0);
            m_offset = 0;
        }
        m_accepting = true;
    } else if (status == 206 && !m_thumbnail) {
        qint64 first = -1;
        qint64 whole = -1;
        if (!parseContentRange(reply->rawHeader("Content-Range"), &first, &whole)
            || first != m_offset || (m_expected >= 0 && whole >= 0 && whole != m_expected)) {
            // Not the part we asked for: never splice foreign bytes into the file.
            qCInfo(lcNet) << "download: unexpected Content-Range, restarting";
            restartFromZero();
            return;
        }
        m_resumedFrom = m_offset;
        m_accepting = true;
    }
}

void FileDownloader::onReadyRead()
{
    QNetworkReply *reply = m_reply;
    if (!reply || !m_accepting)
        return;
    const QByteArray chunk = reply->readAll();
    if (m_thumbnail) {
        m_data += chunk;
        if (m_data.size() > kMaxThumbnailBytes)
            fail(Error::Server, tr("The server sent a picture that is far too large."));
        return;
    }
    if (m_part.write(chunk) != chunk.size())
        fail(Error::Disk,
             tr("Cannot write %1: %2").arg(QFileInfo(m_path).fileName(), m_part.errorString()));
}

void FileDownloader::restartFromZero()
{
    if (QNetworkReply *reply = m_reply) {
        m_reply = nullptr;
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
    if (m_restarted) {
        fail(Error::Server, tr("The server sent parts of the file that do not fit together."));
        return;
    }
    m_restarted = true;
    m_part.resize(0);
    m_part.seek(0);
    m_offset = 0;
    send();
}

void FileDownloader::onFinished()
{
    QNetworkReply *reply = m_reply;
    if (!reply)
        return;
    onReadyRead(); // whatever is still buffered
    if (m_reply != reply)
        return; // failed while writing: already reported
    m_reply = nullptr;
    reply->deleteLater();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    m_status = status;
    if (status == 401 && !m_retried && m_tokens) {
        m_retried = true;
        refreshThenSend();
        return;
    }
    if (status == 401) {
        fail(Error::NotSignedIn, tr("The server ended the session. Sign in again to download."));
        return;
    }
    if (status == 404) {
        fail(Error::NotFound, tr("This file is no longer there, or you do not have access to it."));
        return;
    }
    if (status == 416 && !m_thumbnail) {
        // The partial file already holds everything, or something that is not this file.
        const QByteArray range = reply->rawHeader("Content-Range");
        if (m_offset > 0 && range.startsWith("bytes */")
            && range.mid(8).trimmed().toLongLong() == m_offset) {
            complete();
            return;
        }
        restartFromZero();
        return;
    }
    if (status == 0
        || ((status == 200 || status == 206) && reply->error() != QNetworkReply::NoError)) {
        // Cut off: what arrived stays in the partial file for the next attempt.
        qCInfo(lcNet) << "download interrupted:" << reply->error();
        fail(Error::Network,
             m_thumbnail ? tr("Cannot reach the server: %1").arg(reply->errorString())
                         : tr("The download was interrupted (%1). Try again to continue where "
                              "it stopped.")
                               .arg(reply->errorString()));
        return;
    }
    if (status != 200 && status != 206) {
        fail(Error::Server, tr("The server could not send the file (HTTP %1).").arg(status));
        return;
    }
    complete();
}

void FileDownloader::complete()
{
    if (m_thumbnail) {
        Q_EMIT finished();
        return;
    }
    if (!m_part.flush()) {
        fail(Error::Disk,
             tr("Cannot write %1: %2").arg(QFileInfo(m_path).fileName(), m_part.errorString()));
        return;
    }
    const qint64 size = m_part.size();
    m_part.close();
    if (m_expected >= 0 && size != m_expected) {
        // Fewer or more bytes than §9 `F.size` says: keep nothing half-true.
        m_part.remove();
        Q_EMIT failed(
            Error::Server,
            tr("The server sent %1 bytes of a file of %2 bytes.").arg(size).arg(m_expected));
        return;
    }
    if (QFile::exists(m_path) && !QFile::remove(m_path)) {
        Q_EMIT failed(Error::Disk, tr("Cannot replace %1.").arg(QFileInfo(m_path).fileName()));
        return;
    }
    if (!m_part.rename(m_path)) {
        Q_EMIT failed(
            Error::Disk,
            tr("Cannot write %1: %2").arg(QFileInfo(m_path).fileName(), m_part.errorString()));
        return;
    }
    Q_EMIT progress(size, size);
    Q_EMIT finished();
}

void FileDownloader::fail(Error error, const QString &message)
{
    if (QNetworkReply *reply = m_reply) {
        m_reply = nullptr;
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
    delete m_refresh;
    if (m_part.isOpen()) {
        m_part.close();
        // A cut connection or an ended session leaves good bytes to continue
        // from; anything else leaves nothing that could be trusted.
        if (error != Error::Network && error != Error::NotSignedIn)
            m_part.remove();
    }
    m_data.clear();
    Q_EMIT failed(error, message);
}

void FileDownloader::refreshThenSend()
{
    // The access token expired: one refresh, then the same request again (the
    // partial file's size is the new offset). Cancelling deletes m_refresh,
    // which forgets the answer.
    m_refresh = TokenRefresh::once(
        m_tokens, this,
        [this] {
            m_refresh.clear(); // TokenRefresh deletes it
            m_offset = m_thumbnail ? 0 : m_part.size();
            m_part.seek(m_offset);
            m_data.clear();
            send();
        },
        [this](const QString &reason) {
            m_refresh.clear(); // TokenRefresh deletes it
            fail(Error::NotSignedIn, tr("The server ended the session: %1").arg(reason));
        });
}

} // namespace Natter
