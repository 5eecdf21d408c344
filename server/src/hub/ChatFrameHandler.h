// Interprets the frames of an authenticated connection (contract §3, §5):
// send/ack, typing, presence, history, read, dm, ping; errors that keep the
// connection open. Owned by ChatHub, which it uses for fan-out and state.
#pragma once

#include <QJsonObject>
#include <QObject>

namespace Natter::Server {

class ChatHub;
class ClientConnection;

class ChatFrameHandler : public QObject
{
    Q_OBJECT
public:
    static constexpr int kMaxTextCodePoints = 4000;

    explicit ChatFrameHandler(ChatHub *hub, QObject *parent = nullptr);

    void handle(ClientConnection *connection, const QByteArray &data, bool binary);

private:
    void handleSend(ClientConnection *c, const QJsonObject &frame);
    void handleTyping(ClientConnection *c, const QJsonObject &frame);
    void handlePresence(ClientConnection *c, const QJsonObject &frame);
    void handleHistory(ClientConnection *c, const QJsonObject &frame);
    void handleRead(ClientConnection *c, const QJsonObject &frame);
    void handleDm(ClientConnection *c, const QJsonObject &frame);
    // Checks that `channel` names a channel the user belongs to; sends the error if not.
    bool checkMember(ClientConnection *c, const QJsonObject &frame, QString *channel);
    void closeIfAbusive(ClientConnection *c);
    void sendError(ClientConnection *c, const QJsonObject &frame, const QString &code,
                   const QString &message);

    ChatHub *m_hub;
};

} // namespace Natter::Server
