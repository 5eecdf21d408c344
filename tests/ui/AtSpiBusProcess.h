// Runs Debian's real AT-SPI accessibility bus for one test, as a desktop
// session does: at-spi-bus-launcher takes org.a11y.Bus (and org.a11y.Status)
// on the test's session bus and starts the accessibility bus (a dbus-daemon);
// the registry, at-spi2-registryd, is started on that bus on demand by the
// first call to it. The launcher stops its bus when it ends, but the registry
// would stay until the session bus goes: stop() ends it first, by its process
// id as the accessibility bus reports it; anything left in the launcher's
// process group after it ends is killed. The destructor stops everything.
#pragma once

#include <QDBusConnection>
#include <QProcess>
#include <QString>

#include <memory>

class AtSpiBusProcess
{
public:
    explicit AtSpiBusProcess(const QDBusConnection &session = QDBusConnection::sessionBus());
    ~AtSpiBusProcess();

    // Starts the launcher and waits until it owns org.a11y.Bus and answers GetAddress.
    bool start();
    void stop();
    QString errorString() const { return m_error; }

    // The accessibility bus's address (org.a11y.Bus.GetAddress), as clients ask it.
    QString address() const { return m_address; }
    // Sets org.a11y.Status.ScreenReaderEnabled, as Orca does when it starts.
    bool setScreenReaderEnabled(bool on);

private:
    void stopRegistry();

    QDBusConnection m_session;
    std::unique_ptr<QProcess> m_process;
    QString m_address;
    QString m_error;
};
