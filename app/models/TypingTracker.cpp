#include "TypingTracker.h"

#include "PresenceModel.h"

namespace Natter {

namespace {
// When a `start` carries no expiry (a non-conforming server), fall back to the
// contract's 6 s rather than keeping the indicator forever.
constexpr int kDefaultExpiryMs = 6000;
} // namespace

TypingTracker::TypingTracker(const PresenceModel *names, QObject *parent)
    : QObject(parent)
    , m_names(names)
{
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &TypingTracker::expire);
}

void TypingTracker::apply(const TypingEvent &event)
{
    if (event.state == TypingState::Stop) {
        remove(event.channel, event.user);
        return;
    }
    const int ms = event.expiresInMs > 0 ? event.expiresInMs : kDefaultExpiryMs;
    auto &entries = m_byChannel[event.channel];
    for (Entry &e : entries) {
        if (e.user == event.user) {
            e.expiry = QDeadlineTimer(ms, Qt::PreciseTimer);
            scheduleNextExpiry();
            return;
        }
    }
    entries.append({event.user, QDeadlineTimer(ms, Qt::PreciseTimer)});
    scheduleNextExpiry();
    Q_EMIT typingChanged(event.channel);
}

void TypingTracker::messageArrived(const QString &channel, const QString &userId)
{
    remove(channel, userId);
}

void TypingTracker::clear()
{
    const QStringList channels = m_byChannel.keys();
    m_byChannel.clear();
    m_timer.stop();
    for (const QString &c : channels)
        Q_EMIT typingChanged(c);
}

QStringList TypingTracker::typists(const QString &channel) const
{
    QStringList users;
    for (const Entry &e : m_byChannel.value(channel))
        users.append(e.user);
    return users;
}

QString TypingTracker::typingText(const QString &channel) const
{
    const QStringList users = typists(channel);
    auto name = [this](const QString &id) {
        return m_names ? m_names->displayName(id) : id;
    };
    switch (users.size()) {
    case 0:
        return {};
    case 1:
        return tr("%1 is typing…").arg(name(users.at(0)));
    case 2:
        //: Two people typing, e.g. "Alice and Bob are typing…"
        return tr("%1 and %2 are typing…").arg(name(users.at(0)), name(users.at(1)));
    default:
        //: Three or more people typing at once.
        return tr("Several people are typing…");
    }
}

void TypingTracker::remove(const QString &channel, const QString &user)
{
    auto it = m_byChannel.find(channel);
    if (it == m_byChannel.end())
        return;
    const auto removed = it->removeIf([&](const Entry &e) { return e.user == user; });
    if (it->isEmpty())
        m_byChannel.erase(it);
    if (removed > 0) {
        scheduleNextExpiry();
        Q_EMIT typingChanged(channel);
    }
}

void TypingTracker::expire()
{
    QStringList changed;
    for (auto it = m_byChannel.begin(); it != m_byChannel.end();) {
        if (it->removeIf([](const Entry &e) { return e.expiry.hasExpired(); }) > 0)
            changed.append(it.key());
        if (it->isEmpty())
            it = m_byChannel.erase(it);
        else
            ++it;
    }
    scheduleNextExpiry();
    for (const QString &c : std::as_const(changed))
        Q_EMIT typingChanged(c);
}

void TypingTracker::scheduleNextExpiry()
{
    qint64 next = -1;
    for (const auto &entries : std::as_const(m_byChannel)) {
        for (const Entry &e : entries) {
            const qint64 left = e.expiry.remainingTime();
            if (next < 0 || left < next)
                next = left;
        }
    }
    if (next < 0)
        m_timer.stop();
    else
        m_timer.start(int(qMax<qint64>(0, next)));
}

} // namespace Natter
