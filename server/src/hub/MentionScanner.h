// Finds the `@name`s a message text mentions (contract §7, §13 "Mention
// syntax"), outside inline code and code blocks.
//
// "What is code" is decided by md4c, the Markdown parser Qt's own Markdown
// support is built on, so the desktop renderer and this scanner agree; both
// are checked against one table of cases (tests/data/mention_cases.json).
// The text is parsed with kMarkdownFlags; only the text md4c reports outside
// code spans and code blocks is scanned, block by block. Resolving names to
// members is the caller's (ChatFrameHandler's) business. Plain class of static
// functions; no state.
#pragma once

#include <QString>
#include <QStringList>

namespace Natter::Server {

class MentionScanner
{
public:
    // md4c's flags: GitHub's dialect (strikethrough, tables, task lists,
    // permissive autolinks), raw HTML as text (MD_FLAG_NOHTML), and no indented
    // code blocks (MD_FLAG_NOINDENTEDCODEBLOCKS: chat text indented by four
    // spaces is text; only fenced blocks and `inline code` are code).
    static unsigned markdownFlags();

    struct Result
    {
        QStringList names; // lower case, in order of first appearance, no duplicates
        bool channel = false; // `@channel` appeared (§7: every member but the author)
    };
    static Result scan(const QString &markdown);
    // The §13 syntax on text that is known to be no code.
    static void scanPlain(const QString &text, Result *result);
};

} // namespace Natter::Server
