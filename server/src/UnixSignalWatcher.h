// Turns SIGTERM/SIGINT into a Qt signal, safely (self-pipe trick): the handler
// only writes a byte; the event loop reads it and emits terminationRequested().
#pragma once

#include <QObject>
#include <QSocketNotifier>

#include <memory>

namespace Natter {

class UnixSignalWatcher : public QObject
{
    Q_OBJECT
public:
    explicit UnixSignalWatcher(QObject *parent = nullptr);
    ~UnixSignalWatcher() override;

Q_SIGNALS:
    void terminationRequested(int signal);

private:
    std::unique_ptr<QSocketNotifier> m_notifier;
};

} // namespace Natter
