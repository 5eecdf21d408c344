#include "MessageSequencer.h"

#include <algorithm>

namespace Natter {
namespace {
constexpr int kRecentIds = 4096;
}

void MessageSequencer::setLastSeq(const QString &channel, qint64 seq)
{
    m_lastSeq.insert(channel, std::max<qint64>(0, seq));
}

void MessageSequencer::setLastSeqIfUnknown(const QString &channel, qint64 seq)
{
    if (!m_lastSeq.contains(channel))
        setLastSeq(channel, seq);
}

MessageSequencer::Result MessageSequencer::accept(const Message &message)
{
    if (message.channel.isEmpty() || message.seq < 1)
        return {};
    // A channel never heard of (a new direct channel, say) starts just before its
    // first message: nothing earlier was ever promised to this client.
    if (!m_lastSeq.contains(message.channel))
        m_lastSeq.insert(message.channel, message.seq - 1);
    if (message.seq <= m_lastSeq.value(message.channel) || m_recentIds.contains(message.id)) {
        Result result;
        const auto seen = m_recentIds.constFind(message.id);
        if (seen != m_recentIds.cend() && message.rev > seen.value()) {
            m_recentIds[message.id] = message.rev;
            result.updates.append(message);
        }
        return result;
    }
    auto &held = m_held[message.channel];
    if (const auto it = held.constFind(message.seq); it != held.cend() && it->rev >= message.rev)
        return drain(message.channel); // a duplicate of a held copy
    held.insert(message.seq, message);
    return drain(message.channel);
}

MessageSequencer::Update MessageSequencer::acceptUpdate(const Message &message)
{
    if (message.channel.isEmpty() || message.seq < 1 || !m_lastSeq.contains(message.channel))
        return Update::Ignore;
    if (message.seq <= m_lastSeq.value(message.channel)) {
        const auto seen = m_recentIds.constFind(message.id);
        if (seen != m_recentIds.cend() && message.rev <= seen.value())
            return Update::Ignore; // §6: applying it twice changes nothing
        remember(message);
        return Update::Apply;
    }
    // §13 puts an update after its message's own frame; that message may wait
    // behind a gap here: the held copy is brought up to date.
    auto heldIt = m_held.find(message.channel);
    if (heldIt != m_held.end()) {
        auto it = heldIt->find(message.seq);
        if (it != heldIt->end() && it->id == message.id && it->rev < message.rev) {
            *it = message;
            return Update::Held;
        }
    }
    return Update::Ignore;
}

void MessageSequencer::resetChannel(const QString &channel, qint64 seq)
{
    m_held.remove(channel);
    setLastSeq(channel, seq);
}

void MessageSequencer::remember(const Message &m)
{
    if (!m_recentIds.contains(m.id)) {
        m_recentOrder.append(m.id);
        if (m_recentOrder.size() > kRecentIds)
            m_recentIds.remove(m_recentOrder.takeFirst());
    }
    m_recentIds.insert(m.id, std::max(m.rev, m_recentIds.value(m.id)));
}

MessageSequencer::Result MessageSequencer::acceptFill(const QString &channel,
                                                      const QList<Message> &messages)
{
    auto &held = m_held[channel];
    const qint64 last = m_lastSeq.value(channel);
    bool progressed = false;
    for (const Message &m : messages) {
        if (m.channel != channel || m.seq <= last || m_recentIds.contains(m.id))
            continue;
        if (!held.contains(m.seq))
            progressed = true;
        // A fill is the current state: it wins unless the held copy is newer.
        if (const auto it = held.constFind(m.seq); it == held.cend() || it->rev <= m.rev)
            held.insert(m.seq, m);
    }
    if (!progressed && !held.isEmpty()) {
        // The server had nothing for the gap: skip it rather than hold the
        // channel back forever.
        m_lastSeq.insert(channel, held.firstKey() - 1);
    }
    return drain(channel);
}

MessageSequencer::Result MessageSequencer::drain(const QString &channel)
{
    Result result;
    auto heldIt = m_held.find(channel);
    if (heldIt == m_held.end())
        return result;
    auto &held = heldIt.value();
    qint64 last = m_lastSeq.value(channel);
    while (!held.isEmpty() && held.firstKey() <= last + 1) {
        const Message m = held.take(held.firstKey());
        if (m.seq <= last || m_recentIds.contains(m.id))
            continue;
        last = m.seq;
        result.deliver.append(m);
        remember(m);
    }
    m_lastSeq.insert(channel, last);
    if (held.isEmpty()) {
        m_held.erase(heldIt);
        return result;
    }
    const Gap gap{channel, last, held.firstKey()};
    const QString key = channel + QLatin1Char(':') + QString::number(gap.beforeSeq);
    result.newGap = !m_reportedGaps.contains(key);
    m_reportedGaps.insert(key);
    result.fill = gap;
    return result;
}

QList<MessageSequencer::Gap> MessageSequencer::openGaps() const
{
    QList<Gap> gaps;
    for (auto it = m_held.cbegin(); it != m_held.cend(); ++it) {
        if (!it.value().isEmpty())
            gaps.append(Gap{it.key(), m_lastSeq.value(it.key()), it.value().firstKey()});
    }
    return gaps;
}

} // namespace Natter
