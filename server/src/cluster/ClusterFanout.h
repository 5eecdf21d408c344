// The Fanout of a node in a cluster (§12): delivers to this node's connections
// (LocalFanout) and, through Redis pub/sub, to every other node's.
//
// - toChannel() of a `message` or `message_updated` (a frame with an ev) is
//   published after commit (the hub calls the fan-out from whenDurable) and goes
//   to this node's connections through the ChannelSequencer, the same path as a
//   frame from another node: per-channel order by ev, duplicates dropped, gaps
//   held for the reorder window and then filled from the store, and a periodic
//   position check against the store's last_seq/last_ev (also right after every
//   Redis (re)subscribe).
// - Other frames (typing, presence, read, channel) go to local connections at
//   once and to the other nodes as they come (pub/sub is at most once; these
//   are either repeated by their sender or told again on resume).
// - closeUser()/closeFamily() close this node's sockets at once and tell every
//   other node; a backstop every few seconds closes any socket whose family
//   was revoked or whose user was disabled, for a control message Redis lost.
// - nodeLocal(): what every node learns by itself from the store's change feed
//   (MembershipWatcher) is delivered here only, never published.
// - membershipChanged() publishes "read the memberships now" after a channel
//   event's frames and before its system messages: each other node's watcher
//   reads at once, and tells newcomers there the system messages its
//   out-of-date cache routed past them.
//
// Its store reads (positions, gap fills, the backstop's) are ChatStore jobs,
// off the event loop on PostgreSQL (issue 16).
//
// Redis down: sends still commit and reach this node's connections; the other
// nodes catch up from the store by the position check once Redis is back.
// Owned by ChatHub (created by the composition root when --redis is given).
#pragma once

#include "cluster/ChannelSequencer.h"
#include "cluster/RedisConnection.h"
#include "hub/Fanout.h"
#include "store/ChannelStore.h"
#include "store/MessageStore.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace Natter::Server {

class ChatStore;
class LocalFanout;
class SessionRegistry;

class ClusterFanout : public QObject, public Fanout
{
    Q_OBJECT
public:
    struct Settings
    {
        QString redisHost = QStringLiteral("127.0.0.1");
        quint16 redisPort = 6379;
        QByteArray redisUser; // AUTH (redis_user); empty: the default user
        QByteArray redisPassword; // empty: no AUTH; never logged
        QString nodeId; // for the log; echo suppression uses a per-process instance id
        int reorderWindowMs = 100;
        int positionCheckMs = 5000;
        int backstopMs = 5000;
    };

    ClusterFanout(const Settings &settings, ChatStore *store, LocalFanout *local,
                  const SessionRegistry *sessions, QObject *parent = nullptr);
    ~ClusterFanout() override;

    // Connects to Redis and reads every channel's position.
    void start();

    void toChannel(const QString &channel, const LiveFrame &frame,
                   const QString &skipConnection = {}) override;
    void toUsers(const QStringList &users, const LiveFrame &frame,
                 const QString &skipConnection = {}) override;
    void closeUser(const QString &user, int code, const QString &reason) override;
    void closeFamily(const QString &familyId, int code, const QString &reason) override;
    void toChannelWithAck(const QString &channel, const LiveFrame &frame,
                          const QString &skipConnection,
                          const std::function<void()> &ownAck) override;
    void expectLocal(const QString &channel, qint64 ev) override
    {
        m_sequencer.expect(channel, ev, now());
    }
    Fanout *nodeLocal() override { return &m_nodeLocal; }
    void membershipChanged(const QString &channel) override;
    void setMembershipHandler(MembershipHandler handler) override
    {
        m_membershipHandler = std::move(handler);
    }

    bool redisConnected() const { return m_pub.isConnected() && m_sub.isConnected(); }

private:
    // Fanout for the change feed's announcements: this node only.
    class NodeLocal : public Fanout
    {
    public:
        explicit NodeLocal(ClusterFanout *owner)
            : m_owner(owner)
        { }
        void toChannel(const QString &channel, const LiveFrame &frame,
                       const QString &skipConnection = {}) override;
        void toUsers(const QStringList &users, const LiveFrame &frame,
                     const QString &skipConnection = {}) override;
        void closeUser(const QString &user, int code, const QString &reason) override;
        void closeFamily(const QString &familyId, int code, const QString &reason) override;

    private:
        ClusterFanout *m_owner;
    };

    void deliverLocally(const QString &channel, const LiveFrame &frame, const QString &skip,
                        const std::function<void()> &before = {});
    void publish(const QJsonObject &header, const QByteArray &payload);
    void onMessage(const QByteArray &redisChannel, const QByteArray &data);
    void onSubscribed();
    // Reads every channel's last_seq/last_ev (a store job); fills what this
    // node is behind on. One read at a time; asked for meanwhile, it reads again.
    void checkPositions();
    void positionsRead(const QList<StoredChannel> &channels);
    // Closes sockets of revoked families and disabled users (a lost control
    // message), from one store job's reads.
    void backstop();
    // Reads the channel's rows after afterEv (a store job) for the sequencer.
    void refill(const QString &channel, qint64 afterSeq, qint64 afterEv);
    static ChannelSequencer::Refilled framesOf(const QList<StoredMessage> &rows, qint64 afterSeq,
                                               qint64 afterEv);
    qint64 now() const { return m_clock.elapsed() + 1; }

    Settings m_settings;
    QString m_instance; // this process (a restarted node is a new one)
    ChatStore *m_store;
    LocalFanout *m_local;
    const SessionRegistry *m_sessions;
    NodeLocal m_nodeLocal{this};
    MembershipHandler m_membershipHandler;
    RedisConnection m_pub;
    RedisConnection m_sub;
    ChannelSequencer m_sequencer;
    QElapsedTimer m_clock;
    bool m_positionsKnown = false;
    bool m_positionCheckRunning = false;
    bool m_positionCheckAgain = false;
    bool m_backstopRunning = false;
    // NATTERD_TEST_CRASH_BEFORE_PUBLISH=1: exit after the next message's commit,
    // before its publish (a fault for the multi-node tests; never set in production).
    bool m_crashBeforePublish = false;
    QTimer m_reorder; // runs while a gap waits
    QTimer m_positionCheck;
    QTimer m_backstop;
};

} // namespace Natter::Server
