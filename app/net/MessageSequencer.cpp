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
    if (message.seq <= m_lastSeq.value(message.channel) || m_recentIds.contains(message.id))
        return {};
    m_held[message.channel].insert(message.seq, message);
    return drain(message.channel);
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
        m_recentIds.insert(m.id);
        m_recentOrder.append(m.id);
        if (m_recentOrder.size() > kRecentIds)
            m_recentIds.remove(m_recentOrder.takeFirst());
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
