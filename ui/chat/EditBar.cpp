#include "EditBar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace Natter {

EditBar::EditBar(QWidget *parent)
    : QFrame(parent)
    , m_label(new QLabel(this))
    , m_cancel(new QPushButton(this))
{
    setObjectName(QStringLiteral("editBar"));
    setFrameShape(QFrame::StyledPanel);
    setBackgroundRole(QPalette::AlternateBase);
    setAutoFillBackground(true);
    m_label->setText(tr("Editing message — Esc to cancel"));
    QFont f = m_label->font();
    f.setBold(true);
    m_label->setFont(f);
    //: Button on the bar above the composer while a message is being edited.
    m_cancel->setText(tr("Cancel editing"));
    m_cancel->setFocusPolicy(Qt::StrongFocus);
    m_cancel->setAccessibleDescription(tr("Stop editing and keep the message as it was"));
    connect(m_cancel, &QPushButton::clicked, this, &EditBar::cancelRequested);
    setAccessibleName(m_label->text());

    auto *row = new QHBoxLayout(this);
    row->setContentsMargins(10, 2, 4, 2);
    row->addWidget(m_label, 1);
    row->addWidget(m_cancel);
}

QString EditBar::text() const
{
    return m_label->text();
}

} // namespace Natter
