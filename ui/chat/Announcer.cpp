#include "Announcer.h"

#include <QAccessible>
#include <QAccessibleWidget>
#include <QStatusBar>

namespace Natter {

namespace {

// The Announcer as assistive technology sees it: a notification named by what
// it says. (Qt has no property for a widget's role: a factory gives it.)
class AnnouncerAccessible : public QAccessibleWidget
{
public:
    explicit AnnouncerAccessible(Announcer *announcer)
        : QAccessibleWidget(announcer, QAccessible::Notification)
    { }

    QString text(QAccessible::Text t) const override
    {
        if (t == QAccessible::Name)
            return static_cast<const Announcer *>(widget())->text();
        return QAccessibleWidget::text(t);
    }
};

QAccessibleInterface *announcerInterface(const QString &, QObject *object)
{
    if (auto *announcer = qobject_cast<Announcer *>(object))
        return new AnnouncerAccessible(announcer);
    return nullptr;
}

} // namespace

Announcer::Announcer(QStatusBar *bar)
    : QWidget(bar)
{
    static const bool installed = [] {
        QAccessible::installFactory(announcerInterface);
        return true;
    }();
    Q_UNUSED(installed)
    setObjectName(QStringLiteral("announcer"));
    // Heard, not seen: the words are on screen where the caller shows them.
    setFixedSize(0, 0);
    setFocusPolicy(Qt::NoFocus);
    bar->addPermanentWidget(this);
    setVisible(false); // explicitly: showing the status bar does not show it
    // As long as the status bar shows a message (ChatWindow::announce).
    m_expiry.setSingleShot(true);
    m_expiry.setInterval(10000);
    connect(&m_expiry, &QTimer::timeout, this, [this] { setVisible(false); });
}

void Announcer::say(const QString &text)
{
    if (text.isEmpty())
        return;
    // A notification popping up with new words: hidden, renamed, shown again
    // (QWidget sends ObjectHide/ObjectShow, which become "showing" 0 and 1).
    // The name change first, so a screen reader that cached the last words
    // reads the new ones when the notification shows.
    setVisible(false);
    m_text = text;
    QAccessibleEvent renamed(this, QAccessible::NameChanged);
    QAccessible::updateAccessibility(&renamed);
    setVisible(true);
    m_expiry.start();
    Q_EMIT said(text);
}

} // namespace Natter
