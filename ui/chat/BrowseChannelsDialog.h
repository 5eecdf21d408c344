// "Browse channels…": the §8 channel directory (public channels, and the private
// ones we are in) with member counts and topics, searched as you type and paged
// as the list is scrolled to its end (DirectoryPager); Join (or Enter) joins the
// chosen one and opens it. Modal, owned by the caller.
#pragma once

#include <QDialog>
#include <QTimer>

class QLineEdit;
class QPushButton;
class QTreeWidget;

namespace Natter {

class ChatSession;
class DirectoryPager;

class BrowseChannelsDialog : public QDialog
{
    Q_OBJECT
public:
    explicit BrowseChannelsDialog(ChatSession *session, QWidget *parent = nullptr);

    QTreeWidget *list() const { return m_list; }
    DirectoryPager *pager() const { return m_pager; }

    // Channels per directory page (§8 allows up to 100).
    static constexpr int kPageSize = 50;

private:
    void search();
    // A page arrived: `first` starts the list over, else `count` entries are added.
    void show(bool first, int count);
    void join();

    ChatSession *m_session;
    QLineEdit *m_search;
    QTreeWidget *m_list;
    QPushButton *m_join;
    DirectoryPager *m_pager;
    QTimer m_debounce;
};

} // namespace Natter
