#include "EditChannelDialog.h"

#include "CreateChannelDialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace Natter {

EditChannelDialog::EditChannelDialog(const QString &name, const QString &topic, QWidget *parent)
    : QDialog(parent)
    , m_name(new QLineEdit(name, this))
    , m_nameHint(new QLabel(this))
    , m_topic(new QLineEdit(topic, this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Edit channel"));
    m_name->setAccessibleName(tr("Channel name"));
    m_name->setMaxLength(64);
    m_nameHint->setAccessibleName(tr("Channel name check"));
    m_nameHint->setWordWrap(true);
    m_topic->setAccessibleName(tr("Topic"));
    m_topic->setMaxLength(250);
    auto *form = new QFormLayout;
    auto *nameLabel = new QLabel(tr("&Name:"), this);
    nameLabel->setBuddy(m_name);
    form->addRow(nameLabel, m_name);
    form->addRow(QString(), m_nameHint);
    auto *topicLabel = new QLabel(tr("&Topic:"), this);
    topicLabel->setBuddy(m_topic);
    form->addRow(topicLabel, m_topic);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_name, &QLineEdit::textChanged, this, &EditChannelDialog::validate);
    validate();
}

QString EditChannelDialog::name() const
{
    return m_name->text().trimmed();
}

QString EditChannelDialog::topic() const
{
    return m_topic->text().trimmed();
}

void EditChannelDialog::validate()
{
    const QString problem = CreateChannelDialog::nameProblem(name());
    m_nameHint->setText(problem);
    m_nameHint->setVisible(!problem.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(problem.isEmpty());
}

} // namespace Natter
