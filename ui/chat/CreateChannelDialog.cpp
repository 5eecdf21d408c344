#include "CreateChannelDialog.h"

#include "PeoplePicker.h"
#include "protocol/Codec.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

namespace Natter {

namespace {
constexpr int kMaxTopic = 250; // §8: longer is too_large
}

CreateChannelDialog::CreateChannelDialog(ChatSession *session, QWidget *parent)
    : QDialog(parent)
    , m_name(new QLineEdit(this))
    , m_nameHint(new QLabel(this))
    , m_topic(new QLineEdit(this))
    , m_public(new QRadioButton(tr("&Public: anyone can find and join it"), this))
    , m_private(new QRadioButton(tr("P&rivate: only the people invited see it"), this))
    , m_people(new PeoplePicker(session, {}, this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Create channel"));
    m_name->setAccessibleName(tr("Channel name"));
    m_name->setPlaceholderText(tr("e.g. design-review"));
    m_name->setMaxLength(64);
    m_nameHint->setAccessibleName(tr("Channel name check"));
    m_nameHint->setWordWrap(true);
    m_topic->setAccessibleName(tr("Topic"));
    m_topic->setMaxLength(kMaxTopic);
    m_public->setChecked(true);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Create"));

    auto *form = new QFormLayout;
    auto *nameLabel = new QLabel(tr("&Name:"), this);
    nameLabel->setBuddy(m_name);
    form->addRow(nameLabel, m_name);
    form->addRow(QString(), m_nameHint);
    auto *topicLabel = new QLabel(tr("&Topic:"), this);
    topicLabel->setBuddy(m_topic);
    form->addRow(topicLabel, m_topic);
    form->addRow(QString(), m_public);
    form->addRow(QString(), m_private);
    auto *peopleLabel = new QLabel(tr("&Members:"), this);
    peopleLabel->setBuddy(m_people->searchField());
    form->addRow(peopleLabel, m_people);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_name, &QLineEdit::textChanged, this, &CreateChannelDialog::validate);
    validate();
}

QString CreateChannelDialog::name() const
{
    return m_name->text().trimmed();
}

QString CreateChannelDialog::topic() const
{
    return m_topic->text().trimmed();
}

bool CreateChannelDialog::isPrivate() const
{
    return m_private->isChecked();
}

QStringList CreateChannelDialog::memberIds() const
{
    return m_people->chosenIds();
}

QString CreateChannelDialog::nameProblem(const QString &name)
{
    if (name.isEmpty())
        return tr("A channel needs a name.");
    if (Codec::isValidChannelName(name))
        return {};
    if (name != name.toLower())
        return tr("Use lower-case letters only.");
    if (name.startsWith(QLatin1Char('-')) || name.startsWith(QLatin1Char('_')))
        return tr("Start with a letter or a digit.");
    return tr("Use only letters a–z, digits, “-” and “_” (no spaces).");
}

void CreateChannelDialog::validate()
{
    const QString problem = nameProblem(name());
    m_nameHint->setText(problem.isEmpty() ? tr("“%1” is a good name.").arg(name()) : problem);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(problem.isEmpty());
}

} // namespace Natter
