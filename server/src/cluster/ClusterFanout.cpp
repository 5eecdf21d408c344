#include "cluster/ClusterFanout.h"

#include "RandomId.h"
#include "cluster/ClusterLog.h"
#include "hub/ClientConnection.h"
#include "hub/LocalFanout.h"
#include "hub/ServerCodec.h"
#include "hub/SessionRegistry.h"
#include "store/ChatStore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>

#include <algorithm>
#include <cstdlib>
#include <limits>

namespace Natter::Server {

namespace {
// One pub/sub channel for the fan-out (one publishing connection per node keeps
// that node's order) and one for control messages.
const QByteArray kFanoutChannel = QByteArrayLiteral("natter:fanout");
const QByteArray kControlChannel = QByteArrayLiteral("natter:control");
constexpr int kRefillLimit = 1000;

RedisConnection::Settings redisSettings(const ClusterFanout::Settings &s, const char *name)
{
    RedisConnection::Settings r;
    r.host = s.redisHost;
    r.port = s.redisPort;
    r.user = s.redisUser;
    r.password = s.redisPassword;
    r.name = QString::fromLatin1(name);
    return r;
}
} // namespace

ClusterFanout::ClusterFanout(const Settings &settings, ChatStore *store, LocalFanout *local,
                             const SessionRegistry *sessions, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_instance(RandomId::hex(8))
    , m_store(store)
    , m_local(local)
    , m_sessions(sessions)
    , m_pub(redisSettings(settings, "publish"))
    , m_sub(redisSettings(settings, "subscribe"))
    , m_sequencer([this](const LiveFrame &frame,
                         const QString &skip) { m_local->toChannel(frame.channel, frame, skip); },
                  [this](const QString &channel, qint64 afterSeq, qint64 afterEv) {
                      refill(channel, afterSeq, afterEv);
                  },
                  settings.reorderWindowMs)
{
    m_clock.start();
    m_crashBeforePublish = qEnvironmentVariableIntValue("NATTERD_TEST_CRASH_BEFORE_PUBLISH") == 1;
    m_reorder.setInterval(qMax(10, m_settings.reorderWindowMs / 2));
    connect(&m_reorder, &QTimer::timeout, this, [this] {
        m_sequencer.refillDue(now());
        if (!m_sequencer.hasGaps())
            m_reorder.stop();
    });
    m_positionCheck.setInterval(m_settings.positionCheckMs);
    connect(&m_positionCheck, &QTimer::timeout, this, &ClusterFanout::checkPositions);
    m_backstop.setInterval(m_settings.backstopMs);
    connect(&m_backstop, &QTimer::timeout, this, &ClusterFanout::backstop);
    connect(&m_sub, &RedisConnection::message, this, &ClusterFanout::onMessage);
    connect(&m_sub, &RedisConnection::subscribed, this, &ClusterFanout::onSubscribed);
}

ClusterFanout::~ClusterFanout() = default;

void ClusterFanout::start()
{
    qCInfo(lcServerCluster).noquote().nospace()
        << "event=cluster_start node=" << m_settings.nodeId << " instance=" << m_instance
        << " redis=" << m_settings.redisHost << ':' << m_settings.redisPort
        << " position_check_ms=" << m_settings.positionCheckMs;
    // Subscribe first, then read the positions (§3 of the design: nothing
    // committed after the read can be missed; anything before it is in the store).
    m_sub.subscribe(kFanoutChannel);
    m_sub.subscribe(kControlChannel);
    m_sub.open();
    m_pub.open();
    checkPositions();
    m_positionCheck.start();
    m_backstop.start();
}

void ClusterFanout::deliverLocally(const QString &channel, const LiveFrame &frame,
                                   const QString &skip, const std::function<void()> &before)
{
    if (frame.ev > 0) {
        m_sequencer.offer(frame, skip, now(), before);
        if (m_sequencer.hasGaps() && !m_reorder.isActive())
            m_reorder.start();
    } else {
        if (before)
            before();
        m_local->toChannel(channel, frame, skip);
    }
}

void ClusterFanout::publish(const QJsonObject &header, const QByteArray &payload)
{
    QJsonObject h = header;
    h.insert(QStringLiteral("o"), m_instance);
    QByteArray data = QJsonDocument(h).toJson(QJsonDocument::Compact);
    data += '\n';
    data += payload;
    const bool control = h.value(QStringLiteral("t")).toString().startsWith(QLatin1Char('c'))
        && h.value(QStringLiteral("t")).toString() != QLatin1String("c");
    // Not connected: the reply says so at once. The other nodes then find the
    // frames with an ev by their position check; the rest is lost, as pub/sub may.
    m_pub.command({QByteArrayLiteral("PUBLISH"), control ? kControlChannel : kFanoutChannel, data});
}

void ClusterFanout::toChannel(const QString &channel, const LiveFrame &frame,
                              const QString &skipConnection)
{
    if (m_crashBeforePublish && frame.kind == LiveFrame::Kind::Message) {
        // The test fault (issue 16, test 3): the message is committed, nobody
        // else has heard of it. Only the position check can find it now.
        qCWarning(lcServerCluster).noquote().nospace()
            << "event=cluster_test_crash_before_publish channel=" << channel
            << " seq=" << frame.seq;
        std::_Exit(70);
    }
    QJsonObject h{{QStringLiteral("t"), QStringLiteral("c")},
                  {QStringLiteral("ch"), channel},
                  {QStringLiteral("k"), int(frame.kind)},
                  {QStringLiteral("s"), frame.seq},
                  {QStringLiteral("e"), frame.ev},
                  {QStringLiteral("x"), skipConnection}};
    publish(h, frame.frame.payload());
    deliverLocally(channel, frame, skipConnection);
}

void ClusterFanout::toChannelWithAck(const QString &channel, const LiveFrame &frame,
                                     const QString &skipConnection,
                                     const std::function<void()> &ownAck)
{
    if (m_crashBeforePublish && frame.kind == LiveFrame::Kind::Message) {
        toChannel(channel, frame, skipConnection); // exits
        return;
    }
    QJsonObject h{{QStringLiteral("t"), QStringLiteral("c")},
                  {QStringLiteral("ch"), channel},
                  {QStringLiteral("k"), int(frame.kind)},
                  {QStringLiteral("s"), frame.seq},
                  {QStringLiteral("e"), frame.ev},
                  {QStringLiteral("x"), skipConnection}};
    publish(h, frame.frame.payload());
    deliverLocally(channel, frame, skipConnection, ownAck);
}

void ClusterFanout::toUsers(const QStringList &users, const LiveFrame &frame,
                            const QString &skipConnection)
{
    QJsonObject h{{QStringLiteral("t"), QStringLiteral("u")},
                  {QStringLiteral("u"), QJsonArray::fromStringList(users)},
                  {QStringLiteral("ch"), frame.channel},
                  {QStringLiteral("k"), int(frame.kind)},
                  {QStringLiteral("s"), frame.seq},
                  {QStringLiteral("x"), skipConnection}};
    publish(h, frame.frame.payload());
    m_local->toUsers(users, frame, skipConnection);
}

void ClusterFanout::closeUser(const QString &user, int code, const QString &reason)
{
    publish({{QStringLiteral("t"), QStringLiteral("cu")},
             {QStringLiteral("id"), user},
             {QStringLiteral("code"), code},
             {QStringLiteral("r"), reason}},
            {});
    m_local->closeUser(user, code, reason);
}

void ClusterFanout::closeFamily(const QString &familyId, int code, const QString &reason)
{
    publish({{QStringLiteral("t"), QStringLiteral("cf")},
             {QStringLiteral("id"), familyId},
             {QStringLiteral("code"), code},
             {QStringLiteral("r"), reason}},
            {});
    m_local->closeFamily(familyId, code, reason);
}

void ClusterFanout::membershipChanged(const QString &channel)
{
    // On the fan-out channel, so it reaches each node before the frames this
    // node publishes after it (the event's system messages).
    publish({{QStringLiteral("t"), QStringLiteral("m")}, {QStringLiteral("ch"), channel}}, {});
}

void ClusterFanout::onMessage(const QByteArray &, const QByteArray &data)
{
    const qsizetype newline = data.indexOf('\n');
    if (newline < 0)
        return;
    const QJsonObject h = QJsonDocument::fromJson(data.left(newline)).object();
    if (h.value(QStringLiteral("o")).toString() == m_instance)
        return; // our own: delivered here when it was published
    const QString type = h.value(QStringLiteral("t")).toString();
    if (type == QLatin1String("cf") || type == QLatin1String("cu")) {
        const QString id = h.value(QStringLiteral("id")).toString();
        const int code = h.value(QStringLiteral("code")).toInt();
        const QString reason = h.value(QStringLiteral("r")).toString();
        qCInfo(lcServerCluster).noquote().nospace()
            << "event=cluster_close kind=" << (type == QLatin1String("cf") ? "family" : "user")
            << " code=" << code;
        if (type == QLatin1String("cf"))
            m_local->closeFamily(id, code, reason);
        else
            m_local->closeUser(id, code, reason);
        return;
    }
    if (type == QLatin1String("m")) {
        if (m_membershipHandler)
            m_membershipHandler(h.value(QStringLiteral("ch")).toString());
        return;
    }
    LiveFrame frame;
    frame.kind = LiveFrame::Kind(h.value(QStringLiteral("k")).toInt());
    frame.channel = h.value(QStringLiteral("ch")).toString();
    frame.seq = qint64(h.value(QStringLiteral("s")).toDouble());
    frame.ev = qint64(h.value(QStringLiteral("e")).toDouble());
    frame.frame = WireFrame(data.mid(newline + 1));
    const QString skip = h.value(QStringLiteral("x")).toString();
    if (type == QLatin1String("c")) {
        deliverLocally(frame.channel, frame, skip);
    } else if (type == QLatin1String("u")) {
        QStringList users;
        for (const QJsonValue &u : h.value(QStringLiteral("u")).toArray())
            users << u.toString();
        m_local->toUsers(users, frame, skip);
    }
}

void ClusterFanout::onSubscribed()
{
    // Anything published while this node was not subscribed is lost to it:
    // look at the store now rather than at the next check, and re-check the
    // sockets a lost control message should have closed.
    qCInfo(lcServerCluster).noquote().nospace()
        << "event=cluster_subscribed node=" << m_settings.nodeId;
    checkPositions();
    backstop();
}

void ClusterFanout::checkPositions()
{
    if (m_positionCheckRunning) {
        m_positionCheckAgain = true; // asked after the running read began
        return;
    }
    m_positionCheckRunning = true;
    QPointer<ClusterFanout> self(this);
    m_store->run([](ChatStore &store) { return store.allChannels(); },
                 [self](const StoreResult<QList<StoredChannel>> &channels) {
                     if (!self)
                         return;
                     self->m_positionCheckRunning = false;
                     if (channels) {
                         self->positionsRead(*channels);
                     } else {
                         qCWarning(lcServerCluster).noquote().nospace()
                             << "event=cluster_position_check_failed node="
                             << self->m_settings.nodeId;
                     }
                     if (std::exchange(self->m_positionCheckAgain, false))
                         self->checkPositions();
                 });
}

void ClusterFanout::positionsRead(const QList<StoredChannel> &channels)
{
    const qint64 t = now();
    for (const StoredChannel &c : channels) {
        if (!m_positionsKnown) {
            // The first read: where every existing channel stands. start()
            // asked for it before natterd listens, so no send of this node
            // committed before it; frames from others held meanwhile that it
            // covers were committed before this node served anyone.
            m_sequencer.reset(c.id, c.lastSeq, c.lastEv);
            continue;
        }
        m_sequencer.catchUp(c.id, c.lastEv, t);
    }
    m_positionsKnown = true;
    if (m_sequencer.hasGaps() && !m_reorder.isActive())
        m_reorder.start();
}

void ClusterFanout::refill(const QString &channel, qint64 afterSeq, qint64 afterEv)
{
    QPointer<ClusterFanout> self(this);
    m_store->run(
        [channel, afterEv](ChatStore &store) {
            return store.changedSince(channel, afterEv, std::numeric_limits<qint64>::max(),
                                      kRefillLimit);
        },
        [self, channel, afterSeq, afterEv](const StoreResult<QList<StoredMessage>> &rows) {
            if (!self)
                return;
            std::optional<ChannelSequencer::Refilled> got;
            if (rows)
                got = framesOf(*rows, afterSeq, afterEv);
            self->m_sequencer.refilled(channel, afterEv, got, self->now());
            if (self->m_sequencer.hasGaps() && !self->m_reorder.isActive())
                self->m_reorder.start();
        });
}

ChannelSequencer::Refilled ClusterFanout::framesOf(const QList<StoredMessage> &rows,
                                                   qint64 afterSeq, qint64 afterEv)
{
    ChannelSequencer::Refilled out;
    out.seq = afterSeq;
    out.ev = afterEv;
    // New messages in seq order (the receivers' order rule), then the changes
    // of the ones the connections already have, in ev order; every frame carries
    // the message's current state.
    QList<StoredMessage> fresh;
    QList<StoredMessage> changed;
    for (const StoredMessage &m : rows) {
        (m.seq > afterSeq ? fresh : changed).append(m);
        out.ev = qMax(out.ev, m.ev);
    }
    std::sort(fresh.begin(), fresh.end(),
              [](const StoredMessage &a, const StoredMessage &b) { return a.seq < b.seq; });
    for (const StoredMessage &m : std::as_const(fresh)) {
        LiveFrame f{LiveFrame::Kind::Message, m.channel, m.seq, ServerCodec::messageFrame(m)};
        f.ev = m.ev;
        out.frames.append(f);
        out.seq = qMax(out.seq, m.seq);
    }
    for (const StoredMessage &m : std::as_const(changed)) {
        const auto change = m.deleted ? ServerCodec::Change::Delete
            : m.editedAt.isValid()    ? ServerCodec::Change::Edit
                                      : ServerCodec::Change::Reaction;
        LiveFrame f{LiveFrame::Kind::Update, m.channel, m.seq,
                    ServerCodec::messageUpdatedFrame(QJsonValue::Undefined, change, m)};
        f.ev = m.ev;
        out.frames.append(f);
    }
    return out;
}

void ClusterFanout::backstop()
{
    if (m_backstopRunning)
        return; // the store has not answered the last one yet
    QStringList families;
    for (ClientConnection *c : m_sessions->all()) {
        if (c->isAuthenticated() && !c->familyId().isEmpty())
            families << c->familyId();
    }
    families.removeDuplicates();
    struct Check
    {
        StoreResult<QSet<QString>> disabled = StoreError::NotFound;
        QSet<QString> revoked;
    };
    m_backstopRunning = true;
    QPointer<ClusterFanout> self(this);
    m_store->run(
        [families](ChatStore &store) {
            Check check;
            check.disabled = store.disabledUserIds();
            for (const QString &family : families) {
                // A failed read closes nothing: only a known revocation does.
                const auto active = store.familyActive(family);
                if (active.has_value() && !*active)
                    check.revoked.insert(family);
            }
            return check;
        },
        // The connections as they are now: one gone meanwhile is not there.
        [self](const Check &check) {
            if (!self)
                return;
            self->m_backstopRunning = false;
            for (ClientConnection *c : self->m_sessions->all()) {
                if (!c->isAuthenticated())
                    continue;
                if (check.disabled && check.disabled->contains(c->userId())) {
                    c->close(4401, QStringLiteral("account disabled"));
                    continue;
                }
                if (check.revoked.contains(c->familyId()))
                    c->close(4401, QStringLiteral("token revoked"));
            }
        });
}

void ClusterFanout::NodeLocal::toChannel(const QString &channel, const LiveFrame &frame,
                                         const QString &skipConnection)
{
    m_owner->deliverLocally(channel, frame, skipConnection);
}

void ClusterFanout::NodeLocal::toUsers(const QStringList &users, const LiveFrame &frame,
                                       const QString &skipConnection)
{
    m_owner->m_local->toUsers(users, frame, skipConnection);
}

void ClusterFanout::NodeLocal::closeUser(const QString &user, int code, const QString &reason)
{
    m_owner->m_local->closeUser(user, code, reason);
}

void ClusterFanout::NodeLocal::closeFamily(const QString &familyId, int code, const QString &reason)
{
    m_owner->m_local->closeFamily(familyId, code, reason);
}

} // namespace Natter::Server
