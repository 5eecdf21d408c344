// Picks people from the server's directory (`/api/v1/users`) as you type:
// a search field and a list of matches to tick. Used by the create-channel and
// invite dialogs. Owned by its dialog; asks the session's DirectoryClient.
#pragma once

#include "protocol/Types.h"

#include <QHash>
#include <QTimer>
#include <QWidget>

class QLineEdit;
class QListWidget;
class QLabel;

namespace Natter {

class ChatSession;

class PeoplePicker : public QWidget
{
    Q_OBJECT
public:
    // `exclude`: user ids not offered (ourselves, people already in the channel).
    PeoplePicker(ChatSession *session, const QStringList &exclude, QWidget *parent = nullptr);

    QStringList chosenIds() const;
    QLineEdit *searchField() const { return m_search; }

    static constexpr int kDebounceMs = 250;

Q_SIGNALS:
    void chosenChanged();

private:
    void search();
    void show(const QList<User> &users);

    ChatSession *m_session;
    QStringList m_exclude;
    QLineEdit *m_search;
    QListWidget *m_list;
    QLabel *m_chosenLabel;
    QTimer m_debounce;
    int m_request = 0;
    QHash<QString, User> m_chosen;
};

} // namespace Natter
