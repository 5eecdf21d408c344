// Who is typing where, and when the server has to say `stop` on its own.
//
// Plain policy class, time passed in (ms, monotonic). Keyed by (channel, user);
// remembers which connection sent the `start`, because only that connection
// closing ends the typing state (contract §5).
#pragma once

#include <QHash>
#include <QList>
#include <QString>

namespace Natter::Server {

class TypingTracker
{
public:
    struct Entry
    {
        QString channel;
        QString user;
    };

    explicit TypingTracker(qint64 expiryMs = 6000);

    // Records a `start`; the state expires `expiryMs` from now unless renewed.
    void start(const QString &channel, const QString &user, const QString &connection,
               qint64 nowMs);
    // Ends a typing state; true when there was one (so a `stop` is owed).
    bool stop(const QString &channel, const QString &user);
    // Ends every state started from `connection`.
    QList<Entry> connectionClosed(const QString &connection);
    QList<Entry> takeExpired(qint64 nowMs);
    qint64 nextDeadline() const;
    qint64 expiryMs() const { return m_expiryMs; }

private:
    struct State
    {
        QString connection;
        qint64 expiresAt = 0;
    };
    using Key = std::pair<QString, QString>; // channel, user

    qint64 m_expiryMs;
    QHash<Key, State> m_states;
};

} // namespace Natter::Server
