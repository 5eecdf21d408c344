#include "hub/EmojiRule.h"

#include <QList>
#include <QTextBoundaryFinder>

namespace Natter::Server {

bool EmojiRule::isValid(const QString &emoji)
{
    const qsizetype bytes = emoji.toUtf8().size();
    if (emoji.isEmpty() || bytes > kMaxBytes)
        return false;
    for (const uint c : emoji.toUcs4()) {
        // A lone surrogate decodes to itself and is no character at all.
        if (QChar::isSpace(c) || QChar::category(c) == QChar::Other_Control
            || QChar::category(c) == QChar::Other_Surrogate)
            return false;
    }
    QTextBoundaryFinder clusters(QTextBoundaryFinder::Grapheme, emoji);
    return clusters.toNextBoundary() == emoji.size();
}

} // namespace Natter::Server
