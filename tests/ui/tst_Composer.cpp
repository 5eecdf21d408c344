// The composer's keys, in a real window with the chat window's Esc shortcut:
// Up in an empty composer asks to edit the last message; while editing, Esc
// cancels the edit instead of reaching the window, and Enter saves.
#include "chat/Composer.h"

#include <QAction>
#include <QMainWindow>
#include <QSignalSpy>
#include <QTest>

using namespace Natter;

class tst_Composer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void upAndEscWhileEditingAndNot();
};

void tst_Composer::upAndEscWhileEditingAndNot()
{
    QMainWindow win;
    auto *composer = new Composer;
    win.setCentralWidget(composer);
    QAction *jump = win.addAction(QStringLiteral("Jump to newest"));
    jump->setShortcut(QKeySequence(Qt::Key_Escape));
    win.show();
    QVERIFY(QTest::qWaitForWindowActive(&win));
    composer->setFocus();
    QSignalSpy up(composer, &Composer::editLastRequested);
    QSignalSpy cancel(composer, &Composer::editCancelRequested);
    QSignalSpy submitted(composer, &Composer::submitted);
    QSignalSpy jumped(jump, &QAction::triggered);

    QTest::keyClick(composer, Qt::Key_Up);
    QCOMPARE(up.size(), 1);
    // With text, Up moves the cursor as usual.
    QTest::keyClicks(composer, QStringLiteral("draft"));
    QTest::keyClick(composer, Qt::Key_Up);
    QCOMPARE(up.size(), 1);
    // Not editing: Esc is the window's.
    QTest::keyClick(composer, Qt::Key_Escape);
    QCOMPARE(jumped.size(), 1);
    QCOMPARE(cancel.size(), 0);

    composer->setEditing(true);
    QVERIFY(composer->placeholderText().contains(u"Esc"));
    QTest::keyClick(composer, Qt::Key_Escape);
    QCOMPARE(cancel.size(), 1);
    QCOMPARE(jumped.size(), 1);
    QTest::keyClick(composer, Qt::Key_Return);
    QCOMPARE(submitted.size(), 1);
    composer->clear();
    QTest::keyClick(composer, Qt::Key_Up); // editing already: Up is no new edit
    QCOMPARE(up.size(), 1);

    composer->setEditing(false);
    QTest::keyClick(composer, Qt::Key_Escape);
    QCOMPARE(jumped.size(), 2);
    QCOMPARE(cancel.size(), 1);
}

QTEST_MAIN(tst_Composer)
#include "tst_Composer.moc"
