// Ctrl+F: search the messages of every channel the person is in (§10), or of
// the open one. A dock beside the conversation with a query field (the §10
// language as typed: natterd parses it), a scope box, the results (channel,
// author, time and the plain snippet with the matched words emphasised) and
// "More results" paging with the server's cursor. Says what is going on in
// words: searching, how many results, none, a query the server refused,
// rate limited, offline. Enter or double-click on a result asks ChatWindow to
// show that message (messageChosen); Esc closes the panel and gives the focus
// back. Owned by ChatWindow; runs its own SearchClient.
#pragma once

#include "net/SearchClient.h"

#include <QDockWidget>
#include <QPointer>
#include <QTimer>

#include <utility>

class QCheckBox;
class QLabel;
class QLineEdit;
class QListView;
class QPushButton;
class QStandardItemModel;

namespace Natter {

class ChatSession;
class SearchCompleter;

class SearchPanel : public QDockWidget
{
    Q_OBJECT
public:
    enum class State {
        Idle,
        Searching,
        Results,
        NoResults,
        BadQuery,
        RateLimited,
        Offline,
        Failed
    };
    Q_ENUM(State)

    explicit SearchPanel(ChatSession *session, QWidget *parent = nullptr);
    ~SearchPanel() override;

    // Shows the panel with the focus in the query field; `channelId` is the
    // conversation open now, which "Only in" scopes the search to.
    void open(const QString &channelId);
    // Hides the panel and gives the focus back to where it was before open().
    void closePanel();

    State state() const { return m_state; }
    // What the panel says about the search right now (also its status line).
    QString statusText() const;
    QLineEdit *queryField() const { return m_field; }
    QListView *resultView() const { return m_results; }
    QPushButton *moreButton() const { return m_more; }
    QCheckBox *scopeBox() const { return m_scope; }
    // The `from:` / `in:` suggestions under the query field.
    SearchCompleter *completer() const { return m_completer; }
    int resultCount() const;

    // Debounce of typing before a search starts (Enter starts at once).
    static constexpr int kDebounceMs = 350;

    // The words of `query` (the §10 language) found in `snippet`, as UTF-16
    // [start, length] ranges: whole words after folding case and diacritics,
    // a `word*` as a prefix; exclusions and filters are not words to find.
    // Used when the server sends no ranges of its own.
    static QList<std::pair<int, int>> matchRanges(const QString &snippet, const QString &query);

Q_SIGNALS:
    // The person chose a result: show message `messageId` of `channelId`.
    void messageChosen(const QString &channelId, const QString &messageId);
    // Something a screen reader should say (the number of results, a failure).
    void announcement(const QString &text);
    void stateChanged(Natter::SearchPanel::State state);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void closeEvent(QCloseEvent *event) override;

private:
    void run();
    void loadMore();
    void onPage(const SearchPage &page);
    void onFailed(SearchClient::Error error, const QString &message);
    void setState(State state, const QString &text);
    void choose(const QModelIndex &index);
    void updateScope();
    // The query sent: what was typed, with `in:` for the scope.
    QString effectiveQuery() const;

    ChatSession *m_session;
    SearchClient *m_client;
    QLineEdit *m_field;
    SearchCompleter *m_completer;
    QCheckBox *m_scope;
    QLabel *m_status;
    QListView *m_results;
    QStandardItemModel *m_model;
    QPushButton *m_more;
    QTimer m_debounce;
    State m_state = State::Idle;
    QString m_channel; // the conversation open when the panel opened
    QString m_typed; // the query as typed for the results shown (emphasis)
    QString m_sent; // the query of the search running or shown
    QString m_next; // the cursor of the next page; empty: no more
    bool m_appending = false; // the running search is the next page
    bool m_focusNewRows = false; // the focus goes to the next page's first result
    QPointer<QWidget> m_returnFocus;
};

} // namespace Natter
