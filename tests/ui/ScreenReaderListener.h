// The screen reader's side of AT-SPI, in the test: connects to the
// accessibility bus, registers event listeners with the registry (Qt's bridge
// only sends the kinds of event some listener registered for), and for every
// object that starts showing or changes its name asks the application, over
// the bus, for the object's role and name — what Orca does before it speaks.
// What it heard is kept in order. Lives in the test's thread; the application
// may be this very process (its bridge answers from the event loop, so every
// question is asked asynchronously).
#pragma once

#include <QDBusConnection>
#include <QList>
#include <QObject>
#include <QString>

class QDBusMessage;

class ScreenReaderListener : public QObject
{
    Q_OBJECT
public:
    struct Heard
    {
        QString event; // "showing" (object:state-changed:showing, on) or "name"
        QString role; // the AT-SPI role name the application gives: "notification", "label"…
        QString name;
    };

    explicit ScreenReaderListener(QObject *parent = nullptr);
    ~ScreenReaderListener() override;

    // Connects to the accessibility bus at `address` and listens for the
    // signals below.
    bool connectTo(const QString &address);
    // Registers a listener for an event kind ("object:state-changed:showing")
    // with org.a11y.atspi.Registry, as libatspi does for Orca.
    bool registerEvent(const QString &event);
    QString errorString() const { return m_error; }

    const QList<Heard> &heard() const { return m_heard; }
    // Whether a notification showed with exactly `name`: what Orca speaks.
    bool heardNotification(const QString &name) const;
    // Every notification heard so far, for failure messages.
    QStringList notifications() const;
    void clear() { m_heard.clear(); }

private Q_SLOTS:
    void onStateChanged(const QDBusMessage &message);
    void onPropertyChange(const QDBusMessage &message);

private:
    void lookUp(const QString &event, const QString &service, const QString &path);

    QString m_connectionName;
    QDBusConnection m_bus;
    QList<Heard> m_heard;
    QString m_error;
};
