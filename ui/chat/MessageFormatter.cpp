#include "MessageFormatter.h"

#include <QRegularExpression>

namespace Natter {

namespace {

QString formatInline(const QString &escaped)
{
    // Applied to already-escaped text outside code spans; the patterns cannot
    // produce tags other than the ones written here.
    // Runs on escaped text: an escaped quote or angle bracket ends a link, so an
    // attribute can never be broken out of.
    static const QRegularExpression link(
        QStringLiteral(R"(https?://(?:(?!&quot;|&lt;|&gt;)[^\s<>"'])+)"));
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
        QString url = m.captured(0);
        // Sentence punctuation right after a link is not part of it.
        static const QString trailing = QStringLiteral(".,;:!?)]");
        while (!url.isEmpty() && trailing.contains(url.back()))
            url.chop(1);
        if (url.endsWith(QLatin1String("&amp")))
            url.chop(4);
        out += emphasis(escaped.mid(last, m.capturedStart() - last));
        out += QStringLiteral("<a href=\"%1\">%1</a>").arg(url);
        last = m.capturedStart() + url.size();
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
