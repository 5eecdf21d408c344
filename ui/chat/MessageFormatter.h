// Renders a message's text, which is Markdown, into a QTextDocument, safely.
//
// Qt's Markdown importer is md4c, the parser natterd's MentionScanner uses, run
// with the same flags (§13) except MD_FLAG_UNDERLINE, so `_x_` is emphasis as in
// every chat. Raw HTML stays text (MD_FLAG_NOHTML). After parsing:
//  - images are replaced by their description: nothing is ever loaded (Qt's image
//    handler reads a local path straight from disk, past loadResource),
//  - links keep their anchor only when isOpenableLink() (http, https, mailto),
//  - `@name` outside code spans and fenced code is marked as a mention, by the
//    rule of §13 (the same as MentionScanner's), so both sides agree on what code is.
// Line breaks are kept as typed (chat, not a document). Plain class, no event loop;
// used by MessageDelegate and its read-only text view.
#pragma once

#include <QColor>
#include <QStringList>
#include <QTextDocument>
#include <QTextFormat>

namespace Natter {

class MessageFormatter
{
public:
    // The char format property holding the (lower-case) name of a marked mention.
    static constexpr int MentionNameProperty = QTextFormat::UserProperty + 1;

    static QTextDocument::MarkdownFeatures markdownFeatures();
    // Replaces `doc`'s content with `markdown` rendered. Mentions are drawn in
    // `mentionColor` (bold); an invalid colour leaves them in the text colour.
    static void render(QTextDocument *doc, const QString &markdown,
                       const QColor &mentionColor = {});
    // Whether a link may be opened: http(s) with a host, or mailto. Nothing else
    // (javascript:, file:, data:, relative paths) is ever opened.
    static bool isOpenableLink(const QUrl &url);
    // Whether `text` could render differently from itself as plain text.
    static bool mayHaveMarkup(const QString &text);
    // The mentions marked in `doc`, lower case, in order of first appearance
    // ("channel" for @channel).
    static QStringList markedMentions(const QTextDocument *doc);
};

} // namespace Natter
