#include "SearchCompleter.h"

#include "models/ChannelListModel.h"
#include "models/PresenceModel.h"
#include "session/ChatSession.h"

#include <QKeyEvent>
#include <QLineEdit>

#include <algorithm>

namespace Natter {

namespace {

enum Role { InsertionRole = Qt::UserRole + 1 };

// The text of a filter value as typed so far: `@bo` / `#ra` / `"my ch` → `bo`, `ra`, `my ch`.
QString typedValue(QString value, QChar sigil)
{
    if (value.startsWith(u'"'))
        value = value.mid(1);
    if (value.startsWith(sigil))
        value = value.mid(1);
    if (value.endsWith(u'"'))
        value.chop(1);
    return value;
}

bool startsAnyWord(const QString &text, const QString &prefix)
{
    if (text.startsWith(prefix, Qt::CaseInsensitive))
        return true;
    const QStringList words = text.split(u' ', Qt::SkipEmptyParts);
    return std::any_of(words.begin(), words.end(), [&prefix](const QString &w) {
        return w.startsWith(prefix, Qt::CaseInsensitive);
    });
}

} // namespace

SearchCompleter::SearchCompleter(ChatSession *session, QLineEdit *field, QWidget *parent)
    : QListWidget(parent)
    , m_session(session)
    , m_field(field)
{
    setObjectName(QStringLiteral("searchCompletion"));
    setAccessibleName(tr("Filter suggestions"));
    setAccessibleDescription(
        tr("Up and Down choose a suggestion, Enter or Tab puts it in the search, Esc closes "
           "the suggestions."));
    // The focus stays in the field: keys come through handleKey().
    setFocusPolicy(Qt::NoFocus);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setUniformItemSizes(true);
    setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
    hide();
    connect(this, &QListWidget::itemClicked, this, [this](QListWidgetItem *item) {
        accept(row(item));
        m_field->setFocus(Qt::OtherFocusReason);
    });
}

QString SearchCompleter::quoted(const QString &value)
{
    const bool plain = !value.isEmpty() && std::all_of(value.begin(), value.end(), [](QChar c) {
        return c.isLetterOrNumber() || c == u'_' || c == u'-' || c == u'.';
    });
    if (plain)
        return value;
    QString inner = value;
    inner.remove(u'"'); // §10 has no escape inside a quoted value
    return u'"' + inner + u'"';
}

std::pair<int, int> SearchCompleter::wordAtCursor() const
{
    const QString text = m_field->text();
    const int cursor = m_field->cursorPosition();
    int start = cursor;
    while (start > 0 && !text.at(start - 1).isSpace())
        --start;
    int end = cursor;
    while (end < text.size() && !text.at(end).isSpace())
        ++end;
    return {start, end};
}

void SearchCompleter::refresh()
{
    clear();
    const auto [start, end] = wordAtCursor();
    const QString word = m_field->text().mid(start, m_field->cursorPosition() - start);
    const bool from = word.startsWith(QLatin1String("from:"), Qt::CaseInsensitive);
    const bool in = word.startsWith(QLatin1String("in:"), Qt::CaseInsensitive);
    if (!from && !in) {
        hide();
        return;
    }
    struct Offer
    {
        QString label;
        QString insertion;
        QString sortKey;
    };
    QList<Offer> offers;
    if (from) {
        const QString prefix = typedValue(word.mid(5), u'@');
        const PresenceModel *people = m_session->people();
        for (int r = 0; r < people->rowCount(); ++r) {
            const QModelIndex i = people->index(r, 0);
            const QString username = i.data(PresenceModel::UsernameRole).toString();
            const QString display = i.data(PresenceModel::DisplayNameRole).toString();
            if (username.isEmpty())
                continue;
            if (!username.startsWith(prefix, Qt::CaseInsensitive)
                && !startsAnyWord(display, prefix))
                continue;
            //: A suggestion for the from: filter: %1 the username, %2 the display name.
            const QString label = display.isEmpty() || display == username
                ? username
                : tr("%1 (%2)").arg(username, display);
            offers.append({label, QStringLiteral("from:") + quoted(username) + u' ', username});
        }
    } else {
        const QString prefix = typedValue(word.mid(3), u'#');
        const ChannelListModel *channels = m_session->channels();
        for (int r = 0; r < channels->rowCount(); ++r) {
            const QModelIndex i = channels->index(r, 0);
            if (i.data(ChannelListModel::KindRole).toInt() != int(ChannelKind::Channel))
                continue; // a direct conversation has no name for `in:`
            const QString name =
                channels->channel(i.data(ChannelListModel::IdRole).toString()).name;
            if (name.isEmpty() || !startsAnyWord(name, prefix))
                continue;
            offers.append({u'#' + name, QStringLiteral("in:") + quoted(name) + u' ', name});
        }
    }
    std::sort(offers.begin(), offers.end(), [](const Offer &a, const Offer &b) {
        return a.sortKey.compare(b.sortKey, Qt::CaseInsensitive) < 0;
    });
    for (const Offer &o : std::as_const(offers)) {
        auto *item = new QListWidgetItem(o.label, this);
        item->setData(InsertionRole, o.insertion);
    }
    if (count() == 0) {
        hide();
        return;
    }
    setCurrentRow(0);
    setMaximumHeight(sizeHintForRow(0) * std::min(count(), m_maxRows) + 2 * frameWidth());
    show();
}

QString SearchCompleter::insertionAt(int row) const
{
    const QListWidgetItem *it = item(row);
    return it ? it->data(InsertionRole).toString() : QString();
}

void SearchCompleter::accept(int row)
{
    const QString insertion = insertionAt(row);
    if (insertion.isEmpty())
        return;
    const auto [start, end] = wordAtCursor();
    QString text = m_field->text();
    // A space already after the word: do not add a second one.
    const bool spaceAfter = end < text.size();
    text.replace(start, end - start, spaceAfter ? insertion.chopped(1) : insertion);
    m_field->setText(text);
    m_field->setCursorPosition(start + int(insertion.size()));
    hide();
    clear();
    Q_EMIT inserted();
}

bool SearchCompleter::handleKey(QKeyEvent *event)
{
    if (!isVisible() || count() == 0)
        return false;
    switch (event->key()) {
    case Qt::Key_Down:
        setCurrentRow(std::min(currentRow() + 1, count() - 1));
        return true;
    case Qt::Key_Up:
        setCurrentRow(std::max(currentRow() - 1, 0));
        return true;
    case Qt::Key_Return:
    case Qt::Key_Enter:
    case Qt::Key_Tab:
        accept(std::max(currentRow(), 0));
        return true;
    case Qt::Key_Escape:
        hide();
        return true;
    default:
        return false;
    }
}

} // namespace Natter
