// "Add reaction": a small dialog with the frequently used emoji first and a
// search by name over every emoji Unicode lists. The names and search keywords
// are in the language Natter speaks (CLDR's, from Debian's unicode-cldr-core,
// over unicode-data's emoji-test.txt; one table per language made at build time
// by cmake/generate_emoji_names.py); English names are searched too.
// Keyboard: type to search, Up/Down to move, Enter to react, Esc to close. Made
// and shown (open()) by ChatWindow, deletes itself on close.
#pragma once

#include <QDialog>

class QLineEdit;
class QListWidget;

namespace Natter {

class ReactionPicker : public QDialog
{
    Q_OBJECT
public:
    struct Emoji
    {
        QString emoji;
        QString name; // CLDR's short name: "thumbs up", "Daumen hoch"
        QString keywords; // CLDR's, then the English name: "Daumen | gut | … | thumbs up"
    };
    // Every emoji of the table for the current language (QLocale()), in
    // Unicode's order; English where Natter has no table for the language.
    static const QList<Emoji> &all();
    // The emoji whose name or keywords have a word starting with each word of
    // `query` ("thumbs" → 👍 👎; "red heart" → ❤️), in Unicode's order. Case
    // and accents do not matter: "ecureuil" finds "écureuil", "coeur" "cœur".
    static QList<Emoji> search(const QString &query);
    static QString nameOf(const QString &emoji);

    // `frequent`: the emoji shown first while the search is empty.
    explicit ReactionPicker(const QStringList &frequent, QWidget *parent = nullptr);

    QLineEdit *searchField() const { return m_search; }
    QListWidget *list() const { return m_list; }

Q_SIGNALS:
    void emojiChosen(const QString &emoji);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void fill();
    void choose();

    QStringList m_frequent;
    QLineEdit *m_search;
    QListWidget *m_list;
};

} // namespace Natter
