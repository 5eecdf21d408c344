#include "Avatar.h"

#include <QPainter>
#include <QStringList>

namespace Natter {

QString Avatar::initials(const QString &name)
{
    const QStringList words = name.simplified().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    QString result;
    for (const QString &w : words) {
        // A whole grapheme would be better; the first code point is what people expect.
        const QString first = w.left(w.at(0).isHighSurrogate() ? 2 : 1);
        result += first.toUpper();
        if (result.size() >= 2)
            break;
    }
    return result.isEmpty() ? QStringLiteral("?") : result;
}

QColor Avatar::colorFor(const QString &key)
{
    // Dark enough for white initials in light and dark themes alike.
    static const QColor palette[] = {
        QColor(0xc0, 0x39, 0x2b), QColor(0xd3, 0x54, 0x00), QColor(0x9a, 0x7d, 0x0a),
        QColor(0x1e, 0x84, 0x49), QColor(0x11, 0x7a, 0x65), QColor(0x1f, 0x61, 0x8d),
        QColor(0x6c, 0x34, 0x83), QColor(0xa9, 0x32, 0x6e), QColor(0x51, 0x5a, 0x5a),
        QColor(0x28, 0x74, 0xa6),
    };
    // FNV-1a over UTF-8: stable across runs and machines (qHash is seeded).
    quint32 h = 2166136261u;
    for (const char c : key.toUtf8()) {
        h ^= quint8(c);
        h *= 16777619u;
    }
    return palette[h % (sizeof(palette) / sizeof(palette[0]))];
}

void Avatar::paint(QPainter *painter, const QRect &rect, const QString &name, const QString &key)
{
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(Qt::NoPen);
    painter->setBrush(colorFor(key));
    painter->drawEllipse(rect);
    QFont f = painter->font();
    f.setBold(true);
    f.setPixelSize(qMax(6, rect.height() * 2 / 5));
    painter->setFont(f);
    painter->setPen(Qt::white);
    painter->drawText(rect, Qt::AlignCenter, initials(name));
    painter->restore();
}

} // namespace Natter
