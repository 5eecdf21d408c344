// SqliteLibrary: natterd's process-wide SQLite settings take effect when made
// before the first database opens, as main() makes them, and a late call is
// refused without harm.
#include "store/sqlite/SqliteLibrary.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

#include <sqlite3.h>

using Natter::Server::SqliteLibrary;

class tst_SqliteLibrary : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void memoryStatisticsAreOffBeforeTheFirstDatabase();
};

void tst_SqliteLibrary::memoryStatisticsAreOffBeforeTheFirstDatabase()
{
    QString error;
    QVERIFY2(SqliteLibrary::configureForServer(&error), qPrintable(error));

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), u"t"_qs);
        db.setDatabaseName(dir.filePath(u"t.sqlite"_qs));
        QVERIFY(db.open());
        QSqlQuery query(db);
        QVERIFY(query.exec(u"CREATE TABLE t (x TEXT)"_qs));
        for (int i = 0; i < 100; ++i)
            QVERIFY(query.exec(u"INSERT INTO t VALUES (hex(randomblob(200)))"_qs));
        QVERIFY(query.exec(u"SELECT count(*) FROM t"_qs) && query.next());
        QCOMPARE(query.value(0).toInt(), 100);
        // The process's SQLite (the one Qt's plugin loaded, this test's too)
        // has kept no count of its memory: the statistics, and their mutex, are off.
        QCOMPARE(sqlite3_memory_used(), sqlite3_int64(0));

        // Once SQLite is initialised its settings are fixed: a late call says so.
        error.clear();
        QVERIFY(!SqliteLibrary::configureForServer(&error));
        QVERIFY(!error.isEmpty());
        QVERIFY(query.exec(u"SELECT count(*) FROM t"_qs) && query.next());
        QCOMPARE(query.value(0).toInt(), 100);
    }
    QSqlDatabase::removeDatabase(u"t"_qs);
}

QTEST_GUILESS_MAIN(tst_SqliteLibrary)
#include "tst_sqlitelibrary.moc"
