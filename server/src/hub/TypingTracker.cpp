#include "hub/TypingTracker.h"

namespace Natter::Server {

TypingTracker::TypingTracker(qint64 expiryMs)
    : m_expiryMs(expiryMs)
{ }

void TypingTracker::start(const QString &channel, const QString &user, const QString &connection,
                          qint64 nowMs)
{
    m_states.insert({channel, user}, State{connection, nowMs + m_expiryMs});
}

bool TypingTracker::stop(const QString &channel, const QString &user)
{
    return m_states.remove({channel, user}) > 0;
}

QList<TypingTracker::Entry> TypingTracker::connectionClosed(const QString &connection)
{
    QList<Entry> ended;
    for (auto it = m_states.begin(); it != m_states.end();) {
        if (it->connection == connection) {
            ended << Entry{it.key().first, it.key().second};
            it = m_states.erase(it);
        } else {
            ++it;
        }
    }
    return ended;
}

QList<TypingTracker::Entry> TypingTracker::takeExpired(qint64 nowMs)
{
    QList<Entry> ended;
    for (auto it = m_states.begin(); it != m_states.end();) {
        if (it->expiresAt <= nowMs) {
            ended << Entry{it.key().first, it.key().second};
            it = m_states.erase(it);
        } else {
            ++it;
        }
    }
    return ended;
}

qint64 TypingTracker::nextDeadline() const
{
    qint64 next = -1;
    for (const auto &s : m_states) {
        if (next < 0 || s.expiresAt < next)
            next = s.expiresAt;
    }
    return next;
}

} // namespace Natter::Server
