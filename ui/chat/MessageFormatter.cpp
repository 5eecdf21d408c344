#include "MessageFormatter.h"

#include <QRegularExpression>

namespace Natter {

namespace {

QString formatInline(const QString &escaped)
{
    // Applied to already-escaped text outside code spans; the patterns cannot
    // produce tags other than the ones written here.
    static const QRegularExpression link(
        QStringLiteral(R"((https?://[^\s<>"']+[^\s<>"'.,;:!?)\]]))"));
    static const QRegularExpression bold(QStringLiteral(R"(\*\*(\S(?:.*?\S)?)\*\*)"));
    static const QRegularExpression italic(
        QStringLiteral(R"((?<![\*\w])\*(\S(?:.*?\S)?)\*(?![\*\w]))"));

    // Links first, and keep them out of the emphasis rules (URLs may contain '*').
    QString out;
    qsizetype last = 0;
    auto it = link.globalMatch(escaped);
    auto emphasis = [&](QString s) {
        s.replace(bold, QStringLiteral("<b>\\1</b>"));
        s.replace(italic, QStringLiteral("<i>\\1</i>"));
        return s;
    };
    while (it.hasNext()) {
        const auto m = it.next();
        out += emphasis(escaped.mid(last, m.capturedStart() - last));
        const QString url = m.captured(1);
        out += QStringLiteral("<a href=\"%1\">%1</a>").arg(url);
        last = m.capturedEnd();
    }
    out += emphasis(escaped.mid(last));
    return out;
}

} // namespace

QString MessageFormatter::toHtml(const QString &plainText)
{
    const QString escaped = plainText.toHtmlEscaped();
    // Split on backticks: odd segments are code and get no further formatting.
    const QStringList parts = escaped.split(QLatin1Char('`'));
    QString html;
    const bool balanced = parts.size() % 2 == 1;
    for (qsizetype i = 0; i < parts.size(); ++i) {
        const bool isCode = balanced && i % 2 == 1;
        if (isCode)
            html += QStringLiteral("<code>") + parts.at(i) + QStringLiteral("</code>");
        else
            html += formatInline(parts.at(i))
                + (!balanced && i + 1 < parts.size() ? QStringLiteral("`") : QString());
    }
    html.replace(QLatin1Char('\n'), QStringLiteral("<br>"));
    return html;
}

} // namespace Natter
