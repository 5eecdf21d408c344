// "Add reaction": a small dialog with the frequently used emoji first and a
// search by name over every emoji Unicode lists (the names are Debian's
// unicode-data emoji-test.txt, made into a table at build time by
// cmake/GenerateEmojiNames.cmake). Keyboard: type to search, Up/Down to move,
// Enter to react, Esc to close. Made and shown (open()) by ChatWindow, deletes
// itself on close.
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
        QString name; // Unicode's CLDR short name, English: "thumbs up"
    };
    // Every emoji of the table, in Unicode's order.
    static const QList<Emoji> &all();
    // The emoji whose name has a word starting with each word of `query`
    // ("thumbs" → 👍 👎; "red heart" → ❤️), in Unicode's order.
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
