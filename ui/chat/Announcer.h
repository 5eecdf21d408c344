// What screen readers say without the keyboard focus moving there: reactions
// made, someone typing, a message arriving, notices. A notification object
// (AT-SPI role "notification") in the status bar: say() gives it the words as
// its name and shows it again, which Qt's AT-SPI bridge sends as
// object:property-change:accessible-name and object:state-changed:showing, and
// a notification that starts showing is what Orca speaks (and keeps in its
// notification history). QAccessible::Alert, which the window used to send, is
// dropped by Qt's bridge (AtSpiAdaptor::notify ignores it). Nothing shows on
// screen: the visible text stays with the caller (ChatWindow's status bar).
// Hidden while it has nothing to say, so showing the window says nothing.
// A child of the status bar, owned by it; ChatWindow says what to announce.
#pragma once

#include <QTimer>
#include <QWidget>

class QStatusBar;

namespace Natter {

class Announcer : public QWidget
{
    Q_OBJECT
public:
    explicit Announcer(QStatusBar *bar);

    // Has screen readers say `text` now (nothing for an empty text).
    void say(const QString &text);
    // The last words said: the notification's accessible name.
    QString text() const { return m_text; }

Q_SIGNALS:
    // say() gave screen readers `text`.
    void said(const QString &text);

private:
    QString m_text;
    QTimer m_expiry; // hides it again: a window shown later does not repeat old words
};

} // namespace Natter
