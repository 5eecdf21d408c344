// Picks people from the server's directory (`/api/v1/users`) as you type:
// a search field and a list of matches to tick, paged as the list is scrolled
// to its end (DirectoryPager). Used by the create-channel and
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
class DirectoryPager;

class PeoplePicker : public QWidget
{
    Q_OBJECT
public:
    // `exclude`: user ids not offered (ourselves, people already in the channel).
    PeoplePicker(ChatSession *session, const QStringList &exclude, QWidget *parent = nullptr);

    QStringList chosenIds() const;
    QLineEdit *searchField() const { return m_search; }
    QListWidget *list() const { return m_list; }

    static constexpr int kDebounceMs = 250;
    static constexpr int kPageSize = 50; // people per directory page

Q_SIGNALS:
    void chosenChanged();

private:
    void search();
    // A page arrived: `first` starts the list over, else `count` people are added.
    void show(bool first, int count);

    ChatSession *m_session;
    QStringList m_exclude;
    QLineEdit *m_search;
    QListWidget *m_list;
    QLabel *m_chosenLabel;
    DirectoryPager *m_pager;
    QTimer m_debounce;
    QHash<QString, User> m_chosen;
};

} // namespace Natter
