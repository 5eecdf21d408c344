// Typing between the nodes of a cluster (§3, §5, §12): a `start` or `stop`
// said on one node reaches the other members' sockets on every node, with the
// same expiry rules as on one node.
//
// No state in Redis: one PUBLISH on `natter:typing` per start/stop (the typist's
// node already throttles and expires them, TypingTracker). Every other node
// delivers the frame to its own sockets of the recipients and remembers the
// state with its expiry: when no renewal or `stop` came within the expiry
// (6 s), it says `stop` to its sockets by itself, so the indicators of a node
// that crashed or froze end like any other. A `stop` is delivered only for a
// state this node still holds: whichever of the two comes first ends it, and
// nobody gets it twice.
// Owned by ClusterNode; main thread only.
#pragma once

#include "hub/TypingTracker.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QTimer>

#include <functional>

namespace Natter::Server {

class ClusterNode;

class ClusterTyping : public QObject
{
    Q_OBJECT
public:
    using DeliverLocal = std::function<void(const QStringList &users, const QByteArray &frame)>;

    ClusterTyping(ClusterNode *node, qint64 expiryMs, QObject *parent = nullptr);

    void start();
    void setDeliver(DeliverLocal deliver) { m_deliver = std::move(deliver); }
    // Tells the other nodes (this node has delivered `frame` to its own sockets).
    void relay(const QString &channel, const QString &user, const QStringList &recipients,
               qint64 expiresInMs, const QByteArray &frame);

private:
    void onMessage(const QByteArray &channel, const QByteArray &payload);
    void expire();
    void schedule();

    ClusterNode *m_node;
    TypingTracker m_remote; // (channel, user) -> expiry; "connection" = the origin
    QHash<std::pair<QString, QString>, QStringList> m_recipients;
    DeliverLocal m_deliver;
    QElapsedTimer m_clock;
    QTimer m_timer;
};

} // namespace Natter::Server
