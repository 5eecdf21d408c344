#include "files/FileUpload.h"

#include "ServerLog.h"
#include "files/FileHandlers.h"

#include <QMimeDatabase>

namespace Natter::Server {

FileUpload::FileUpload(FileHandlers *owner, const Target &target, const QString &temporaryPath,
                       HttpRouter::Responder respond)
    : m_owner(owner)
    , m_target(target)
    , m_file(temporaryPath)
    , m_respond(std::move(respond))
    , m_reserved(target.length)
{
    m_owner->reserve(m_reserved);
    m_owner->uploadStarted(m_target.uploader, m_target.length);
}

FileUpload::~FileUpload()
{
    // Written or thrown away, its bytes are no longer to come.
    if (m_owner)
        m_owner->release(m_reserved);
    // Handed over, the upload is FileHandlers' to end once its row is stored:
    // the client may go away before that (a thumbnail takes a while), and
    // the quota must count the file all the while.
    if (m_handedOver)
        return;
    if (m_owner)
        m_owner->uploadEnded(m_target.uploader, m_target.length);
    m_file.close();
    m_file.remove();
    qCInfo(lcServerFiles).noquote().nospace()
        << "event=upload_abandoned received=" << m_written << " of=" << m_target.length;
}

bool FileUpload::open()
{
    return m_file.open(QIODevice::WriteOnly | QIODevice::NewOnly);
}

bool FileUpload::write(QByteArrayView piece)
{
    if (m_head.size() < kSniffBytes)
        m_head.append(piece.first(qMin(piece.size(), kSniffBytes - m_head.size())));
    if (m_file.write(piece.data(), piece.size()) != piece.size()) {
        // The disk filled up under us (or failed): say so rather than store half.
        qCWarning(lcServerFiles).noquote().nospace()
            << "event=upload_write_failed error=" << ServerLog::value(m_file.errorString());
        m_respond(HttpResponse::error(507, QStringLiteral("insufficient_storage")));
        return false;
    }
    m_written += piece.size();
    // On the disk now: the free space counts them, the reservation no longer.
    if (m_owner)
        m_owner->release(piece.size());
    m_reserved -= piece.size();
    return true;
}

void FileUpload::finish()
{
    if (!m_file.flush()) {
        m_respond(HttpResponse::error(507, QStringLiteral("insufficient_storage")));
        return;
    }
    m_file.close();
    if (!m_owner) {
        m_respond(HttpResponse::error(503, QStringLiteral("unavailable")));
        return;
    }
    // §9: the type from the content, never from the name or Content-Type.
    const QString mime = QMimeDatabase().mimeTypeForData(m_head).name();
    m_handedOver = true;
    qCInfo(lcServerFiles).noquote().nospace()
        << "event=upload_received size=" << m_written << " mime=" << ServerLog::value(mime);
    m_owner->uploaded(m_target.channel, m_target.uploader, m_target.name, m_written, mime,
                      m_file.fileName(), m_respond);
}

} // namespace Natter::Server
