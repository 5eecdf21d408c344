// natterd's mention scanner (§7, §13 "Mention syntax") against the shared
// table tests/data/mention_cases.json, which the desktop's Markdown renderer
// is checked against too, so both sides agree on what code is.
#include "hub/MentionScanner.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace Natter::Server;

class tst_MentionScanner : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sharedCases_data();
    void sharedCases();
};

void tst_MentionScanner::sharedCases_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("names");
    QTest::addColumn<bool>("channel");
    QFile file(QFINDTESTDATA("../data/mention_cases.json"));
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName()));
    const QJsonArray cases = QJsonDocument::fromJson(file.readAll())[u"cases"].toArray();
    QVERIFY(cases.size() > 30);
    for (const QJsonValue &c : cases) {
        QStringList names;
        for (const QJsonValue &n : c[u"mentions"].toArray())
            names << n.toString();
        const QString text = c[u"text"].toString();
        QTest::newRow(qPrintable(text.isEmpty() ? u"(empty)"_qs : text))
            << text << names << c[u"channel"].toBool(false);
    }
}

void tst_MentionScanner::sharedCases()
{
    QFETCH(QString, text);
    QFETCH(QStringList, names);
    QFETCH(bool, channel);
    const MentionScanner::Result result = MentionScanner::scan(text);
    QCOMPARE(result.names, names);
    QCOMPARE(result.channel, channel);
}

QTEST_GUILESS_MAIN(tst_MentionScanner)
#include "tst_mentionscanner.moc"
