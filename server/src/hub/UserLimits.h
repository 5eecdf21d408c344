// Limits per user, over all of that user's connections (issue 12).
//
// The per-connection token bucket (ClientConnection, §4) does not stop one user
// with fifty sockets: each socket gets its own 20 frames/s. So this class caps
// how many authenticated connections a user may hold, and keeps one token
// bucket per user for each kind of frame whose cost grows with the number of
// sockets (it is stored and fanned out to every member, or creates a channel).
// A frame past the user's rate is answered like one past the connection's:
// a `rate_limited` error (§3), the connection stays open.
//
// Owned by ChatHub; SessionStarter claims a connection slot when a socket
// authenticates, ChatHub releases it when the socket closes, ChatFrameHandler
// asks admit() before it handles a counted frame.
#pragma once

#include "hub/TokenBucket.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QString>
#include <QTimer>

#include <array>
#include <optional>

namespace Natter::Server {

class UserLimits : public QObject
{
    Q_OBJECT
public:
    // What a counted frame costs. A new frame type that is stored, fanned out or
    // creates something (issue 14's `channel_create`) maps onto one of these in
    // ChatFrameHandler's userLimitOf(); a new kind needs a Rate in Settings.
    enum class Kind {
        Message, // send, edit, delete, react: a write to the store and a fan-out to the channel
        Presence, // presence: a fan-out to everyone who shares a channel with the user
        Channel, // dm, channel_create, join, leave, invite, channel_update, archive, notify:
                 // a channel event, stored and announced to its members
        Typing, // typing: a fan-out to the channel
        Session, // authenticate: a snapshot and a replay read, written to the socket
    };
    static constexpr int kKinds = 5;

    struct Rate
    {
        double perSecond;
        int burst;
    };
    struct Settings
    {
        int maxConnectionsPerUser = 32; // 0: no cap
        Rate message{20, 60};
        Rate presence{2, 10};
        Rate channel{2, 10};
        Rate typing{5, 20};
        // Session starts: enough for every device of a user twice over after a
        // restart (the connection cap is 32); a burst of 0 means no limit.
        Rate session{1, 60};
    };

    explicit UserLimits(const Settings &settings, QObject *parent = nullptr);

    // A connection of `userId` is authenticating: false when the user already
    // holds the maximum (the caller refuses it); true claims a slot until
    // releaseConnection().
    bool claimConnection(const QString &userId);
    void releaseConnection(const QString &userId);
    int connectionsOf(const QString &userId) const;

    // One frame of `kind` from `userId`: true when within the user's rate.
    bool admit(const QString &userId, Kind kind);

private:
    struct PerUser
    {
        int connections = 0;
        std::array<std::optional<TokenBucket>, kKinds> buckets;
    };
    Rate rateOf(Kind kind) const;
    // Forgets users without connections whose buckets have refilled: what is
    // left to remember about them is the default.
    void sweep();

    Settings m_settings;
    QHash<QString, PerUser> m_users;
    QElapsedTimer m_clock;
    QTimer m_sweepTimer;
};

} // namespace Natter::Server
