#include "SearchPanel.h"

#include "SearchCompleter.h"
#include "SearchResultDelegate.h"
#include "auth/ServerUrl.h"
#include "models/ChannelListModel.h"
#include "models/PresenceModel.h"
#include "net/ConnectionManager.h"
#include "session/ChatSession.h"

#include <QAccessible>
#include <QApplication>
#include <QCheckBox>
#include <QCloseEvent>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QLocale>
#include <QPoint>
#include <QPushButton>
#include <QStandardItemModel>
#include <QVBoxLayout>

namespace Natter {

namespace {

// Case and diacritics folded, as the server matches (§10: `cafe` finds `Café`).
QString fold(const QString &word)
{
    QString out;
    const QString decomposed = word.normalized(QString::NormalizationForm_KD);
    for (const QChar c : decomposed) {
        if (c.category() != QChar::Mark_NonSpacing)
            out.append(c);
    }
    return out.toCaseFolded();
}

bool isWordChar(QChar c)
{
    return c.isLetterOrNumber() || c.isSurrogate();
}

// The runs of letters and digits in `text` as [start, length].
QList<std::pair<int, int>> wordRuns(const QString &text)
{
    QList<std::pair<int, int>> runs;
    int i = 0;
    const int n = int(text.size());
    while (i < n) {
        if (!isWordChar(text.at(i))) {
            ++i;
            continue;
        }
        const int start = i;
        while (i < n && isWordChar(text.at(i)))
            ++i;
        runs.append({start, i - start});
    }
    return runs;
}

} // namespace

SearchPanel::SearchPanel(ChatSession *session, QWidget *parent)
    : QDockWidget(parent)
    , m_session(session)
    , m_client(
          new SearchClient(ServerUrl::parse(session->connection()->options().serverUrl.toString())
                               .apiUrl(QStringLiteral("search")),
                           session->connection()->tokenProvider(), this))
    , m_field(new QLineEdit)
    , m_completer(new SearchCompleter(session, m_field))
    , m_scope(new QCheckBox)
    , m_status(new QLabel)
    , m_results(new QListView)
    , m_model(new QStandardItemModel(this))
    , m_more(new QPushButton(tr("More results")))
{
    setObjectName(QStringLiteral("searchPanel"));
    setWindowTitle(tr("Search messages"));
    setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable);
    setAllowedAreas(Qt::LeftDockWidgetArea | Qt::RightDockWidgetArea);

    auto *body = new QWidget(this);
    auto *layout = new QVBoxLayout(body);
    layout->setContentsMargins(6, 6, 6, 6);

    m_field->setPlaceholderText(tr("Search: words, \"a phrase\", pre*, -word, from:, in:"));
    m_field->setClearButtonEnabled(true);
    m_field->setAccessibleName(tr("Search messages"));
    const QString help =
        tr("All words must match. \"a phrase\" matches exactly, pre* matches the start of a "
           "word, -word excludes a word. Filters: from:user, in:channel, before:YYYY-MM-DD, "
           "after:YYYY-MM-DD, has:file, has:link. Press Down to go to the results.");
    m_field->setAccessibleDescription(help);
    m_field->setToolTip(help);
    m_field->installEventFilter(this);
    layout->addWidget(m_field);
    layout->addWidget(m_completer);

    m_scope->setAccessibleDescription(tr("Search only the conversation that is open"));
    m_scope->installEventFilter(this);
    layout->addWidget(m_scope);

    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::PlainText); // the server's words and the query: never markup
    m_status->setAccessibleName(tr("Search status"));
    layout->addWidget(m_status);

    m_results->setModel(m_model);
    m_results->setItemDelegate(new SearchResultDelegate(m_results));
    m_results->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_results->setSelectionMode(QAbstractItemView::SingleSelection);
    m_results->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_results->setResizeMode(QListView::Adjust);
    m_results->setWordWrap(true);
    m_results->setAccessibleName(tr("Search results"));
    m_results->setAccessibleDescription(
        tr("Newest first. Enter shows the message in its conversation; Esc closes the search."));
    m_results->installEventFilter(this);
    layout->addWidget(m_results, 1);

    m_more->setAccessibleDescription(tr("Load older results of this search"));
    m_more->installEventFilter(this);
    m_more->hide();
    layout->addWidget(m_more);
    setWidget(body);
    setMinimumWidth(320);
    setFocusProxy(m_field);

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(kDebounceMs);
    connect(&m_debounce, &QTimer::timeout, this, &SearchPanel::run);
    connect(m_field, &QLineEdit::textEdited, this, [this] {
        m_debounce.start();
        m_completer->refresh();
    });
    connect(m_field, &QLineEdit::cursorPositionChanged, this, [this] {
        if (m_completer->isVisible())
            m_completer->refresh();
    });
    // A completion is typing: it searches after the same pause, never at once.
    connect(m_completer, &SearchCompleter::inserted, this, [this] { m_debounce.start(); });
    connect(m_field, &QLineEdit::returnPressed, this, [this] {
        // Enter runs the search now; on the same query with results, it goes to them.
        if (effectiveQuery() == m_sent && m_state == State::Results && !m_client->isRunning()) {
            m_results->setFocus();
            if (!m_results->currentIndex().isValid())
                m_results->setCurrentIndex(m_model->index(0, 0));
            return;
        }
        run();
    });
    connect(m_scope, &QCheckBox::toggled, this, [this] {
        if (!m_field->text().trimmed().isEmpty())
            run();
    });
    connect(m_results, &QAbstractItemView::activated, this, &SearchPanel::choose);
    connect(m_more, &QPushButton::clicked, this, &SearchPanel::loadMore);
    connect(m_client, &SearchClient::finished, this, &SearchPanel::onPage);
    connect(m_client, &SearchClient::failed, this, &SearchPanel::onFailed);
    // Offline: search again once the connection is back.
    connect(m_session->connection(), &ConnectionManager::stateChanged, this, [this] {
        if (m_state == State::Offline && isVisible()
            && m_session->connection()->state() == ConnectionManager::State::Connected)
            run();
    });
    setState(State::Idle, {});
}

SearchPanel::~SearchPanel() = default;

int SearchPanel::resultCount() const
{
    return m_model->rowCount();
}

QString SearchPanel::statusText() const
{
    return m_status->text();
}

void SearchPanel::open(const QString &channelId)
{
    QWidget *focus = QApplication::focusWidget();
    if (focus && !isAncestorOf(focus))
        m_returnFocus = focus;
    m_channel = channelId;
    updateScope();
    show();
    raise();
    m_field->setFocus(Qt::ShortcutFocusReason);
    m_field->selectAll();
}

void SearchPanel::closePanel()
{
    m_debounce.stop();
    m_completer->hide();
    hide();
    if (m_returnFocus)
        m_returnFocus->setFocus(Qt::OtherFocusReason);
}

void SearchPanel::closeEvent(QCloseEvent *event)
{
    // The title bar's close button: the same as Esc.
    QDockWidget::closeEvent(event);
    m_debounce.stop();
    if (m_returnFocus)
        m_returnFocus->setFocus(Qt::OtherFocusReason);
}

void SearchPanel::updateScope()
{
    const Channel c = m_session->channels()->channel(m_channel);
    // §10 `in:` names channels; a direct conversation has no name to give it.
    const bool named = !m_channel.isEmpty() && c.kind == ChannelKind::Channel && !c.name.isEmpty();
    m_scope->setEnabled(named);
    if (!named)
        m_scope->setChecked(false);
    //: A check box of the search panel; %1 is the open channel's name.
    m_scope->setText(named ? tr("Only in #%1").arg(c.name) : tr("Only in this conversation"));
    m_scope->setAccessibleName(m_scope->text());
}

QString SearchPanel::effectiveQuery() const
{
    const QString typed = m_field->text().trimmed();
    if (typed.isEmpty() || !m_scope->isChecked() || !m_scope->isEnabled())
        return typed;
    const Channel c = m_session->channels()->channel(m_channel);
    return typed + QStringLiteral(" in:\"") + c.name + u'"';
}

void SearchPanel::run()
{
    m_debounce.stop();
    const QString query = effectiveQuery();
    m_appending = false;
    if (query.isEmpty()) {
        m_client->cancel();
        m_sent.clear();
        m_model->clear();
        m_next.clear();
        m_more->hide();
        setState(State::Idle, {});
        return;
    }
    m_sent = query;
    m_typed = m_field->text().trimmed();
    m_client->search(query);
    setState(State::Searching, tr("Searching…"));
}

void SearchPanel::loadMore()
{
    if (m_next.isEmpty() || m_sent.isEmpty() || (m_appending && m_client->isRunning()))
        return;
    m_appending = true;
    // Keyboard users go on to the first new result once it is there.
    m_focusNewRows = m_more->hasFocus() || m_results->hasFocus();
    m_client->search(m_sent, m_next);
    setState(State::Searching, tr("Loading more results…"));
}

void SearchPanel::onPage(const SearchPage &page)
{
    if (page.query != m_sent)
        return; // an answer to a query the person has since changed
    const bool appending = m_appending;
    m_appending = false;
    if (!appending)
        m_model->clear();
    const int firstNew = m_model->rowCount();
    const ChannelListModel *channels = m_session->channels();
    const QLocale locale;
    for (const SearchHit &hit : page.hits) {
        const Channel c = channels->channel(hit.message.channel);
        const int row = channels->rowOf(hit.message.channel);
        QString where = QStringLiteral("#") + c.name;
        if (row < 0) // not in the channel list (yet)
            where = tr("another conversation");
        else if (c.kind == ChannelKind::Direct) // the peer's name
            where = channels->index(row).data(ChannelListModel::NameRole).toString();
        const QString author = m_session->people()->displayName(hit.message.author);
        const QString when = locale.toString(hit.message.ts.toLocalTime(), QLocale::ShortFormat);
        //: One search result's first line: channel, author, time.
        const QString header = tr("%1 · %2 · %3").arg(where, author, when);
        QList<std::pair<int, int>> ranges = hit.highlights;
        if (ranges.isEmpty())
            ranges = matchRanges(hit.snippet, m_typed);
        QVariantList emphasis;
        for (const auto &[start, length] : ranges)
            emphasis << QPoint(start, length);
        auto *item = new QStandardItem;
        //: What a screen reader says for one search result: header, then the snippet.
        item->setText(tr("%1: %2").arg(header, hit.snippet));
        item->setData(hit.message.channel, SearchResultDelegate::ChannelIdRole);
        item->setData(hit.message.id, SearchResultDelegate::MessageIdRole);
        item->setData(header, SearchResultDelegate::HeaderRole);
        item->setData(hit.snippet, SearchResultDelegate::SnippetRole);
        item->setData(emphasis, SearchResultDelegate::EmphasisRole);
        item->setToolTip(hit.snippet);
        m_model->appendRow(item);
    }
    m_next = page.next;
    if (appending && m_focusNewRows && firstNew < m_model->rowCount()) {
        m_results->setFocus(Qt::TabFocusReason);
        m_results->setCurrentIndex(m_model->index(firstNew, 0));
    }
    m_focusNewRows = false;
    m_more->setVisible(!m_next.isEmpty());
    const int count = m_model->rowCount();
    if (count == 0) {
        //: %1 is the query as typed.
        setState(State::NoResults, tr("No messages match “%1”.").arg(m_typed));
    } else {
        setState(State::Results,
                 m_next.isEmpty() ? tr("Results: %n", nullptr, count)
                                  : tr("Results: %n so far; more are available.", nullptr, count));
    }
}

void SearchPanel::onFailed(SearchClient::Error error, const QString &message)
{
    m_appending = false;
    m_focusNewRows = false;
    switch (error) {
    case SearchClient::Error::BadQuery:
        setState(State::BadQuery, tr("This search cannot be run. %1").arg(message));
        break;
    case SearchClient::Error::RateLimited:
        setState(State::RateLimited, message);
        break;
    case SearchClient::Error::Network:
        setState(State::Offline,
                 tr("Offline: the server cannot be reached, so Natter cannot "
                    "search now. It searches again once it is connected."));
        break;
    case SearchClient::Error::NotSignedIn:
    case SearchClient::Error::Server:
        setState(State::Failed, message);
        break;
    }
}

void SearchPanel::setState(State state, const QString &text)
{
    m_status->setText(text);
    m_status->setVisible(!text.isEmpty());
    m_status->setAccessibleDescription(text);
    const bool changed = state != m_state;
    m_state = state;
    if (!text.isEmpty() && state != State::Searching)
        Q_EMIT announcement(text);
    if (changed)
        Q_EMIT stateChanged(state);
}

void SearchPanel::choose(const QModelIndex &index)
{
    if (!index.isValid())
        return;
    Q_EMIT messageChosen(index.data(SearchResultDelegate::ChannelIdRole).toString(),
                         index.data(SearchResultDelegate::MessageIdRole).toString());
}

bool SearchPanel::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::ShortcutOverride) {
        // Esc belongs to the panel while the focus is in it (the window's own
        // Esc jumps to the newest message).
        if (static_cast<QKeyEvent *>(event)->key() == Qt::Key_Escape) {
            event->accept();
            return true;
        }
    }
    if (event->type() != QEvent::KeyPress)
        return QDockWidget::eventFilter(watched, event);
    auto *key = static_cast<QKeyEvent *>(event);
    // The suggestions first: their Esc closes them, not the panel.
    if (watched == m_field && m_completer->handleKey(key))
        return true;
    if (key->key() == Qt::Key_Escape) {
        closePanel();
        return true;
    }
    if (watched == m_field && key->key() == Qt::Key_Down && m_model->rowCount() > 0) {
        m_results->setFocus(Qt::TabFocusReason);
        if (!m_results->currentIndex().isValid())
            m_results->setCurrentIndex(m_model->index(0, 0));
        return true;
    }
    if (watched == m_results && key->key() == Qt::Key_Up && m_results->currentIndex().row() <= 0) {
        m_field->setFocus(Qt::BacktabFocusReason);
        return true;
    }
    if (watched == m_results && key->key() == Qt::Key_Down && m_more->isVisible()
        && m_more->isEnabled() && m_results->currentIndex().row() == m_model->rowCount() - 1) {
        m_more->setFocus(Qt::TabFocusReason);
        return true;
    }
    return QDockWidget::eventFilter(watched, event);
}

QList<std::pair<int, int>> SearchPanel::matchRanges(const QString &snippet, const QString &query)
{
    // The words to find: everything but -exclusions and filters; `word*` a prefix.
    struct Wanted
    {
        QString word;
        bool prefix;
    };
    QList<Wanted> wanted;
    static const QStringList kFilters = {QStringLiteral("from:"), QStringLiteral("in:"),
                                         QStringLiteral("before:"), QStringLiteral("after:"),
                                         QStringLiteral("has:")};
    int i = 0;
    const int n = int(query.size());
    while (i < n) {
        if (query.at(i).isSpace()) {
            ++i;
            continue;
        }
        const bool excluded = query.at(i) == u'-';
        if (excluded)
            ++i;
        QString token;
        if (i < n && query.at(i) == u'"') {
            const int close = int(query.indexOf(u'"', i + 1));
            const int end = close < 0 ? n : close;
            token = query.mid(i + 1, end - i - 1);
            i = close < 0 ? n : close + 1;
        } else {
            const int start = i;
            while (i < n && !query.at(i).isSpace()) {
                if (query.at(i) == u'"' && i > start && query.at(i - 1) == u':') {
                    const int close = int(query.indexOf(u'"', i + 1));
                    i = close < 0 ? n : close + 1;
                    continue;
                }
                ++i;
            }
            token = query.mid(start, i - start);
            bool filter = false;
            for (const QString &key : kFilters)
                filter = filter || token.startsWith(key, Qt::CaseInsensitive);
            if (filter && !excluded)
                continue;
        }
        bool prefix = false;
        while (i < n && query.at(i) == u'*') {
            prefix = true;
            ++i;
        }
        while (token.endsWith(u'*')) {
            prefix = true;
            token.chop(1);
        }
        if (excluded)
            continue;
        for (const auto &[start, length] : wordRuns(token))
            wanted.append({fold(token.mid(start, length)), prefix});
    }
    QList<std::pair<int, int>> ranges;
    if (wanted.isEmpty())
        return ranges;
    for (const auto &[start, length] : wordRuns(snippet)) {
        const QString word = fold(snippet.mid(start, length));
        for (const Wanted &w : std::as_const(wanted)) {
            if (w.prefix ? word.startsWith(w.word) : word == w.word) {
                ranges.append({start, length});
                break;
            }
        }
    }
    return ranges;
}

} // namespace Natter
