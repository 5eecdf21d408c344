#include "ReplyBar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace Natter {

ReplyBar::ReplyBar(QWidget *parent)
    : QFrame(parent)
    , m_label(new QLabel(this))
    , m_cancel(new QPushButton(this))
{
    setObjectName(QStringLiteral("replyBar"));
    setFrameShape(QFrame::StyledPanel);
    setBackgroundRole(QPalette::AlternateBase);
    setAutoFillBackground(true);
    m_label->setTextFormat(Qt::PlainText);
    m_label->setWordWrap(false);
    //: Button on the bar above the composer while a reply is being written.
    m_cancel->setText(tr("Cancel reply"));
    m_cancel->setFocusPolicy(Qt::StrongFocus);
    m_cancel->setAccessibleDescription(tr("Send the message as a normal message, not a reply"));
    connect(m_cancel, &QPushButton::clicked, this, &ReplyBar::cancelRequested);
    auto *row = new QHBoxLayout(this);
    row->setContentsMargins(10, 2, 4, 2);
    row->addWidget(m_label, 1);
    row->addWidget(m_cancel);
    hide();
}

void ReplyBar::setTarget(const QString &messageId, const QString &author, const QString &excerpt)
{
    m_targetId = messageId;
    const QString line = excerpt.simplified();
    //: Bar above the composer; %1 the author of the message answered, %2 its start.
    m_label->setText(
        tr("Replying to %1: %2")
            .arg(author, m_label->fontMetrics().elidedText(line, Qt::ElideRight, 400)));
    setAccessibleName(m_label->text());
    show();
}

void ReplyBar::clear()
{
    m_targetId.clear();
    m_label->clear();
    hide();
}

QString ReplyBar::text() const
{
    return m_label->text();
}

} // namespace Natter
