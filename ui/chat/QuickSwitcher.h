// Ctrl+K: a small dialog to jump to a channel or person by typing part of the
// name. Channels come from the session's list; people from the server's
// directory (`/api/v1/users`), asked as you type (debounced). Enter on a
// channel opens it; on a person, opens or creates the direct conversation
// (ChatSession::openDirect; channelOpened follows). Modal, owned by the caller.
#pragma once

#include "protocol/Types.h"

#include <QDialog>
#include <QTimer>

class QLineEdit;
class QListView;
class QStandardItemModel;

namespace Natter {

class ChatSession;
class DirectoryPager;

class QuickSwitcher : public QDialog
{
    Q_OBJECT
public:
    enum class Mode { ChannelsAndPeople, PeopleOnly };
    // Item data roles of the list.
    enum Role { IdRole = Qt::UserRole + 1, IsPersonRole };

    explicit QuickSwitcher(ChatSession *session, QWidget *parent = nullptr,
                           Mode mode = Mode::ChannelsAndPeople);

    static constexpr int kDebounceMs = 200;
    // People per directory page.
    static constexpr int kPeoplePageSize = 20;

    QListView *list() const { return m_list; }
    DirectoryPager *pager() const { return m_pager; }

Q_SIGNALS:
    void channelChosen(const QString &channelId);
    void personChosen(const QString &userId);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void refresh();
    void askDirectory();
    void choose();

    ChatSession *m_session;
    Mode m_mode;
    QLineEdit *m_filter;
    QListView *m_list;
    QStandardItemModel *m_model;
    DirectoryPager *m_pager;
    QTimer m_debounce;
    QList<User> m_people; // the directory's answers so far (filtered locally meanwhile)
};

} // namespace Natter
