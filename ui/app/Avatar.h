// Generated avatars: a person's initials on a disc whose colour is derived from
// a stable key of theirs (never a remote image), and the same colour for their
// name. Stateless helpers used by the message view's delegate and any list of
// people.
#pragma once

#include <QColor>
#include <QString>

class QPainter;
class QRect;

namespace Natter {

class Avatar
{
public:
    // "Alice Smith" -> "AS", "bob" -> "B", "" -> "?".
    static QString initials(const QString &name);
    // One of a fixed set of colours readable with white text, chosen by a stable
    // hash of `key` (the user id or username): the same person, the same colour,
    // on every machine and run.
    static QColor colorFor(const QString &key);
    // The disc with the initials, filling `rect` (a square).
    static void paint(QPainter *painter, const QRect &rect, const QString &name,
                      const QString &key);
};

} // namespace Natter
