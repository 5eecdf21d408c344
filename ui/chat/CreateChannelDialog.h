// "Create channel…": a name checked live against §8's rule, a topic, public or
// private, and the first members from the directory. Modal, owned by the
// caller; on OK the caller asks ChatSession::createChannel with what it holds.
#pragma once

#include <QDialog>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QRadioButton;

namespace Natter {

class ChatSession;
class PeoplePicker;

class CreateChannelDialog : public QDialog
{
    Q_OBJECT
public:
    explicit CreateChannelDialog(ChatSession *session, QWidget *parent = nullptr);

    QString name() const;
    QString topic() const;
    bool isPrivate() const;
    QStringList memberIds() const;
    // Plain words on why `name` cannot be a channel name; empty when it can.
    static QString nameProblem(const QString &name);

private:
    void validate();

    QLineEdit *m_name;
    QLabel *m_nameHint;
    QLineEdit *m_topic;
    QRadioButton *m_public;
    QRadioButton *m_private;
    PeoplePicker *m_people;
    QDialogButtonBox *m_buttons;
};

} // namespace Natter
