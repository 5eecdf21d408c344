#include "store/postgres/PgChangeListener.h"

#include "ServerLog.h"
#include "store/ChangeFeed.h"

namespace Natter::Server {

namespace {
constexpr int kProbeIntervalMs = 1000;
const QString kChannel = QStringLiteral("natter_changes");
} // namespace

PgChangeListener::PgChangeListener(const QString &conninfo, const QString &password,
                                   ChangeFeed *feed, QObject *parent)
    : QObject(parent)
    , m_conn(conninfo, password)
    , m_feed(feed)
{
    m_probe.setInterval(kProbeIntervalMs);
    connect(&m_probe, &QTimer::timeout, this, &PgChangeListener::probe);
    connect(&m_conn, &PgConnection::reconnected, this, [this] {
        subscribe();
        // Whatever was notified while we were away is lost: re-read everything.
        Q_EMIT m_feed->changed();
    });
}

bool PgChangeListener::start(const QString &ownSource, QString *error)
{
    m_ownSource = ownSource;
    if (!m_conn.open(error))
        return false;
    subscribe();
    m_reachable = true;
    m_probe.start();
    return true;
}

void PgChangeListener::stop()
{
    m_probe.stop();
    m_conn.close();
    m_reachable = false;
}

void PgChangeListener::subscribe()
{
    QSqlDriver *driver = m_conn.database().driver();
    if (!driver)
        return;
    // A new session has a new driver: connect to each one once.
    connect(driver, &QSqlDriver::notification, this, &PgChangeListener::onNotification,
            Qt::UniqueConnection);
    if (!driver->subscribeToNotification(kChannel))
        qCWarning(lcServerStore).noquote().nospace() << "event=postgres_listen_failed";
}

void PgChangeListener::probe()
{
    const bool was = m_reachable;
    m_reachable = m_conn.reconnectIfBroken() && m_conn.run(QStringLiteral("SELECT 1"));
    if (was != m_reachable)
        qCInfo(lcServerStore).noquote().nospace()
            << "event=postgres_reachable value=" << (m_reachable ? "true" : "false");
    if (!was && m_reachable)
        Q_EMIT cameBack();
}

void PgChangeListener::onNotification(const QString &name, QSqlDriver::NotificationSource,
                                      const QVariant &payload)
{
    if (name != kChannel || payload.toString() == m_ownSource)
        return;
    Q_EMIT m_feed->changed();
}

} // namespace Natter::Server
