// Reconnect delays: exponential backoff with full jitter.
//
// A plain policy class, testable without an event loop. The n-th delay (n from 0)
// is drawn uniformly from [floor, min(cap, base * 2^n)] ("full jitter", so many
// clients cut by one server restart do not come back in lockstep). The small floor
// keeps an unlucky draw of 0 ms from turning into a tight reconnect loop. The
// attempt count resets once a connection has stayed up long enough (60 s by
// default): a server that accepts and drops at once keeps growing the delay.
#pragma once

#include <QRandomGenerator>
#include <QtGlobal>

namespace Natter {

class Backoff
{
public:
    struct Policy
    {
        int baseMs = 500;
        int capMs = 30000;
        int floorMs = 100;
        int resetAfterConnectedMs = 60000;
    };

    Backoff();
    explicit Backoff(const Policy &policy, quint32 seed = 0); // seed 0: random

    // The delay before the next attempt; counts one more attempt.
    int nextDelayMs();
    // The upper bound the next draw would use, for logs and tests.
    int currentCeilingMs() const;
    // The longest delay there is (used after a 4429 flooding close).
    int capMs() const { return m_policy.capMs; }
    int attempts() const { return m_attempts; }

    // A connection that stayed up for `connectedForMs` ended: resets the attempt
    // count when it lasted at least resetAfterConnectedMs.
    void connectionEnded(qint64 connectedForMs);
    void reset() { m_attempts = 0; }

    const Policy &policy() const { return m_policy; }

private:
    Policy m_policy;
    QRandomGenerator m_random;
    int m_attempts = 0;
};

} // namespace Natter
