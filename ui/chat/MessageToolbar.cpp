#include "MessageToolbar.h"

#include "models/MessageListModel.h"

#include <QAccessible>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QListView>
#include <QScrollBar>
#include <QToolButton>

namespace Natter {

MessageToolbar::MessageToolbar(QListView *view)
    : QFrame(view->viewport())
    , m_view(view)
{
    setObjectName(QStringLiteral("messageToolbar"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    auto *row = new QHBoxLayout(this);
    row->setContentsMargins(2, 2, 2, 2);
    row->setSpacing(2);
    m_react = addButton(QStringLiteral("☺+"), tr("Add reaction"), QStringLiteral("+"));
    m_reply = addButton(QStringLiteral("↩"), tr("Reply"), QStringLiteral("R"));
    m_edit = addButton(QStringLiteral("✎"), tr("Edit"), QStringLiteral("E"));
    m_delete = addButton(QStringLiteral("🗑"), tr("Delete"), tr("Del"));
    connect(m_react, &QToolButton::clicked, this, [this] { Q_EMIT reactRequested(m_target); });
    connect(m_reply, &QToolButton::clicked, this, [this] { Q_EMIT replyRequested(m_target); });
    connect(m_edit, &QToolButton::clicked, this, [this] { Q_EMIT editRequested(m_target); });
    connect(m_delete, &QToolButton::clicked, this, [this] { Q_EMIT deleteRequested(m_target); });
    hide();

    m_view->viewport()->installEventFilter(this);
    m_view->installEventFilter(this);
    connect(m_view->verticalScrollBar(), &QScrollBar::valueChanged, this, &MessageToolbar::place);
}

QToolButton *MessageToolbar::addButton(const QString &glyph, const QString &name,
                                       const QString &shortcut)
{
    auto *button = new QToolButton(this);
    button->setText(glyph);
    button->setAutoRaise(true);
    // The view keeps the focus: the keys below do the same from the keyboard.
    button->setFocusPolicy(Qt::NoFocus);
    button->setAccessibleName(name);
    //: Tooltip of a message toolbar button: the action, then its key.
    button->setToolTip(tr("%1 (%2)").arg(name, shortcut));
    layout()->addWidget(button);
    return button;
}

void MessageToolbar::setChecks(Check canReact, Check canReply, Check canEdit, Check canDelete)
{
    m_canReact = std::move(canReact);
    m_canReply = std::move(canReply);
    m_canEdit = std::move(canEdit);
    m_canDelete = std::move(canDelete);
}

void MessageToolbar::watchModel(QAbstractItemModel *model)
{
    connect(model, &QAbstractItemModel::modelReset, this, [this] { showFor({}); });
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(model, signal, this, &MessageToolbar::refresh, Qt::QueuedConnection);
    connect(model, &QAbstractItemModel::layoutChanged, this, &MessageToolbar::refresh,
            Qt::QueuedConnection);
    connect(model, &QAbstractItemModel::dataChanged, this, &MessageToolbar::refresh);
}

void MessageToolbar::showFor(const QModelIndex &index)
{
    const bool same = index.isValid() && index == m_target && isVisible();
    m_target = index;
    refresh();
    if (same || !isVisible())
        return;
    // Whose message: said when the toolbar appears, so a screen reader user
    // knows what R, E and Delete will act on.
    setAccessibleName(tr("Actions for the message from %1")
                          .arg(index.data(MessageListModel::AuthorNameRole).toString()));
    QAccessibleEvent shown(this, QAccessible::ObjectShow);
    QAccessible::updateAccessibility(&shown);
}

void MessageToolbar::refresh()
{
    const QModelIndex index = m_target;
    const auto allowed = [&index](const Check &check) {
        return check && check(index);
    };
    const bool react = index.isValid() && allowed(m_canReact);
    const bool reply = index.isValid() && allowed(m_canReply);
    const bool edit = index.isValid() && allowed(m_canEdit);
    const bool remove = index.isValid() && allowed(m_canDelete);
    m_react->setVisible(react);
    m_reply->setVisible(reply);
    m_edit->setVisible(edit);
    m_delete->setVisible(remove);
    if (!(react || reply || edit || remove)) {
        if (isVisible()) {
            QAccessibleEvent hidden(this, QAccessible::ObjectHide);
            QAccessible::updateAccessibility(&hidden);
        }
        hide();
        return;
    }
    adjustSize();
    place();
    show();
    raise();
}

void MessageToolbar::place()
{
    if (!m_target.isValid())
        return;
    // Top right of the message, over its author line; kept inside the viewport.
    const QRect row = m_view->visualRect(m_target);
    const QRect area = m_view->viewport()->rect();
    const int x = qMax(0, row.right() - width() - 6);
    const int y = qBound(0, row.top() + 2, qMax(0, area.height() - height()));
    move(x, y);
}

bool MessageToolbar::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_view->viewport()) {
        switch (event->type()) {
        case QEvent::MouseMove: {
            const QPoint pos = static_cast<QMouseEvent *>(event)->position().toPoint();
            const QModelIndex at = m_view->indexAt(pos);
            if (at.isValid())
                showFor(at);
            break;
        }
        case QEvent::Leave:
            // Back to the keyboard's message, if the view has the focus.
            showFor(m_view->hasFocus() ? m_view->currentIndex() : QModelIndex());
            break;
        case QEvent::Resize:
            place();
            break;
        default:
            break;
        }
        return false;
    }
    if (watched == m_view) {
        if (event->type() == QEvent::FocusIn || event->type() == QEvent::KeyRelease) {
            // Arrows moved the current message: the toolbar follows it.
            if (m_view->currentIndex() != QModelIndex(m_target))
                showFor(m_view->currentIndex());
        } else if (event->type() == QEvent::KeyPress) {
            auto *ke = static_cast<QKeyEvent *>(event);
            const QModelIndex current = m_view->currentIndex();
            if (ke->text() == u"+" && current.isValid() && m_canReact && m_canReact(current)) {
                Q_EMIT reactRequested(current);
                return true;
            }
        }
    }
    return false;
}

} // namespace Natter
