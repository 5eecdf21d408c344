// Turns SIGINT/SIGTERM into a Qt signal (self-pipe trick), so a program can shut
// down cleanly when stopped instead of dying mid-frame: natterd closes its
// sockets with 1001 and flushes, `natter-cli listen` closes with 1000. One
// instance per process (it owns the process's handlers). Unix only.
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
