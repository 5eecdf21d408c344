#include "ReactionPicker.h"

#include <QCoreApplication>
#include <QFile>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLoggingCategory>
#include <QVBoxLayout>

Q_LOGGING_CATEGORY(lcReactionPicker, "natter.reactions", QtInfoMsg)

namespace Natter {

const QList<ReactionPicker::Emoji> &ReactionPicker::all()
{
    static const QList<Emoji> table = [] {
        QList<Emoji> out;
        // Built into natter-ui from emoji-test.txt (see the header).
        QFile file(QStringLiteral(":/natter/emoji-names.tsv"));
        if (!file.open(QIODevice::ReadOnly)) {
            qCWarning(lcReactionPicker) << "no emoji table:" << file.errorString();
            return out;
        }
        const QList<QByteArray> lines = file.readAll().split('\n');
        for (const QByteArray &line : lines) {
            const qsizetype tab = line.indexOf('\t');
            if (tab > 0)
                out.append(
                    {QString::fromUtf8(line.left(tab)), QString::fromUtf8(line.mid(tab + 1))});
        }
        return out;
    }();
    return table;
}

QList<ReactionPicker::Emoji> ReactionPicker::search(const QString &query)
{
    const QStringList words = query.simplified().toLower().split(u' ', Qt::SkipEmptyParts);
    QList<Emoji> out;
    for (const Emoji &e : all()) {
        const QString name = e.name.toLower();
        bool match = true;
        for (const QString &word : words) {
            // A word of the name starts with it: "thumb" finds "thumbs up",
            // "up" finds it too, "umbs" does not.
            qsizetype at = name.indexOf(word);
            while (at > 0 && name.at(at - 1).isLetterOrNumber())
                at = name.indexOf(word, at + 1);
            if (at < 0) {
                match = false;
                break;
            }
        }
        if (match)
            out.append(e);
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
