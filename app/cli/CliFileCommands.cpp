// CliChatTask, the §9 part: `upload CHANNEL FILE` and `send CHANNEL [TEXT]
// --attach FILE...`. The files go up one after the other over HTTP
// (FileUploader, streamed, with the session's token); a send then carries
// their ids, in the order given.
#include "CliChatTask.h"

#include "CliExitCode.h"
#include "auth/AuthSession.h"
#include "net/ConnectionManager.h"
#include "net/FileUploader.h"
#include "protocol/Codec.h"

#include <QJsonDocument>

namespace Natter {

void CliChatTask::sendToChannel(const QString &channelId)
{
    if (m_request.replyToSeq > 0) {
        // §7 reply_to names the target by id: find it by its seq first.
        m_lookupRef = m_connection->requestHistory(channelId, m_request.replyToSeq + 1, 1);
        return;
    }
    m_pending = m_connection->sendMessage(channelId, m_request.text, {}, m_uploaded);
}

void CliChatTask::startUploads(const QString &channelId)
{
    m_uploadChannel = channelId;
    m_uploaded.clear();
    uploadNext();
}

void CliChatTask::uploadNext()
{
    if (m_finished)
        return;
    if (m_uploaded.size() == m_request.files.size()) {
        sendToChannel(m_uploadChannel); // send --attach: every file is up
        return;
    }
    // A large file may take longer than the command's timeout: it restarts for each.
    m_timeout.start(m_request.timeoutMs);
    auto *uploader = new FileUploader(m_session->server().httpBase(), m_session, this);
    connect(uploader, &FileUploader::progress, this,
            [this] { m_timeout.start(m_request.timeoutMs); });
    // A wait the server asked for is not a stall: the timeout starts after it.
    connect(uploader, &FileUploader::waiting, this,
            [this](int seconds) { m_timeout.start(m_request.timeoutMs + seconds * 1000 + 500); });
    connect(uploader, &FileUploader::finished, this, [this, uploader](const Attachment &file) {
        uploader->deleteLater();
        onUploaded(file);
    });
    connect(uploader, &FileUploader::failed, this,
            [this, uploader](FileUploader::Error error, const QString &explanation) {
                uploader->deleteLater();
                const int code = error == FileUploader::Error::Network ? CliExitCode::Unreachable
                    : error == FileUploader::Error::SessionExpired     ? CliExitCode::AuthFailed
                    : error == FileUploader::Error::Unreadable         ? CliExitCode::Usage
                                                                       : CliExitCode::Refused;
                finish(code, explanation);
            });
    uploader->start(m_uploadChannel, m_request.files.at(m_uploaded.size()));
}

void CliChatTask::onUploaded(const Attachment &file)
{
    m_uploaded.append(file.id);
    if (m_request.command == Command::Upload) {
        // The id alone, for scripts (`id=$(natter-cli upload general x.png)`);
        // --json: the server's F.
        Q_EMIT output(
            m_request.json
                ? QJsonDocument(Codec::attachmentToJson(file)).toJson(QJsonDocument::Compact) + '\n'
                : file.id.toUtf8() + '\n');
        finish(CliExitCode::Ok);
        return;
    }
    uploadNext();
}

} // namespace Natter
