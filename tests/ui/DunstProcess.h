// Runs Debian's real notification daemon, dunst, on the test's session bus (under
// the X display the test runner provides), and asks it what it shows through
// its own D-Bus interface (org.dunstproject.cmd0, what `dunstctl` uses).
// Notifications never expire in its configuration, so nothing disappears by
// itself while a test looks. The destructor stops it.
#pragma once

#include <QDBusConnection>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>

#include <memory>

struct DunstNotification
{
    uint id = 0;
    QString summary;
    QString body;
};

class DunstProcess
{
public:
    explicit DunstProcess(const QDBusConnection &bus = QDBusConnection::sessionBus());
    ~DunstProcess();

    // Starts dunst and waits until it owns org.freedesktop.Notifications.
    bool start();
    void stop();
    QString errorString() const { return m_error; }

    // How many notifications dunst has on screen right now.
    int displayedCount() const;
    // The notifications dunst has taken off the screen (closed, dismissed), newest first.
    QList<DunstNotification> history() const;
    bool inHistory(uint id) const;
    // Closes the newest notification on screen, as the person clicking it away would.
    bool dismissNewest() const;

private:
    QDBusConnection m_bus;
    QTemporaryDir m_dir;
    std::unique_ptr<QProcess> m_process;
    QString m_error;
};
