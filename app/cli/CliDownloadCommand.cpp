// CliChatTask, the §9 part: `download FILE_ID [-o PATH]`. The bytes go to a
// partial file next to PATH and are renamed to it when complete; a download cut
// off earlier continues from where it stopped (a Range request). Without -o the
// file lands in the current directory under the name natterd gives it.
#include "CliChatTask.h"

#include "CliExitCode.h"
#include "auth/AuthSession.h"
#include "net/ConnectionManager.h"
#include "net/FileDownloader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

namespace Natter {

void CliChatTask::startDownload()
{
    // Without -o: first under the id (so an interrupted run finds its partial
    // file again), renamed to the server's name at the end.
    const QString path = m_request.outputPath.isEmpty()
        ? QDir::current().absoluteFilePath(m_request.fileId)
        : QFileInfo(m_request.outputPath).absoluteFilePath();
    const QString partial = FileDownloader::partialPath(path, m_request.fileId);
    if (QFileInfo::exists(partial))
        Q_EMIT notice(tr("Continuing the download from byte %1.").arg(QFileInfo(partial).size()));
    auto *downloader = new FileDownloader(m_session, m_session->server().httpBase(), nullptr, this);
    connect(downloader, &FileDownloader::finished, this, [this, downloader, path] {
        QString saved = path;
        const QString name = downloader->serverFileName();
        if (m_request.outputPath.isEmpty() && !name.isEmpty()) {
            const QString named = QDir::current().absoluteFilePath(name);
            if (!QFileInfo::exists(named) && QFile::rename(path, named))
                saved = named;
            else if (QFileInfo::exists(named))
                Q_EMIT notice(tr("%1 already exists; the file was saved as %2.")
                                  .arg(name, QFileInfo(path).fileName()));
        }
        onDownloaded(saved, downloader->resumedFrom());
    });
    connect(downloader, &FileDownloader::failed, this,
            [this](FileDownloader::Error error, const QString &message) {
                switch (error) {
                case FileDownloader::Error::Network:
                    finish(CliExitCode::Unreachable,
                           message + QLatin1Char(' ')
                               + tr("Run the same command again to continue."));
                    return;
                case FileDownloader::Error::NotSignedIn:
                    finish(CliExitCode::AuthFailed, message);
                    return;
                case FileDownloader::Error::NotFound:
                case FileDownloader::Error::Disk:
                case FileDownloader::Error::Server:
                    finish(CliExitCode::Refused, message);
                    return;
                }
            });
    downloader->download(m_request.fileId, path);
}

void CliChatTask::onDownloaded(const QString &path, qint64 resumedFrom)
{
    const qint64 size = QFileInfo(path).size();
    if (m_request.json) {
        Q_EMIT output(
            QJsonDocument(QJsonObject{{QStringLiteral("type"), QStringLiteral("download")},
                                      {QStringLiteral("file"), m_request.fileId},
                                      {QStringLiteral("path"), path},
                                      {QStringLiteral("size"), size},
                                      {QStringLiteral("resumed_from"), resumedFrom}})
                .toJson(QJsonDocument::Compact)
            + '\n');
    } else {
        //: natter-cli download; %1 the path, %2 its size in bytes.
        Q_EMIT output(
            tr("Saved %1 (%2 bytes).").arg(QDir::toNativeSeparators(path)).arg(size).toUtf8()
            + '\n');
    }
    finish(CliExitCode::Ok);
}

} // namespace Natter
