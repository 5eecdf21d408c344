// The part of a natter-cli command that needs the chat connection: `channels`,
// `send`, `history`, `edit`, `delete`, `react`, `notify`, `search` (§10, over HTTP once
// connected: the snapshot names channels and authors), `upload` and `send --attach` (§9, over
// HTTP once connected), the §8 channel commands and `listen`.
// Opens a ConnectionManager with the signed-in AuthSession as its token provider, waits for
// `connected`, does the one thing asked and reports the outcome. `download` (§9)
// needs no chat connection: it fetches the file over HTTP with the same sign-in. Owned by
// CliRunner, which prints what it emits.
#pragma once

#include "EventFormatter.h"

#include <QObject>
#include <QTimer>

namespace Natter {

class AuthSession;
class ConnectionManager;
class DirectoryClient;

class CliChatTask : public QObject
{
    Q_OBJECT
public:
    enum class Command {
        Channels,
        Send,
        History,
        Listen,
        Edit,
        Delete,
        React,
        Search, // §10
        // §8 (CliChannelCommands.cpp)
        Directory,
        Create,
        Join,
        Leave,
        Invite,
        Dm,
        Notify, // §8
        Upload, // §9 (CliFileCommands.cpp)
        Download, // §9 (CliDownloadCommand.cpp): HTTP only, no chat connection
    };
    Q_ENUM(Command)

    struct Request
    {
        Command command = Command::Channels;
        QString channel; // name, #name or id (send, history)
        QString text; // send, edit; search: the query
        qint64 seq = 0; // edit, delete, react: the message's seq in `channel`
        qint64 replyToSeq = 0; // send --reply-to: the seq of the message answered (0: none)
        QString emoji; // react
        bool off = false; // react --off: remove the reaction
        NotifyLevel level = NotifyLevel::All; // notify (§8)
        int limit = 50; // history, search
        bool json = false;
        int timeoutMs = 30000; // all but listen give up after this
        // §8: create's --topic and --private; usernames for create --member, invite, dm
        QString topic;
        bool isPrivate = false;
        QStringList users;
        // §9: upload's file; send --attach's files, in order
        QStringList files;
        // download (§9): the file's id and where to save it (empty: its own name,
        // in the current directory)
        QString fileId;
        QString outputPath;
    };

    CliChatTask(AuthSession *session, const Request &request, QObject *parent = nullptr);
    ~CliChatTask() override;

    void start();
    // Closes the connection with 1000 (listen: Ctrl+C); done(Ok) follows.
    void stop();

Q_SIGNALS:
    // Lines for stdout.
    void output(const QByteArray &lines);
    // Something for stderr that is not the end (listen: connection trouble).
    void notice(const QString &message);
    // The end: an exit code (CliExitCode) and, unless 0, a sentence for stderr.
    void done(int exitCode, const QString &error);

private:
    void onConnected(const ConnectedEvent &event);
    // edit/delete/react/send --reply-to: the one-message history page that names
    // the message at `seq` (or `replyToSeq`).
    void onTargetFound(const HistoryEvent &event);
    void finish(int exitCode, const QString &error = {});
    // §8 commands (CliChannelCommands.cpp): started once connected; people are
    // named by username and found in the directory first.
    bool isChannelCommand() const;
    void startChannelCommand();
    void onUsersFound(const QList<User> &users);
    void sendChannelAction();
    void onChannelAnswer(const ChannelEvent &event);
    void onChannelRemoved(const ChannelRemovedEvent &event);
    // notify: the server's `channel` frame answering our §8 `notify`.
    void onNotifyConfirmed(const ChannelEvent &event);
    // §9 (CliFileCommands.cpp): upload, and send --attach's files before the
    // send, one after the other; then the send goes on with their ids.
    void startUploads(const QString &channelId);
    void uploadNext();
    void onUploaded(const Attachment &file);
    void sendToChannel(const QString &channelId);
    // download (CliDownloadCommand.cpp): GET /api/v1/files/<id> with FileDownloader,
    // continuing a partial file left by an earlier attempt.
    void startDownload();
    void onDownloaded(const QString &path, qint64 resumedFrom);

    AuthSession *m_session;
    Request m_request;
    ConnectionManager *m_connection;
    EventFormatter m_formatter;
    QTimer m_timeout;
    QString m_pending; // client_msg_id (send) or ref (history, edit, delete) we wait for
    QString m_lookupRef; // edit/delete: the history request finding the message
    DirectoryClient *m_directory = nullptr;
    QStringList m_userIds; // §8: the ids of request.users, in order
    int m_usersAsked = 0;
    QString m_targetChannel; // §8: the channel id acted on
    QString m_uploadChannel; // §9: the channel id the files go to
    QStringList m_uploaded; // §9: ids of the files uploaded so far, in order
    bool m_everConnected = false;
    bool m_finished = false;
    bool m_heldBack = false; // the server answered rate_limited: it is sent again
};

} // namespace Natter
