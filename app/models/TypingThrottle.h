// When to tell the server "I am typing": a plain policy with no event loop.
//
// The contract (docs/protocol.md §3) wants `start` at most every 3 s while the user
// types, and `stop` when the draft is sent or emptied. Times are passed in, so
// the policy is tested without waiting.
#pragma once

#include <QtGlobal>

namespace Natter {

class TypingThrottle
{
public:
    static constexpr qint64 kStartIntervalMs = 3000;

    enum class Action { None, SendStart, SendStop };

    // The composer's text changed at `nowMs` (any monotonic clock, in ms).
    Action draftChanged(bool draftEmpty, qint64 nowMs);
    // The draft was sent (or the channel left): a `stop` is owed if we said `start`.
    Action draftSent();

private:
    bool m_typing = false;
    qint64 m_lastStartMs = 0;
};

} // namespace Natter
