// Tells the connection layer when trying again right now is worthwhile: the
// network came back (QNetworkInformation, where a backend exists) or the
// machine woke from sleep (WakeDetector). Owned by ConnectionManager.
#pragma once

#include "net/WakeDetector.h"

#include <QObject>
#include <QTimer>

namespace Natter {

class NetworkWatcher : public QObject
{
    Q_OBJECT
public:
    explicit NetworkWatcher(QObject *parent = nullptr);

    // False when no QNetworkInformation backend could be loaded (then only the
    // backoff and the wake detector bring the connection back).
    bool hasReachability() const { return m_hasReachability; }

Q_SIGNALS:
    void networkBack();
    void machineWoke();

private:
    void checkWake();

    bool m_hasReachability = false;
    bool m_wasOnline = true;
    WakeDetector m_wake;
    QTimer m_wakeTimer;
};

} // namespace Natter
