#include "hub/MentionScanner.h"

#include <QList>

#include <md4c.h>

namespace Natter::Server {

namespace {

// What a text piece next to code is scanned as: not a name character, so
// "`x`@bob" mentions bob as "x @bob" would.
constexpr char16_t kSeparator = u'\n';

struct Walk
{
    QString visible; // the text outside code of the current block
    int codeDepth = 0;
    MentionScanner::Result result;

    void endRun()
    {
        MentionScanner::scanPlain(visible, &result);
        visible.clear();
    }
};

int enterBlock(MD_BLOCKTYPE type, void *, void *userdata)
{
    auto *walk = static_cast<Walk *>(userdata);
    walk->endRun();
    if (type == MD_BLOCK_CODE)
        ++walk->codeDepth;
    return 0;
}

int leaveBlock(MD_BLOCKTYPE type, void *, void *userdata)
{
    auto *walk = static_cast<Walk *>(userdata);
    walk->endRun();
    if (type == MD_BLOCK_CODE)
        --walk->codeDepth;
    return 0;
}

int enterSpan(MD_SPANTYPE type, void *, void *userdata)
{
    auto *walk = static_cast<Walk *>(userdata);
    if (type == MD_SPAN_CODE) {
        ++walk->codeDepth;
        walk->visible.append(kSeparator);
    }
    return 0;
}

int leaveSpan(MD_SPANTYPE type, void *, void *userdata)
{
    auto *walk = static_cast<Walk *>(userdata);
    if (type == MD_SPAN_CODE) {
        --walk->codeDepth;
        walk->visible.append(kSeparator);
    }
    return 0;
}

int text(MD_TEXTTYPE type, const MD_CHAR *text, MD_SIZE size, void *userdata)
{
    auto *walk = static_cast<Walk *>(userdata);
    if (walk->codeDepth > 0 || type == MD_TEXT_CODE)
        return 0;
    switch (type) {
    case MD_TEXT_NULLCHAR:
    case MD_TEXT_BR:
    case MD_TEXT_SOFTBR:
        walk->visible.append(kSeparator);
        break;
    default:
        // Normal text, and entities and HTML as written (never decoded: `&#64;bob`
        // is no mention).
        walk->visible.append(QString::fromUtf8(text, qsizetype(size)));
        break;
    }
    return 0;
}

bool isNameChar(char32_t c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9')
        || c == u'.' || c == u'_' || c == u'-';
}

} // namespace

unsigned MentionScanner::markdownFlags()
{
    return MD_DIALECT_GITHUB | MD_FLAG_NOHTML | MD_FLAG_NOINDENTEDCODEBLOCKS;
}

MentionScanner::Result MentionScanner::scan(const QString &markdown)
{
    // Most messages mention nobody: no `@`, no mention (entities are not
    // decoded), and no Markdown parse on the send path.
    if (!markdown.contains(u'@'))
        return {};
    const QByteArray utf8 = markdown.toUtf8();
    Walk walk;
    MD_PARSER parser{};
    parser.abi_version = 0;
    parser.flags = markdownFlags();
    parser.enter_block = enterBlock;
    parser.leave_block = leaveBlock;
    parser.enter_span = enterSpan;
    parser.leave_span = leaveSpan;
    parser.text = text;
    md_parse(utf8.constData(), MD_SIZE(utf8.size()), &parser, &walk);
    walk.endRun();
    return walk.result;
}

void MentionScanner::scanPlain(const QString &text, Result *result)
{
    // §13: `@` at the start or after a character that is not a letter, digit,
    // `.`, `_` or `-`; the name is the longest run of [a-z0-9._-] after it
    // (case-insensitive), minus trailing `.`, `_` and `-`.
    const QList<uint> cps = text.toUcs4();
    for (qsizetype i = 0; i < cps.size(); ++i) {
        if (cps[i] != u'@')
            continue;
        if (i > 0) {
            const char32_t before = cps[i - 1];
            if (isNameChar(before) || QChar::isLetterOrNumber(before))
                continue;
        }
        qsizetype end = i + 1;
        while (end < cps.size() && isNameChar(cps[end]))
            ++end;
        QString name;
        for (qsizetype k = i + 1; k < end; ++k)
            name.append(QChar(char16_t(cps[k])));
        while (!name.isEmpty()
               && (name.endsWith(u'.') || name.endsWith(u'_') || name.endsWith(u'-')))
            name.chop(1);
        name = name.toLower();
        if (name.isEmpty())
            continue;
        if (name == u"channel")
            result->channel = true;
        else if (!result->names.contains(name))
            result->names.append(name);
        i = end - 1;
    }
}

} // namespace Natter::Server
