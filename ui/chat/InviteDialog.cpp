#include "InviteDialog.h"

#include "PeoplePicker.h"

#include <QDialogButtonBox>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace Natter {

InviteDialog::InviteDialog(ChatSession *session, const QString &channelName,
                           const QStringList &members, QWidget *parent)
    : QDialog(parent)
    , m_people(new PeoplePicker(session, members, this))
{
    //: %1 is a channel name
    setWindowTitle(tr("Invite people to #%1").arg(channelName));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    QPushButton *ok = buttons->button(QDialogButtonBox::Ok);
    ok->setText(tr("&Invite"));
    ok->setEnabled(false);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_people);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_people, &PeoplePicker::chosenChanged, this,
            [this, ok] { ok->setEnabled(!m_people->chosenIds().isEmpty()); });
    m_people->searchField()->setFocus();
}

QStringList InviteDialog::chosenIds() const
{
    return m_people->chosenIds();
}

} // namespace Natter
