// Turns SIGINT/SIGTERM into a Qt signal (self-pipe trick), so `natter-cli listen`
// can close its WebSocket with 1000 and exit 0 when stopped, instead of dying
// mid-frame. One instance per process (it owns the process's handlers).
#pragma once

#include <QObject>

class QSocketNotifier;

namespace Natter {

class UnixSignalWatcher : public QObject
{
    Q_OBJECT
public:
    explicit UnixSignalWatcher(QObject *parent = nullptr);
    ~UnixSignalWatcher() override;

Q_SIGNALS:
    void interrupted(int signalNumber);

private:
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace Natter
