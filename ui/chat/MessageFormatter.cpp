#include "MessageFormatter.h"

#include <QFontDatabase>
#include <QRegularExpression>
#include <QTextBlock>
#include <QTextCursor>
#include <QUrl>

namespace Natter {

namespace {

// md4c's flags, spelled out so the renderer visibly parses what natterd's
// MentionScanner parses (§13: MD_DIALECT_GITHUB | MD_FLAG_NOHTML |
// MD_FLAG_NOINDENTEDCODEBLOCKS) — without MD_FLAG_UNDERLINE, which Qt's own
// GitHub dialect adds and which would make `_x_` underlined instead of italic.
constexpr int kPermissiveUrlAutolinks = 0x0004;
constexpr int kPermissiveEmailAutolinks = 0x0008;
constexpr int kNoIndentedCodeBlocks = 0x0010;
constexpr int kNoHtmlBlocks = 0x0020;
constexpr int kNoHtmlSpans = 0x0040;
constexpr int kTables = 0x0100;
constexpr int kStrikethrough = 0x0200;
constexpr int kPermissiveWwwAutolinks = 0x0400;
constexpr int kTaskLists = 0x0800;

struct Mention
{
    int position;
    int length;
    QString name;
};

bool isNameChar(char32_t c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9')
        || c == u'.' || c == u'_' || c == u'-';
}

// §13, as MentionScanner::scanPlain: `@` at the start or after a character that is
// not a letter, digit, `.`, `_` or `-`; the name is the longest run of
// [a-z0-9._-] after it, minus trailing `.`, `_` and `-`. `text` has code replaced
// by separators; positions are offsets into it plus `base`.
void scanMentions(const QString &text, int base, QList<Mention> *out)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text.at(i) != u'@')
            continue;
        if (i > 0) {
            char32_t before = text.at(i - 1).unicode();
            if (i > 1 && text.at(i - 1).isLowSurrogate() && text.at(i - 2).isHighSurrogate())
                before = QChar::surrogateToUcs4(text.at(i - 2), text.at(i - 1));
            if (isNameChar(before) || QChar::isLetterOrNumber(before))
                continue;
        }
        qsizetype end = i + 1;
        while (end < text.size() && isNameChar(text.at(end).unicode()))
            ++end;
        qsizetype nameEnd = end;
        while (nameEnd > i + 1
               && (text.at(nameEnd - 1) == u'.' || text.at(nameEnd - 1) == u'_'
                   || text.at(nameEnd - 1) == u'-'))
            --nameEnd;
        if (nameEnd > i + 1)
            out->append(
                {base + int(i), int(nameEnd - i), text.mid(i + 1, nameEnd - i - 1).toLower()});
        i = end - 1;
    }
}

// Chat keeps line breaks as typed: every line break outside fenced code becomes a
// hard break (two trailing spaces). Fenced code is left exactly as written.
QString withHardBreaks(const QString &markdown)
{
    static const QRegularExpression fence(QStringLiteral(R"(^ {0,3}(`{3,}|~{3,}))"));
    const QStringList lines = markdown.split(QLatin1Char('\n'));
    QString out;
    out.reserve(markdown.size() + 2 * lines.size());
    QString openFence;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString &line = lines.at(i);
        const auto m = fence.match(line);
        const bool last = i + 1 == lines.size();
        if (openFence.isEmpty()) {
            if (m.hasMatch()) {
                openFence = m.captured(1);
            } else if (!last && !line.trimmed().isEmpty()) {
                out += line + QStringLiteral("  \n");
                continue;
            }
        } else if (m.hasMatch() && m.captured(1).at(0) == openFence.at(0)
                   && m.captured(1).size() >= openFence.size()
                   && line.mid(m.capturedEnd(1)).trimmed().isEmpty()) {
            openFence.clear();
        }
        out += line;
        if (!last)
            out += QLatin1Char('\n');
    }
    return out;
}

// An entity that decodes to `@` (`&#64;bob`) is no mention to natterd, which scans
// text as written (§13); Qt decodes it. It is parsed as a stand-in character that
// cannot start a mention, and put back afterwards (as `@` where Qt would have
// decoded it, as written inside code, where nothing is decoded).
// Private use: not in the text people type (Qt turns noncharacters into breaks).
constexpr char16_t kAtEntity = 0xE040;
const QRegularExpression &atEntity()
{
    static const QRegularExpression re(QStringLiteral("&(#0*64|#[xX]0*40|commat);"));
    return re;
}

bool isCode(const QTextCharFormat &f, const QString &fixedFamily)
{
    return f.fontFixedPitch() || f.fontFamilies().toStringList().contains(fixedFamily);
}

} // namespace

QTextDocument::MarkdownFeatures MessageFormatter::markdownFeatures()
{
    return QTextDocument::MarkdownFeatures::fromInt(
        kPermissiveUrlAutolinks | kPermissiveEmailAutolinks | kPermissiveWwwAutolinks | kTables
        | kStrikethrough | kTaskLists | kNoHtmlBlocks | kNoHtmlSpans | kNoIndentedCodeBlocks);
}

bool MessageFormatter::isOpenableLink(const QUrl &url)
{
    if (!url.isValid())
        return false;
    const QString scheme = url.scheme().toLower();
    if (scheme == u"http" || scheme == u"https")
        return !url.host().isEmpty();
    return scheme == u"mailto" && !url.path().isEmpty();
}

bool MessageFormatter::mayHaveMarkup(const QString &text)
{
    // Anything Markdown (or an autolink, or a mention) could start with; plain
    // words, digits and sentence punctuation are drawn without a document.
    static const QRegularExpression markup(
        QStringLiteral(R"([*_`~\[\]<>#&\\|!@:=]|^\s*([-+]|\d+[.)])(\s|$)|www\.)"),
        QRegularExpression::MultilineOption);
    return markup.match(text).hasMatch();
}

void MessageFormatter::render(QTextDocument *doc, const QString &markdown,
                              const QColor &mentionColor)
{
    QString source = withHardBreaks(markdown);
    QStringList atEntities;
    for (auto it = atEntity().globalMatch(source); it.hasNext();)
        atEntities.append(it.next().captured(0));
    source.replace(atEntity(), QString(QChar(kAtEntity)));
    doc->setMarkdown(source, markdownFeatures());
    const QString fixedFamily = QFontDatabase::systemFont(QFontDatabase::FixedFont).family();

    struct Image
    {
        int position;
        int length;
        QString text;
    };
    QList<Image> images;
    QList<Mention> mentions;
    QList<QPair<int, bool>> entities; // position, in code
    QList<QPair<int, int>> codeBlocks; // position, length
    QTextCursor cursor(doc);
    for (QTextBlock block = doc->begin(); block.isValid(); block = block.next()) {
        const QTextBlockFormat bf = block.blockFormat();
        const bool codeBlock = bf.hasProperty(QTextFormat::BlockCodeFence)
            || bf.hasProperty(QTextFormat::BlockCodeLanguage);
        QString visible = block.text();
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextFragment fragment = it.fragment();
            const QTextCharFormat cf = fragment.charFormat();
            const int offset = fragment.position() - block.position();
            const bool code = codeBlock || isCode(cf, fixedFamily);
            if (code) {
                // A code span separates like a space (§13).
                for (int k = offset; k < offset + fragment.length() && k < visible.size(); ++k)
                    visible[k] = u'\n';
            }
            if (codeBlock)
                codeBlocks.append({fragment.position(), fragment.length()});
            const QString fragmentText = fragment.text();
            for (qsizetype k = 0; k < fragmentText.size(); ++k) {
                if (fragmentText.at(k) == QChar(kAtEntity))
                    entities.append({fragment.position() + int(k), code});
            }
            if (cf.isImageFormat()) {
                // Never an image: its description as text, and nothing loaded.
                const QTextImageFormat image = cf.toImageFormat();
                QString text = image.property(QTextFormat::ImageAltText).toString();
                if (text.isEmpty())
                    text = image.property(QTextFormat::ImageTitle).toString();
                if (text.isEmpty())
                    text = image.name();
                images.append({fragment.position(), fragment.length(), text});
            }
            if (cf.isAnchor()) {
                QString href = cf.anchorHref();
                if (href.startsWith(QLatin1String("www."), Qt::CaseInsensitive))
                    href.prepend(QLatin1String("http://"));
                QTextCharFormat fixed = cf;
                if (isOpenableLink(QUrl(href))) {
                    fixed.setAnchorHref(href);
                } else {
                    fixed.setAnchor(false);
                    fixed.clearProperty(QTextFormat::AnchorHref);
                    fixed.setFontUnderline(false);
                    fixed.clearForeground();
                }
                cursor.setPosition(fragment.position());
                cursor.setPosition(fragment.position() + fragment.length(),
                                   QTextCursor::KeepAnchor);
                cursor.setCharFormat(fixed);
            }
        }
        if (!codeBlock)
            scanMentions(visible, block.position(), &mentions);
    }
    for (const Mention &m : std::as_const(mentions)) {
        QTextCharFormat f;
        f.setProperty(MentionNameProperty, m.name);
        f.setFontWeight(QFont::Bold);
        if (mentionColor.isValid())
            f.setForeground(mentionColor);
        cursor.setPosition(m.position);
        cursor.setPosition(m.position + m.length, QTextCursor::KeepAnchor);
        cursor.mergeCharFormat(f);
    }
    // Fenced code in monospace, whatever the importer chose.
    QTextCharFormat mono;
    mono.setFontFamilies({fixedFamily});
    mono.setFontFixedPitch(true);
    for (const auto &[position, length] : std::as_const(codeBlocks)) {
        cursor.setPosition(position);
        cursor.setPosition(position + length, QTextCursor::KeepAnchor);
        cursor.mergeCharFormat(mono);
    }
    // Back to front, so earlier positions stay valid. Images and entities never
    // share a position.
    if (entities.size() == atEntities.size()) {
        for (qsizetype i = entities.size() - 1; i >= 0; --i) {
            cursor.setPosition(entities.at(i).first);
            cursor.setPosition(entities.at(i).first + 1, QTextCursor::KeepAnchor);
            const QTextCharFormat f = cursor.charFormat();
            cursor.insertText(entities.at(i).second ? atEntities.at(i) : QStringLiteral("@"), f);
        }
    }
    for (auto it = images.crbegin(); it != images.crend(); ++it) {
        cursor.setPosition(it->position);
        cursor.setPosition(it->position + it->length, QTextCursor::KeepAnchor);
        cursor.insertText(it->text, QTextCharFormat());
    }
    // A message is one chat row: no paragraph margin above the first block or
    // below the last.
    QTextBlockFormat first = doc->begin().blockFormat();
    first.setTopMargin(0);
    cursor.setPosition(0);
    cursor.setBlockFormat(first);
    QTextBlockFormat last = doc->lastBlock().blockFormat();
    last.setBottomMargin(0);
    cursor.setPosition(doc->lastBlock().position());
    cursor.setBlockFormat(last);
}

QStringList MessageFormatter::markedMentions(const QTextDocument *doc)
{
    QStringList names;
    for (QTextBlock block = doc->begin(); block.isValid(); block = block.next()) {
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QString name =
                it.fragment().charFormat().property(MentionNameProperty).toString();
            if (!name.isEmpty() && !names.contains(name))
                names.append(name);
        }
    }
    return names;
}

} // namespace Natter
