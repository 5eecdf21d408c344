// "Edit channel…": the open channel's name (checked live against §8's rule) and
// topic, for its owner or an admin. Modal, owned by the caller, which sends
// channel_update with the fields that changed.
#pragma once

#include <QDialog>

class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace Natter {

class EditChannelDialog : public QDialog
{
    Q_OBJECT
public:
    EditChannelDialog(const QString &name, const QString &topic, QWidget *parent = nullptr);

    QString name() const;
    QString topic() const;

private:
    void validate();

    QLineEdit *m_name;
    QLabel *m_nameHint;
    QLineEdit *m_topic;
    QDialogButtonBox *m_buttons;
};

} // namespace Natter
