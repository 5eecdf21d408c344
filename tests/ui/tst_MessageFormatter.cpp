#include "chat/MessageFormatter.h"

#include <QTest>

using Natter::MessageFormatter;

class tst_MessageFormatter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void formats_data();
    void formats();
};

void tst_MessageFormatter::formats_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("html");
    QTest::newRow("plain") << QStringLiteral("hello") << QStringLiteral("hello");
    // The tag is shown as text; the address in it is only a link, never loaded.
    QTest::newRow("markup is escaped")
        << QStringLiteral("<img src=http://x/y.png>")
        << QStringLiteral("&lt;img src=<a href=\"http://x/y.png\">http://x/y.png</a>&gt;");
    QTest::newRow("script is escaped") << QStringLiteral("<script>alert(1)</script>")
                                       << QStringLiteral("&lt;script&gt;alert(1)&lt;/script&gt;");
    QTest::newRow("bold") << QStringLiteral("a **b** c") << QStringLiteral("a <b>b</b> c");
    QTest::newRow("italic") << QStringLiteral("a *b* c") << QStringLiteral("a <i>b</i> c");
    QTest::newRow("code keeps stars")
        << QStringLiteral("`**x**`") << QStringLiteral("<code>**x**</code>");
    QTest::newRow("code is escaped")
        << QStringLiteral("`<b>`") << QStringLiteral("<code>&lt;b&gt;</code>");
    QTest::newRow("link") << QStringLiteral("see https://natter.example/a?b=1&c=2.")
                          << QStringLiteral("see <a href=\"https://natter.example/a?b=1&amp;c=2\">"
                                            "https://natter.example/a?b=1&amp;c=2</a>.");
    QTest::newRow("javascript is not a link")
        << QStringLiteral("javascript:alert(1)") << QStringLiteral("javascript:alert(1)");
    QTest::newRow("quote cannot break out of href")
        << QStringLiteral("http://a.example/\"onmouseover=x")
        << QStringLiteral("<a href=\"http://a.example/\">http://a.example/</a>&quot;onmouseover=x");
    QTest::newRow("unbalanced backtick") << QStringLiteral("a ` b") << QStringLiteral("a ` b");
    QTest::newRow("newlines") << QStringLiteral("a\nb") << QStringLiteral("a<br>b");
}

void tst_MessageFormatter::formats()
{
    QFETCH(QString, input);
    QFETCH(QString, html);
    QCOMPARE(MessageFormatter::toHtml(input), html);
}

QTEST_GUILESS_MAIN(tst_MessageFormatter)
#include "tst_MessageFormatter.moc"
