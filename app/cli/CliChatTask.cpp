#include "CliChatTask.h"

#include "CliExitCode.h"
#include "auth/AuthSession.h"
#include "net/ConnectionManager.h"
#include "net/SearchClient.h"
#include "protocol/Codec.h"
#include "session/ChatSession.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace Natter {

CliChatTask::CliChatTask(AuthSession *session, const Request &request, QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_request(request)
    , m_connection(new ConnectionManager(session, nullptr, this))
    , m_formatter(request.json)
{
    ConnectionManager::Options options;
    options.serverUrl = session->server().httpBase();
    options.origin = session->server().origin();
    options.clientName = QStringLiteral("natter-cli");
    m_connection->setOptions(options);

    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, [this] {
        if (m_heldBack) {
            // Answered, but never taken: the server's limit, or its storage
            // unable to store it, for all that time.
            finish(CliExitCode::Refused,
                   tr("The server could not take this in time (rate_limited); it was not "
                      "done."));
            return;
        }
        const QString why = m_connection->lastError();
        finish(CliExitCode::Unreachable,
               why.isEmpty() ? tr("The server did not answer in time.")
                             : tr("The server did not answer in time: %1").arg(why));
    });

    connect(m_connection, &ConnectionManager::connected, this, &CliChatTask::onConnected);
    connect(
        m_connection, &ConnectionManager::stateChanged, this,
        [this](ConnectionManager::State state) {
            if (state == ConnectionManager::State::LoggedOut) {
                finish(CliExitCode::AuthFailed,
                       tr("The server ended the session: %1. Run `natter-cli login` again.")
                           .arg(m_connection->lastError()));
            } else if (state == ConnectionManager::State::Reconnecting) {
                // One-shot commands report the first failure; listen keeps trying.
                if (m_request.command != Command::Listen && !m_everConnected)
                    finish(
                        CliExitCode::Unreachable,
                        tr("Cannot connect to the chat server: %1").arg(m_connection->lastError()));
                else if (m_request.command == Command::Listen)
                    Q_EMIT notice(
                        tr("Connection lost (%1); reconnecting…").arg(m_connection->lastError()));
            }
        });
    connect(m_connection, &ConnectionManager::loggedOut, this, [this](const QString &reason) {
        finish(CliExitCode::AuthFailed,
               tr("The server ended the session: %1. Run `natter-cli login` again.").arg(reason));
    });
    connect(m_connection, &ConnectionManager::messageAcked, this, [this](const AckEvent &ack) {
        if (m_request.command != Command::Send || ack.clientMsgId != m_pending)
            return;
        if (m_request.json)
            Q_EMIT output(m_formatter.message(ack.message));
        else
            Q_EMIT output(tr("Sent to #%1 (seq %2).")
                              .arg(m_formatter.channelName(ack.message.channel))
                              .arg(ack.message.seq)
                              .toUtf8()
                          + '\n');
        finish(CliExitCode::Ok);
    });
    connect(m_connection, &ConnectionManager::messageFailed, this,
            [this](const QString &clientMsgId, const QString &reason) {
                if (m_request.command == Command::Send && clientMsgId == m_pending)
                    finish(CliExitCode::Refused, tr("The message was not sent: %1").arg(reason));
            });
    connect(m_connection, &ConnectionManager::historyReceived, this,
            [this](const HistoryEvent &event) {
                if (!m_lookupRef.isEmpty() && event.ref == m_lookupRef) {
                    onTargetFound(event);
                    return;
                }
                if (m_request.command != Command::History || event.ref != m_pending)
                    return;
                Q_EMIT output(m_formatter.history(event));
                finish(CliExitCode::Ok);
            });
    connect(m_connection, &ConnectionManager::messageUpdated, this,
            [this](const MessageUpdatedEvent &event) {
                if (m_request.command == Command::Listen) {
                    Q_EMIT output(m_formatter.updated(event));
                    return;
                }
                if (m_pending.isEmpty() || event.ref != m_pending)
                    return;
                const Message &m = event.message;
                if (m_request.json)
                    Q_EMIT output(m_formatter.updated(event));
                else if (m_request.command == Command::React)
                    Q_EMIT output((m_request.off ? tr("Removed your %1 from message %2 in #%3.")
                                                 : tr("Reacted %1 to message %2 in #%3."))
                                      .arg(m_request.emoji)
                                      .arg(m.seq)
                                      .arg(m_formatter.channelName(m.channel))
                                      .toUtf8()
                                  + '\n');
                else if (m_request.command == Command::Delete)
                    Q_EMIT output(tr("Deleted message %1 in #%2.")
                                      .arg(m.seq)
                                      .arg(m_formatter.channelName(m.channel))
                                      .toUtf8()
                                  + '\n');
                else
                    Q_EMIT output(tr("Edited message %1 in #%2.")
                                      .arg(m.seq)
                                      .arg(m_formatter.channelName(m.channel))
                                      .toUtf8()
                                  + '\n');
                finish(CliExitCode::Ok);
            });
    connect(m_connection, &ConnectionManager::channelReceived, this, &CliChatTask::onChannelAnswer);
    connect(m_connection, &ConnectionManager::channelRemoved, this, &CliChatTask::onChannelRemoved);
    connect(m_connection, &ConnectionManager::errorReceived, this, [this](const ErrorEvent &event) {
        if (m_request.command == Command::Listen) {
            Q_EMIT output(m_formatter.error(event));
            return;
        }
        // Looking up a message by its seq is a history request: about the channel.
        const bool lookup = !m_lookupRef.isEmpty() && event.ref == m_lookupRef;
        // A send ends with its ack or messageFailed: the connection keeps a
        // message the server could not store now (rate_limited) and sends it again.
        if (m_request.command == Command::Send && !lookup) {
            m_heldBack = m_heldBack || event.code == u"rate_limited";
            return;
        }
        const bool aboutAMessage = !lookup
            && (m_request.command == Command::Edit || m_request.command == Command::Delete
                || m_request.command == Command::React);
        // So does an edit, delete or react: the answer to come is the one that counts.
        if (aboutAMessage && event.code == u"rate_limited") {
            m_heldBack = true;
            return;
        }
        // In the person's language (the server's `message` is English), with
        // the code for scripts.
        QString why = aboutAMessage ? ChatSession::messageActionRefusal(event.code)
                                    : ChatSession::channelActionRefusal(event.code);
        if (m_request.command == Command::React && event.code == u"bad_request" && !lookup)
            why = tr("A reaction must be a single emoji.");
        //: %1: why, in words; %2: the server's error code, for scripts.
        finish(CliExitCode::Refused, tr("%1 (%2)").arg(why, event.code));
    });

    if (m_request.command == Command::Notify)
        connect(m_connection, &ConnectionManager::channelReceived, this,
                &CliChatTask::onNotifyConfirmed);

    if (m_request.command == Command::Listen) {
        connect(m_connection, &ConnectionManager::messageReceived, this,
                [this](const Message &m) { Q_EMIT output(m_formatter.message(m)); });
        connect(m_connection, &ConnectionManager::typingReceived, this,
                [this](const TypingEvent &e) { Q_EMIT output(m_formatter.typing(e)); });
        connect(m_connection, &ConnectionManager::presenceReceived, this,
                [this](const PresenceEvent &e) { Q_EMIT output(m_formatter.presence(e)); });
        connect(m_connection, &ConnectionManager::readReceived, this,
                [this](const ReadEvent &e) { Q_EMIT output(m_formatter.read(e)); });
        connect(m_connection, &ConnectionManager::channelReceived, this,
                [this](const ChannelEvent &e) { Q_EMIT output(m_formatter.applyChannel(e)); });
        connect(m_connection, &ConnectionManager::resyncRequired, this,
                [this](const ResyncEvent &e) { Q_EMIT output(m_formatter.resync(e)); });
    }
}

CliChatTask::~CliChatTask() = default;

void CliChatTask::start()
{
    if (m_request.command == Command::Download) {
        startDownload(); // its own stall timeout: a large file may take long
        return;
    }
    if (m_request.command != Command::Listen)
        m_timeout.start(m_request.timeoutMs);
    m_connection->open();
}

void CliChatTask::stop()
{
    finish(CliExitCode::Ok);
}

void CliChatTask::onConnected(const ConnectedEvent &event)
{
    const bool first = !m_everConnected;
    m_everConnected = true;
    m_formatter.setSnapshot(event);
    if (!first)
        return; // a reconnect (listen): the connection layer resumes on its own

    if (isChannelCommand()) {
        startChannelCommand();
        return;
    }
    QString channelId;
    if (m_request.command != Command::Channels && m_request.command != Command::Listen
        && m_request.command != Command::Search) {
        channelId = m_formatter.resolveChannel(m_request.channel);
        if (channelId.isEmpty()) {
            finish(CliExitCode::Refused,
                   tr("You have no channel called “%1”. `natter-cli channels` lists yours.")
                       .arg(m_request.channel));
            return;
        }
    }
    switch (m_request.command) {
    case Command::Channels:
        Q_EMIT output(m_formatter.channelList());
        finish(CliExitCode::Ok);
        break;
    case Command::Send:
        if (!m_request.files.isEmpty()) {
            startUploads(channelId); // then sendToChannel()
            break;
        }
        sendToChannel(channelId);
        break;
    case Command::Upload:
        startUploads(channelId);
        break;
    case Command::History:
        m_pending = m_connection->requestHistory(channelId, 0, m_request.limit);
        break;
    case Command::Search: {
        auto *search =
            new SearchClient(m_session->server().apiUrl(QStringLiteral("search")), m_session, this);
        connect(search, &SearchClient::finished, this, [this](const SearchPage &page) {
            Q_EMIT output(m_formatter.searchPage(page));
            finish(CliExitCode::Ok);
        });
        connect(search, &SearchClient::failed, this,
                [this](SearchClient::Error error, const QString &message) {
                    finish(error == SearchClient::Error::Network ? CliExitCode::Unreachable
                               : error == SearchClient::Error::NotSignedIn ? CliExitCode::AuthFailed
                                                                           : CliExitCode::Refused,
                           message);
                });
        search->search(m_request.text, {}, m_request.limit);
        break;
    }
    case Command::Edit:
    case Command::Delete:
    case Command::React:
        // The protocol names a message by id; people name it by its seq: the
        // one-message page before seq + 1 is that message.
        m_lookupRef = m_connection->requestHistory(channelId, m_request.seq + 1, 1);
        break;
    case Command::Directory:
    case Command::Create:
    case Command::Join:
    case Command::Leave:
    case Command::Invite:
    case Command::Dm:
        break; // startChannelCommand()
    case Command::Notify:
        m_pending = m_connection->setNotifyLevel(channelId, m_request.level);
        break;
    case Command::Download:
        break; // start(): no chat connection
    case Command::Listen:
        // JSON consumers get a `connected` line to know they are live; people get
        // the same news on stderr, away from the events.
        if (m_request.json)
            Q_EMIT output(m_formatter.connected(event));
        else
            Q_EMIT notice(QString::fromUtf8(m_formatter.connected(event)).trimmed());
        break;
    }
}

void CliChatTask::onTargetFound(const HistoryEvent &event)
{
    m_lookupRef.clear();
    const qint64 seq = m_request.command == Command::Send ? m_request.replyToSeq : m_request.seq;
    const auto it = std::find_if(event.messages.cbegin(), event.messages.cend(),
                                 [seq](const Message &m) { return m.seq == seq; });
    if (it == event.messages.cend()) {
        finish(CliExitCode::Refused,
               tr("There is no message %1 in #%2.")
                   .arg(seq)
                   .arg(m_formatter.channelName(event.channel)));
        return;
    }
    if (it->deleted) {
        finish(CliExitCode::Refused,
               tr("Message %1 in #%2 has been deleted.")
                   .arg(seq)
                   .arg(m_formatter.channelName(event.channel)));
        return;
    }
    if (m_request.command == Command::Send)
        m_pending = m_connection->sendMessage(it->channel, m_request.text, it->id, m_uploaded);
    else if (m_request.command == Command::React)
        m_pending = m_connection->react(it->channel, it->id, m_request.emoji, !m_request.off);
    else if (m_request.command == Command::Edit)
        m_pending = m_connection->editMessage(it->channel, it->id, {}, m_request.text);
    else
        m_pending = m_connection->deleteMessage(it->channel, it->id, {});
}

void CliChatTask::onNotifyConfirmed(const ChannelEvent &event)
{
    if (m_pending.isEmpty() || event.ref != m_pending)
        return;
    const QString name = m_formatter.channelName(event.channel.id);
    QString line;
    switch (event.channel.notify) {
    case NotifyLevel::All:
        line = tr("#%1 notifies you about every message.").arg(name);
        break;
    case NotifyLevel::Mentions:
        line = tr("#%1 notifies you only when you are mentioned.").arg(name);
        break;
    case NotifyLevel::None:
        line = tr("#%1 notifies you about nothing.").arg(name);
        break;
    }
    if (m_request.json)
        Q_EMIT output(QJsonDocument(QJsonObject{{QStringLiteral("type"), QStringLiteral("notify")},
                                                {QStringLiteral("channel"), event.channel.id},
                                                {QStringLiteral("level"),
                                                 Codec::notifyLevelToString(event.channel.notify)}})
                          .toJson(QJsonDocument::Compact)
                      + '\n');
    else
        Q_EMIT output(line.toUtf8() + '\n');
    finish(CliExitCode::Ok);
}

void CliChatTask::finish(int exitCode, const QString &error)
{
    if (m_finished)
        return;
    m_finished = true;
    m_timeout.stop();
    m_connection->close(); // 1000: a normal end, the server does not wait for us
    Q_EMIT done(exitCode, error);
}

} // namespace Natter
