#include "cluster/ClusterTyping.h"

#include "cluster/ClusterNode.h"
#include "hub/ServerCodec.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace Natter::Server {

namespace {
const QByteArray kChannel = QByteArrayLiteral("natter:typing");
}

ClusterTyping::ClusterTyping(ClusterNode *node, qint64 expiryMs, QObject *parent)
    : QObject(parent)
    , m_node(node)
    , m_remote(expiryMs)
{
    m_clock.start();
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &ClusterTyping::expire);
}

void ClusterTyping::start()
{
    connect(m_node->subscriber(), &RedisConnection::message, this, &ClusterTyping::onMessage);
    m_node->subscriber()->subscribe(kChannel);
}

void ClusterTyping::relay(const QString &channel, const QString &user,
                          const QStringList &recipients, qint64 expiresInMs,
                          const QByteArray &frame)
{
    const QJsonObject header{{QStringLiteral("o"), m_node->instance()},
                             {QStringLiteral("ch"), channel},
                             {QStringLiteral("u"), user},
                             {QStringLiteral("r"), QJsonArray::fromStringList(recipients)},
                             {QStringLiteral("e"), expiresInMs}};
    QByteArray data = QJsonDocument(header).toJson(QJsonDocument::Compact);
    data += '\n';
    data += frame;
    // Redis down: the others miss it, as pub/sub may; their clients expire a
    // start by themselves (§3 `expires_in_ms`).
    m_node->commands()->command({QByteArrayLiteral("PUBLISH"), kChannel, data});
}

void ClusterTyping::onMessage(const QByteArray &channel, const QByteArray &payload)
{
    if (channel != kChannel)
        return;
    const qsizetype newline = payload.indexOf('\n');
    if (newline < 0)
        return;
    const QJsonObject h = QJsonDocument::fromJson(payload.left(newline)).object();
    const QString origin = h.value(QStringLiteral("o")).toString();
    if (origin == m_node->instance())
        return; // delivered here when it was said
    const QString ch = h.value(QStringLiteral("ch")).toString();
    const QString user = h.value(QStringLiteral("u")).toString();
    QStringList recipients;
    for (const QJsonValue &r : h.value(QStringLiteral("r")).toArray())
        recipients << r.toString();
    const bool start = h.value(QStringLiteral("e")).toInteger() > 0;
    const std::pair<QString, QString> key{ch, user};
    if (start) {
        m_remote.start(ch, user, origin, m_clock.elapsed());
        m_recipients.insert(key, recipients);
        schedule();
    } else if (!m_remote.stop(ch, user)) {
        return; // ended here already (expired): no second `stop`
    } else {
        m_recipients.remove(key);
    }
    if (m_deliver)
        m_deliver(recipients, payload.mid(newline + 1));
}

void ClusterTyping::expire()
{
    for (const auto &entry : m_remote.takeExpired(m_clock.elapsed())) {
        const QStringList recipients = m_recipients.take({entry.channel, entry.user});
        if (m_deliver)
            m_deliver(recipients, ServerCodec::typingStopFrame(entry.channel, entry.user));
    }
    schedule();
}

void ClusterTyping::schedule()
{
    const qint64 next = m_remote.nextDeadline();
    if (next < 0) {
        m_timer.stop();
        return;
    }
    m_timer.start(int(std::clamp<qint64>(next - m_clock.elapsed(), 0, 24LL * 3600 * 1000)));
}

} // namespace Natter::Server
