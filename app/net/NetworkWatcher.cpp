#include "NetworkWatcher.h"

#include "util/Logging.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QNetworkInformation>

namespace Natter {
namespace {
constexpr int kWakeSampleMs = 5000;
}

NetworkWatcher::NetworkWatcher(QObject *parent)
    : QObject(parent)
{
    // QNetworkInformation is process-wide; loading the backend twice is harmless.
    if (QNetworkInformation::loadDefaultBackend() && QNetworkInformation::instance()
        && QNetworkInformation::instance()->supports(QNetworkInformation::Feature::Reachability)) {
        auto *info = QNetworkInformation::instance();
        m_hasReachability = true;
        m_wasOnline = info->reachability() == QNetworkInformation::Reachability::Online;
        qCDebug(lcNet) << "network reachability from backend" << info->backendName();
        connect(info, &QNetworkInformation::reachabilityChanged, this,
                [this](QNetworkInformation::Reachability reachability) {
                    const bool online = reachability == QNetworkInformation::Reachability::Online;
                    if (online && !m_wasOnline) {
                        qCInfo(lcNet) << "network is back";
                        Q_EMIT networkBack();
                    }
                    m_wasOnline = online;
                });
    } else {
        qCInfo(lcNet) << "no network information backend available: reconnects rely on the "
                         "backoff timer and the wake detector";
    }

    m_wakeTimer.setInterval(kWakeSampleMs);
    connect(&m_wakeTimer, &QTimer::timeout, this, &NetworkWatcher::checkWake);
    m_wakeTimer.start();
    checkWake();
}

void NetworkWatcher::checkWake()
{
    const qint64 monotonic = QDeadlineTimer::current().deadline();
    if (m_wake.sample(QDateTime::currentMSecsSinceEpoch(), monotonic)) {
        qCInfo(lcNet) << "the machine woke from sleep";
        Q_EMIT machineWoke();
    }
}

} // namespace Natter
