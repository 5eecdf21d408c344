// "Browse channels…": the §8 channel directory (public channels, and the private
// ones we are in) with member counts and topics, searched as you type; Join (or
// Enter) joins the chosen one and opens it. Modal, owned by the caller.
#pragma once

#include <QDialog>
#include <QTimer>

class QLineEdit;
class QPushButton;
class QTreeWidget;

namespace Natter {

class ChatSession;
struct DirectoryChannel;

class BrowseChannelsDialog : public QDialog
{
    Q_OBJECT
public:
    explicit BrowseChannelsDialog(ChatSession *session, QWidget *parent = nullptr);

    QTreeWidget *list() const { return m_list; }

private:
    void search();
    void show(const QList<DirectoryChannel> &channels);
    void join();

    ChatSession *m_session;
    QLineEdit *m_search;
    QTreeWidget *m_list;
    QPushButton *m_join;
    QTimer m_debounce;
    int m_request = 0;
};

} // namespace Natter
