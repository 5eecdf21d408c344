// Message text is Markdown, rendered safely (issue 13 "Markdown, safely"): what
// shows, that nothing is read from disk while rendering (watched with inotify on a
// real image file), that only http(s)/mailto stay links, and that the renderer
// agrees with natterd's MentionScanner on what code is (the shared case table).
#include "chat/MessageFormatter.h"
#include "chat/SafeTextDocument.h"

#include <QAbstractTextDocumentLayout>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPainter>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextList>

#include <sys/inotify.h>
#include <unistd.h>

using Natter::MessageFormatter;
using Natter::SafeTextDocument;

namespace {

// Lays the document out and paints it, as the message view does.
void layOutAndPaint(QTextDocument *doc)
{
    doc->setTextWidth(400);
    const QSizeF size = doc->size();
    QImage target(qMax(1, qCeil(size.width())), qMax(1, qCeil(size.height())),
                  QImage::Format_ARGB32_Premultiplied);
    QPainter painter(&target);
    doc->documentLayout()->draw(&painter, {});
}

// Watches one file for being opened or read (inotify), so a test sees a read
// however it happens: QTextDocument::loadResource, QImage::load, anything.
class ReadWatch
{
public:
    explicit ReadWatch(const QString &path)
    {
        m_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
        if (m_fd >= 0)
            m_wd =
                inotify_add_watch(m_fd, QFile::encodeName(path).constData(), IN_OPEN | IN_ACCESS);
    }
    ~ReadWatch()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    bool isValid() const { return m_fd >= 0 && m_wd >= 0; }
    bool wasRead() const
    {
        char buf[4096];
        const ssize_t n = ::read(m_fd, buf, sizeof buf);
        return n > 0;
    }

private:
    int m_fd = -1;
    int m_wd = -1;
};

QTextCharFormat formatOf(QTextDocument *doc, const QString &text)
{
    const QTextCursor c = doc->find(text);
    return c.isNull() ? QTextCharFormat() : c.charFormat();
}

} // namespace

class tst_MessageFormatter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void rendersMarkdown_data();
    void rendersMarkdown();
    void rendersBlocks();
    void noFileIsReadWhileRendering_data();
    void noFileIsReadWhileRendering();
    void onlyWebAndMailLinksStayLinks_data();
    void onlyWebAndMailLinksStayLinks();
    void agreesWithMentionScannerOnCode_data();
    void agreesWithMentionScannerOnCode();
};

void tst_MessageFormatter::rendersMarkdown_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("shown");
    QTest::addColumn<QString>("part");
    QTest::addColumn<QString>("style");
    QTest::newRow("plain") << "hello"
                           << "hello"
                           << "hello"
                           << "";
    QTest::newRow("strong") << "a **b** c"
                            << "a b c"
                            << "b"
                            << "bold";
    QTest::newRow("emphasis") << "a *b* c"
                              << "a b c"
                              << "b"
                              << "italic";
    QTest::newRow("_x_ is italic") << "a _b_ c"
                                   << "a b c"
                                   << "b"
                                   << "italic";
    QTest::newRow("strikethrough") << "a ~~b~~ c"
                                   << "a b c"
                                   << "b"
                                   << "strike";
    QTest::newRow("inline code") << "x `**y**` z"
                                 << "x **y** z"
                                 << "**y**"
                                 << "code";
    QTest::newRow("raw html is text") << "<b>x</b> <script>alert(1)</script>"
                                      << "<b>x</b> <script>alert(1)</script>"
                                      << "x"
                                      << "";
    QTest::newRow("link") << "[site](https://natter.example/a)"
                          << "site"
                          << "site"
                          << "href=https://natter.example/a";
    QTest::newRow("autolink") << "see https://natter.example/b ok"
                              << "see https://natter.example/b ok"
                              << "natter"
                              << "href=https://natter.example/b";
    QTest::newRow("www autolink") << "at www.natter.example now"
                                  << "at www.natter.example now"
                                  << "natter"
                                  << "href=http://www.natter.example";
    QTest::newRow("mail autolink") << "mail bob@natter.example"
                                   << "mail bob@natter.example"
                                   << "bob@"
                                   << "href=mailto:bob@natter.example";
    QTest::newRow("line breaks are kept") << "a\nb"
                                          << "a\nb"
                                          << "b"
                                          << "";
    QTest::newRow("entities are not markup") << "&lt;b&gt;"
                                             << "<b>"
                                             << "b"
                                             << "";
    QTest::newRow("an @ entity shows as @") << "&#64;bob"
                                            << "@bob"
                                            << "bob"
                                            << "";
    QTest::newRow("code shows an entity as written") << "`&#64;x`"
                                                     << "&#64;x"
                                                     << "x"
                                                     << "code";
}

void tst_MessageFormatter::rendersMarkdown()
{
    QFETCH(QString, input);
    QFETCH(QString, shown);
    QFETCH(QString, part);
    QFETCH(QString, style);
    SafeTextDocument doc;
    MessageFormatter::render(&doc, input);
    QCOMPARE(doc.toPlainText(), shown);
    const QTextCharFormat f = formatOf(&doc, part);
    QCOMPARE(f.fontWeight() == QFont::Bold, style == u"bold");
    QCOMPARE(f.fontItalic(), style == u"italic");
    QCOMPARE(f.fontStrikeOut(), style == u"strike");
    QVERIFY(!f.fontUnderline() || f.isAnchor());
    QCOMPARE(f.fontFixedPitch(), style == u"code");
    if (style.startsWith(u"href=")) {
        QVERIFY(f.isAnchor());
        QCOMPARE(f.anchorHref(), style.mid(5));
    } else {
        QVERIFY(!f.isAnchor());
    }
}

void tst_MessageFormatter::rendersBlocks()
{
    SafeTextDocument doc;
    MessageFormatter::render(&doc,
                             QStringLiteral("> quoted\n\n- one\n- two\n\n```cpp\nint x;\n```"));
    const QTextBlock quote = doc.findBlock(doc.find(QStringLiteral("quoted")).position());
    QVERIFY(quote.blockFormat().hasProperty(QTextFormat::BlockQuoteLevel));
    const QTextBlock item = doc.findBlock(doc.find(QStringLiteral("two")).position());
    QVERIFY(item.textList());
    QCOMPARE(item.textList()->count(), 2);
    const QTextCursor code = doc.find(QStringLiteral("int x;"));
    QVERIFY(code.block().blockFormat().hasProperty(QTextFormat::BlockCodeFence));
    QVERIFY(code.charFormat().fontFixedPitch());
}

void tst_MessageFormatter::noFileIsReadWhileRendering_data()
{
    QTest::addColumn<QString>("markdown"); // %1 is the image's absolute path
    QTest::addColumn<bool>("html"); // the control reads it as HTML
    QTest::newRow("markdown image, file URL") << "look ![x](file://%1)" << false;
    QTest::newRow("markdown image, path") << "look ![x](%1)" << false;
    QTest::newRow("markdown image, relative") << "look ![x](secret.png)" << false;
    QTest::newRow("markdown image, reference style") << "![x][s]\n\n[s]: %1" << false;
    QTest::newRow("html img, file URL") << "look <img src=\"file://%1\">" << true;
    QTest::newRow("html img, path") << "<img src=\"%1\"> look" << true;
}

void tst_MessageFormatter::noFileIsReadWhileRendering()
{
    QFETCH(QString, markdown);
    QFETCH(bool, html);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("secret.png"));
    QImage secret(8, 8, QImage::Format_RGB32);
    secret.fill(Qt::red);
    QVERIFY(secret.save(path));
    const QString previous = QDir::currentPath();
    QDir::setCurrent(dir.path()); // where a relative path would be looked up
    const QString text = QString(markdown).replace(QLatin1String("%1"), path);

    // The watch works: a plain QTextDocument given the same text (as Markdown, or
    // as the HTML it contains) reads the file while it is laid out.
    {
        ReadWatch watch(path);
        QVERIFY(watch.isValid());
        QTextDocument naive;
        if (html)
            naive.setHtml(text);
        else
            naive.setMarkdown(text);
        layOutAndPaint(&naive);
        QVERIFY2(watch.wasRead(), "the control document did not read the image");
    }
    {
        ReadWatch watch(path);
        SafeTextDocument doc;
        MessageFormatter::render(&doc, text);
        layOutAndPaint(&doc);
        QVERIFY2(!watch.wasRead(), "rendering a message read a file");
        QVERIFY(!doc.toPlainText().contains(QChar::ObjectReplacementCharacter));
    }
    QDir::setCurrent(previous);
}

void tst_MessageFormatter::onlyWebAndMailLinksStayLinks_data()
{
    QTest::addColumn<QString>("href");
    QTest::addColumn<bool>("openable");
    QTest::newRow("https") << "https://natter.example/x" << true;
    QTest::newRow("http") << "http://natter.example/x" << true;
    QTest::newRow("mailto") << "mailto:bob@natter.example" << true;
    QTest::newRow("javascript") << "javascript:alert(1)" << false;
    QTest::newRow("JavaScript upper case") << "JAVASCRIPT:alert(1)" << false;
    QTest::newRow("file") << "file:///etc/passwd" << false;
    QTest::newRow("data") << "data:text/html,<b>x</b>" << false;
    QTest::newRow("relative") << "secret.txt" << false;
    QTest::newRow("https without host") << "https:/etc/passwd" << false;
}

void tst_MessageFormatter::onlyWebAndMailLinksStayLinks()
{
    QFETCH(QString, href);
    QFETCH(bool, openable);
    QCOMPARE(MessageFormatter::isOpenableLink(QUrl(href)), openable);
    SafeTextDocument doc;
    MessageFormatter::render(&doc, QStringLiteral("[click](%1)").arg(href));
    QCOMPARE(doc.toPlainText(), QStringLiteral("click"));
    const QTextCharFormat f = formatOf(&doc, QStringLiteral("click"));
    QCOMPARE(f.isAnchor(), openable);
    if (openable)
        QCOMPARE(f.anchorHref(), href);
}

void tst_MessageFormatter::agreesWithMentionScannerOnCode_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("mentions");
    QTest::addColumn<bool>("channel");
    QFile file(QFINDTESTDATA("../data/mention_cases.json"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject table = QJsonDocument::fromJson(file.readAll()).object();
    const QJsonArray cases = table.value(QLatin1String("cases")).toArray();
    QVERIFY(!cases.isEmpty());
    for (const QJsonValue &v : cases) {
        const QJsonObject c = v.toObject();
        QStringList mentions;
        for (const QJsonValue &m : c.value(QLatin1String("mentions")).toArray())
            mentions.append(m.toString());
        const QString text = c.value(QLatin1String("text")).toString();
        QTest::newRow(text.toUtf8().constData())
            << text << mentions << c.value(QLatin1String("channel")).toBool();
    }
}

void tst_MessageFormatter::agreesWithMentionScannerOnCode()
{
    QFETCH(QString, text);
    QFETCH(QStringList, mentions);
    QFETCH(bool, channel);
    SafeTextDocument doc;
    MessageFormatter::render(&doc, text);
    QStringList marked = MessageFormatter::markedMentions(&doc);
    const bool markedChannel = marked.removeAll(QStringLiteral("channel")) > 0;
    QCOMPARE(marked, mentions);
    QCOMPARE(markedChannel, channel);
}

QTEST_MAIN(tst_MessageFormatter)
#include "tst_MessageFormatter.moc"
