#include "TypingThrottle.h"

namespace Natter {

TypingThrottle::Action TypingThrottle::draftChanged(bool draftEmpty, qint64 nowMs)
{
    if (draftEmpty)
        return draftSent();
    if (!m_typing || nowMs - m_lastStartMs >= kStartIntervalMs) {
        m_typing = true;
        m_lastStartMs = nowMs;
        return Action::SendStart;
    }
    return Action::None;
}

TypingThrottle::Action TypingThrottle::draftSent()
{
    if (!m_typing)
        return Action::None;
    m_typing = false;
    return Action::SendStop;
}

} // namespace Natter
