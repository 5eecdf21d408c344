// One §9 upload as it arrives: writes each piece of the body straight to a
// temporary file (never the whole body in memory), keeps the first bytes to
// tell the type from the content, and hands the finished file to FileHandlers.
// Owned by the HttpConnection that reads the body; destroyed before finish()
// (the client went away, or the write failed) it deletes the partial file.
#pragma once

#include "http/HttpBodyReceiver.h"
#include "http/HttpRouter.h"

#include <QFile>
#include <QPointer>

namespace Natter::Server {

class FileHandlers;

class FileUpload : public HttpBodyReceiver
{
public:
    // Bytes kept for the type detection (QMimeDatabase's magic looks at the start).
    static constexpr qsizetype kSniffBytes = 4096;

    struct Target
    {
        QString channel;
        QString uploader;
        QString name; // already a safe base name
        qint64 length = 0; // Content-Length
    };

    FileUpload(FileHandlers *owner, const Target &target, const QString &temporaryPath,
               HttpRouter::Responder respond);
    ~FileUpload() override;

    // False when the temporary file cannot be created (answered with 500).
    bool open();
    bool write(QByteArrayView piece) override;
    void finish() override;

private:
    QPointer<FileHandlers> m_owner;
    Target m_target;
    QFile m_file;
    HttpRouter::Responder m_respond;
    QByteArray m_head;
    qint64 m_written = 0;
    qint64 m_reserved = 0; // announced bytes not written yet (FileHandlers::reserve)
    bool m_handedOver = false;
};

} // namespace Natter::Server
