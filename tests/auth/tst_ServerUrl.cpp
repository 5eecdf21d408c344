// ServerUrl: what people type as a server address, normalised or refused.
#include "auth/ServerUrl.h"

#include <QTest>

using namespace Natter;

class tst_ServerUrl : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void accepted_data();
    void accepted();
    void refused_data();
    void refused();
};

void tst_ServerUrl::accepted_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("base");
    QTest::addColumn<QString>("ws");
    QTest::addColumn<QByteArray>("origin");

    QTest::newRow("http") << QStringLiteral("http://127.0.0.1:8080")
                          << QStringLiteral("http://127.0.0.1:8080")
                          << QStringLiteral("ws://127.0.0.1:8080/ws")
                          << QByteArray("http://127.0.0.1:8080");
    QTest::newRow("https default port")
        << QStringLiteral("https://Chat.Example.org:443/")
        << QStringLiteral("https://chat.example.org") << QStringLiteral("wss://chat.example.org/ws")
        << QByteArray("https://chat.example.org");
    QTest::newRow("ws url pasted")
        << QStringLiteral("ws://localhost:8080/ws") << QStringLiteral("http://localhost:8080")
        << QStringLiteral("ws://localhost:8080/ws") << QByteArray("http://localhost:8080");
    QTest::newRow("wss") << QStringLiteral("wss://chat.example.org/ws")
                         << QStringLiteral("https://chat.example.org")
                         << QStringLiteral("wss://chat.example.org/ws")
                         << QByteArray("https://chat.example.org");
    QTest::newRow("bare host:port")
        << QStringLiteral("  localhost:9000  ") << QStringLiteral("http://localhost:9000")
        << QStringLiteral("ws://localhost:9000/ws") << QByteArray("http://localhost:9000");
    QTest::newRow("path prefix") << QStringLiteral("https://example.org/natter/")
                                 << QStringLiteral("https://example.org/natter")
                                 << QStringLiteral("wss://example.org/natter/ws")
                                 << QByteArray("https://example.org");
    QTest::newRow("query dropped")
        << QStringLiteral("http://h:1/?token=abc#x") << QStringLiteral("http://h:1")
        << QStringLiteral("ws://h:1/ws") << QByteArray("http://h:1");
}

void tst_ServerUrl::accepted()
{
    QFETCH(QString, input);
    QFETCH(QString, base);
    QFETCH(QString, ws);
    QFETCH(QByteArray, origin);

    const ServerUrl url = ServerUrl::parse(input);
    QVERIFY2(url.isValid(), qPrintable(url.errorString()));
    QCOMPARE(url.toString(), base);
    QCOMPARE(url.webSocketUrl().toString(), ws);
    QCOMPARE(url.origin(), origin);
    QCOMPARE(url.apiUrl(QStringLiteral("auth/login")).toString(),
             base + QStringLiteral("/api/v1/auth/login"));
    // Normalising twice changes nothing (what settings remember parses the same).
    QCOMPARE(ServerUrl::parse(url.toString()).toString(), base);
}

void tst_ServerUrl::refused_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("messageContains");

    QTest::newRow("empty") << QString() << QStringLiteral("Enter the server address");
    QTest::newRow("ftp") << QStringLiteral("ftp://example.org")
                         << QStringLiteral("must start with");
    QTest::newRow("no host") << QStringLiteral("http://") << QStringLiteral("not a server address");
    QTest::newRow("credentials") << QStringLiteral("https://alice:pw@example.org")
                                 << QStringLiteral("Remove the user name and password");
    QTest::newRow("spaces") << QStringLiteral("http://exa mple.org")
                            << QStringLiteral("not a server address");
}

void tst_ServerUrl::refused()
{
    QFETCH(QString, input);
    QFETCH(QString, messageContains);
    const ServerUrl url = ServerUrl::parse(input);
    QVERIFY(!url.isValid());
    QVERIFY2(url.errorString().contains(messageContains), qPrintable(url.errorString()));
    QVERIFY(url.origin().isEmpty());
}

QTEST_GUILESS_MAIN(tst_ServerUrl)
#include "tst_ServerUrl.moc"
