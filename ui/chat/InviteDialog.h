// "Invite people…": people from the directory to add to the open channel (§8
// invite). Modal, owned by the caller, which sends the invite on OK.
#pragma once

#include <QDialog>

namespace Natter {

class ChatSession;
class PeoplePicker;

class InviteDialog : public QDialog
{
    Q_OBJECT
public:
    // `members`: the channel's members, not offered again.
    InviteDialog(ChatSession *session, const QString &channelName, const QStringList &members,
                 QWidget *parent = nullptr);

    QStringList chosenIds() const;

private:
    PeoplePicker *m_people;
};

} // namespace Natter
