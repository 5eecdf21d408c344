#include "ReactionPicker.h"

#include <QCoreApplication>
#include <QFile>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QLoggingCategory>
#include <QVBoxLayout>

#include <algorithm>
#include <map>

Q_LOGGING_CATEGORY(lcReactionPicker, "natter.reactions", QtInfoMsg)

namespace Natter {

namespace {

QString tablePath(const QString &language)
{
    return QStringLiteral(":/natter/emoji-names-%1.tsv").arg(language);
}

// The table for the first of the locale's languages that has one (de_AT → de).
QString tableLanguage()
{
    for (const QString &name : QLocale().uiLanguages()) {
        const QString language = QLocale::languageToCode(QLocale(name).language());
        if (!language.isEmpty() && QFile::exists(tablePath(language)))
            return language;
    }
    return QStringLiteral("en");
}

QList<ReactionPicker::Emoji> readTable(const QString &language)
{
    QList<ReactionPicker::Emoji> out;
    // Built into natter-ui at build time (see the header).
    QFile file(tablePath(language));
    if (!file.open(QIODevice::ReadOnly)) {
        qCWarning(lcReactionPicker) << "no emoji table:" << file.errorString();
        return out;
    }
    const QList<QByteArray> lines = file.readAll().split('\n');
    for (const QByteArray &line : lines) {
        const QList<QByteArray> fields = line.split('\t');
        if (fields.size() == 3 && !fields.at(0).isEmpty())
            out.append({QString::fromUtf8(fields.at(0)), QString::fromUtf8(fields.at(1)),
                        QString::fromUtf8(fields.at(2))});
    }
    return out;
}

// For matching: case folded, accents dropped ("Écureuil" → "ecureuil"), and
// the letters people type as two ("cœur" → "coeur", "Straße" → "strasse").
QString folded(const QString &text)
{
    const QString decomposed = text.normalized(QString::NormalizationForm_KD);
    QString out;
    out.reserve(decomposed.size());
    for (const QChar c : decomposed) {
        if (c.category() != QChar::Mark_NonSpacing)
            out.append(c);
    }
    out = out.toCaseFolded();
    static const std::pair<char16_t, const char *> kTyped[] = {
        {u'œ', "oe"}, {u'æ', "ae"}, {u'ß', "ss"}, {u'ø', "o"}, {u'ł', "l"}, {u'đ', "d"},
    };
    for (const auto &[letter, typed] : kTyped)
        out.replace(QChar(letter), QLatin1String(typed));
    return out;
}

struct Table
{
    QList<ReactionPicker::Emoji> emoji;
    QStringList folded; // per emoji: its name and keywords, folded, for search()
};

// One table per language, read once; the language can change while Natter
// runs (Settings). std::map: references to its values stay valid.
const Table &tableFor(const QString &language)
{
    static std::map<QString, Table> tables;
    auto it = tables.find(language);
    if (it == tables.end()) {
        Table table;
        table.emoji = readTable(language);
        table.folded.reserve(table.emoji.size());
        for (const ReactionPicker::Emoji &e : std::as_const(table.emoji))
            table.folded.append(folded(e.name + QStringLiteral(" | ") + e.keywords));
        it = tables.emplace(language, std::move(table)).first;
    }
    return it->second;
}

// Whether a word of `text` starts with `word`: "thumb" finds "thumbs up", "up"
// finds it too, "umbs" does not.
bool hasWordStartingWith(const QString &text, const QString &word)
{
    qsizetype at = text.indexOf(word);
    while (at > 0 && text.at(at - 1).isLetterOrNumber())
        at = text.indexOf(word, at + 1);
    return at >= 0;
}

} // namespace

const QList<ReactionPicker::Emoji> &ReactionPicker::all()
{
    return tableFor(tableLanguage()).emoji;
}

QList<ReactionPicker::Emoji> ReactionPicker::search(const QString &query)
{
    const QStringList words = folded(query.simplified()).split(u' ', Qt::SkipEmptyParts);
    const Table &table = tableFor(tableLanguage());
    QList<Emoji> out;
    for (qsizetype i = 0; i < table.emoji.size(); ++i) {
        const QString &text = table.folded.at(i);
        const bool match = std::all_of(words.cbegin(), words.cend(), [&text](const QString &w) {
            return hasWordStartingWith(text, w);
        });
        if (match)
            out.append(table.emoji.at(i));
    }
    return out;
}

QString ReactionPicker::nameOf(const QString &emoji)
{
    for (const Emoji &e : all()) {
        if (e.emoji == emoji)
            return e.name;
    }
    return {};
}

ReactionPicker::ReactionPicker(const QStringList &frequent, QWidget *parent)
    : QDialog(parent)
    , m_frequent(frequent)
    , m_search(new QLineEdit(this))
    , m_list(new QListWidget(this))
{
    setObjectName(QStringLiteral("reactionPicker"));
    setWindowTitle(tr("Add reaction"));
    setAttribute(Qt::WA_DeleteOnClose);
    auto *col = new QVBoxLayout(this);
    auto *label = new QLabel(tr("&Search by name:"), this);
    label->setBuddy(m_search);
    col->addWidget(label);
    m_search->setPlaceholderText(tr("thumbs, heart, party…"));
    m_search->setAccessibleName(tr("Search emoji by name"));
    m_search->setClearButtonEnabled(true);
    col->addWidget(m_search);
    m_list->setAccessibleName(tr("Emoji"));
    m_list->setUniformItemSizes(true);
    col->addWidget(m_list);
    resize(320, 360);
    connect(m_search, &QLineEdit::textChanged, this, &ReactionPicker::fill);
    connect(m_list, &QListWidget::itemActivated, this, &ReactionPicker::choose);
    m_search->installEventFilter(this);
    fill();
    m_search->setFocus();
}

void ReactionPicker::fill()
{
    m_list->clear();
    const auto add = [this](const QString &emoji, const QString &name) {
        auto *item = new QListWidgetItem(QStringLiteral("%1   %2").arg(emoji, name), m_list);
        item->setData(Qt::UserRole, emoji);
        item->setData(Qt::AccessibleTextRole, name.isEmpty() ? emoji : name);
        item->setToolTip(name);
    };
    const QString query = m_search->text().trimmed();
    if (query.isEmpty()) {
        for (const QString &e : std::as_const(m_frequent))
            add(e, nameOf(e));
        for (const Emoji &e : all()) {
            if (!m_frequent.contains(e.emoji))
                add(e.emoji, e.name);
        }
    } else {
        for (const Emoji &e : search(query))
            add(e.emoji, e.name);
    }
    if (m_list->count() > 0)
        m_list->setCurrentRow(0);
}

void ReactionPicker::choose()
{
    const QListWidgetItem *item = m_list->currentItem();
    if (!item)
        return;
    Q_EMIT emojiChosen(item->data(Qt::UserRole).toString());
    accept();
}

bool ReactionPicker::eventFilter(QObject *watched, QEvent *event)
{
    // While typing a search, Up/Down/PgUp/PgDn move in the list and Enter picks.
    if (watched == m_search && event->type() == QEvent::KeyPress) {
        auto *ke = static_cast<QKeyEvent *>(event);
        switch (ke->key()) {
        case Qt::Key_Up:
        case Qt::Key_Down:
        case Qt::Key_PageUp:
        case Qt::Key_PageDown:
            QCoreApplication::sendEvent(m_list, event);
            return true;
        case Qt::Key_Return:
        case Qt::Key_Enter:
            choose();
            return true;
        default:
            break;
        }
    }
    return QDialog::eventFilter(watched, event);
}

} // namespace Natter
