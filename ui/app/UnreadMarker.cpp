#include "UnreadMarker.h"

#include "models/MessageListModel.h"

#include <QAccessible>
#include <QEvent>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QPushButton>
#include <QScrollBar>

namespace Natter {

UnreadMarker::UnreadMarker(QListView *view)
    : QObject(view)
    , m_view(view)
    , m_line(new QFrame(view->viewport()))
    , m_label(new QLabel(m_line))
    , m_jump(new QPushButton(view->viewport()))
{
    // The line: a rule with the words on it, drawn in the highlight colour.
    m_line->setObjectName(QStringLiteral("newMessagesLine"));
    m_line->setAttribute(Qt::WA_TransparentForMouseEvents);
    m_line->setAccessibleName(tr("New messages"));
    auto *row = new QHBoxLayout(m_line);
    row->setContentsMargins(8, 0, 8, 0);
    const auto rule = [this] {
        auto *r = new QFrame(m_line);
        r->setFrameShape(QFrame::HLine);
        r->setForegroundRole(QPalette::Highlight);
        QPalette p = r->palette();
        p.setColor(QPalette::WindowText, p.color(QPalette::Highlight));
        r->setPalette(p);
        return r;
    };
    row->addWidget(rule(), 1);
    m_label->setText(tr("New messages"));
    QFont f = m_label->font();
    f.setBold(true);
    f.setPointSizeF(f.pointSizeF() * 0.85);
    m_label->setFont(f);
    QPalette lp = m_label->palette();
    lp.setColor(QPalette::WindowText, lp.color(QPalette::Highlight));
    m_label->setPalette(lp);
    row->addWidget(m_label);
    row->addWidget(rule(), 1);
    m_line->setFixedHeight(m_label->sizeHint().height());
    m_line->hide();

    m_jump->setObjectName(QStringLiteral("jumpToUnreadButton"));
    m_jump->setText(tr("↑ Jump to first unread"));
    m_jump->setAccessibleName(tr("Jump to first unread"));
    m_jump->setToolTip(tr("Scroll up to where the unread messages start (Shift+Esc)"));
    m_jump->setCursor(Qt::PointingHandCursor);
    m_jump->hide();
    connect(m_jump, &QPushButton::clicked, this, &UnreadMarker::jump);

    m_view->viewport()->installEventFilter(this);
    connect(m_view->verticalScrollBar(), &QScrollBar::valueChanged, this, &UnreadMarker::place);
    connect(m_view->verticalScrollBar(), &QScrollBar::rangeChanged, this, &UnreadMarker::place);
}

void UnreadMarker::begin(qint64 lastReadSeq, int unread, const QString &selfId)
{
    clear();
    if (unread <= 0)
        return;
    m_lastReadSeq = lastReadSeq;
    m_selfId = selfId;
    m_model = m_view->model();
    if (m_model) {
        // The unread messages may only arrive now (history, a resync reload).
        connect(m_model, &QAbstractItemModel::rowsInserted, this, &UnreadMarker::locate);
        connect(m_model, &QAbstractItemModel::modelReset, this, &UnreadMarker::locate);
        connect(m_model, &QAbstractItemModel::layoutChanged, this, &UnreadMarker::place);
    }
    locate();
}

void UnreadMarker::clear()
{
    if (m_model)
        disconnect(m_model, nullptr, this, nullptr);
    m_model = nullptr;
    m_row = QPersistentModelIndex();
    m_lastReadSeq = -1;
    m_line->hide();
    m_jump->hide();
}

QModelIndex UnreadMarker::firstUnread() const
{
    return m_row;
}

QWidget *UnreadMarker::line() const
{
    return m_line;
}

bool UnreadMarker::jump()
{
    if (!m_row.isValid())
        return false;
    Q_EMIT jumped();
    m_view->scrollTo(m_row, QAbstractItemView::PositionAtTop);
    m_view->setCurrentIndex(m_row);
    m_view->setFocus(Qt::ShortcutFocusReason);
    place();
    return true;
}

void UnreadMarker::locate()
{
    if (m_lastReadSeq < 0 || !m_model)
        return;
    // The first message after the read marker that someone else wrote.
    QModelIndex found;
    for (int i = 0; i < m_model->rowCount(); ++i) {
        const QModelIndex idx = m_model->index(i, 0);
        const qint64 seq = idx.data(MessageListModel::SeqRole).toLongLong();
        if (seq > m_lastReadSeq
            && idx.data(MessageListModel::AuthorIdRole).toString() != m_selfId) {
            found = idx;
            break;
        }
    }
    if (found.isValid() && QPersistentModelIndex(found) != m_row) {
        m_row = found;
        // Screen readers hear where the new part starts.
        QAccessibleEvent ev(m_line, QAccessible::NameChanged);
        QAccessible::updateAccessibility(&ev);
    }
    place();
}

void UnreadMarker::place()
{
    if (!m_row.isValid()) {
        m_line->hide();
        m_jump->hide();
        return;
    }
    const QRect rect = m_view->visualRect(m_row);
    const QRect area = m_view->viewport()->rect();
    const int h = m_line->height();
    // Centred on the boundary between the last read message and the first unread.
    m_line->setGeometry(0, rect.top() - h / 2, area.width(), h);
    m_line->setVisible(rect.isValid() && rect.top() >= area.top() && rect.top() <= area.bottom());
    m_line->raise();
    // Above the visible part: offer the way up.
    const bool above = rect.isValid() && rect.top() < area.top();
    if (above) {
        m_jump->adjustSize();
        m_jump->move((area.width() - m_jump->width()) / 2, 6);
        m_jump->raise();
    }
    m_jump->setVisible(above);
}

bool UnreadMarker::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_view->viewport() && event->type() == QEvent::Resize)
        place();
    return QObject::eventFilter(watched, event);
}

} // namespace Natter
