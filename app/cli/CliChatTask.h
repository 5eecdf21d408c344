// The part of a natter-cli command that needs the chat connection: `channels`,
// `send`, `history`, `edit`, `delete`, `react`, `search` (§10, over HTTP once connected: the
// snapshot names channels and authors) and `listen`. Opens a ConnectionManager with the
// signed-in AuthSession as its token provider, waits for `connected`, does the one thing asked and
// reports the outcome. Owned by CliRunner, which prints what it emits.
#pragma once

#include "EventFormatter.h"

#include <QObject>
#include <QTimer>

namespace Natter {

class AuthSession;
class ConnectionManager;

class CliChatTask : public QObject
{
    Q_OBJECT
public:
    enum class Command { Channels, Send, History, Listen, Edit, Delete, React, Search };
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
        int limit = 50; // history, search
        bool json = false;
        int timeoutMs = 30000; // all but listen give up after this
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

    AuthSession *m_session;
    Request m_request;
    ConnectionManager *m_connection;
    EventFormatter m_formatter;
    QTimer m_timeout;
    QString m_pending; // client_msg_id (send) or ref (history, edit, delete) we wait for
    QString m_lookupRef; // edit/delete: the history request finding the message
    bool m_everConnected = false;
    bool m_finished = false;
};

} // namespace Natter
