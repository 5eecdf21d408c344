// How one message shows in the message view, without a server: the real
// MessageListModel behind MessageViewModel and MessageDelegate in a QListView.
// An edit re-lays the row out (the render cache keys on rev, §6), and edited and
// deleted messages say so to the eye, in a tooltip and to screen readers.
#include "chat/MessageDelegate.h"
#include "chat/MessageViewModel.h"
#include "models/MessageListModel.h"

#include <QAbstractItemModelTester>
#include <QListView>
#include <QSignalSpy>
#include <QTest>
#include <QTextBrowser>

using namespace Natter;

namespace {
const QString kChannel = QStringLiteral("c1");

Message message(const QString &id, qint64 seq, const QString &text)
{
    Message m;
    m.id = id;
    m.channel = kChannel;
    m.seq = seq;
    m.author = QStringLiteral("u-bob");
    m.text = text;
    m.ts = QDateTime::currentDateTimeUtc().addSecs(-600 + seq);
    m.clientMsgId = QStringLiteral("c-") + id;
    m.rev = 1;
    m.ev = seq;
    return m;
}
} // namespace

class tst_MessageDelegate : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void editedMessageIsLaidOutAgain_data();
    void editedMessageIsLaidOutAgain();
    void editedMessageSaysSoInATooltipAndToScreenReaders();
    void deletedMessageShowsMessageDeletedInsteadOfItsText();
    void onlyWebAndMailLinksAreActivated();
    void messageThatMentionsMeIsHighlighted();
    void reactionChipsShowWhoAndToggleOnClick();
    void replyQuotesItsTargetAndSaysDeletedOnceItIs();
    void ownMessageSaysSendingThenWhyItWasNotSent();

private:
    QStyleOptionViewItem option() const;
    int heightOf(int row) const;

    std::unique_ptr<MessageListModel> m_model;
    std::unique_ptr<MessageViewModel> m_proxy;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
    std::unique_ptr<QListView> m_view;
    MessageDelegate *m_delegate = nullptr;
};

void tst_MessageDelegate::init()
{
    m_model = std::make_unique<MessageListModel>(kChannel, QStringLiteral("u-alice"), nullptr);
    m_proxy = std::make_unique<MessageViewModel>();
    m_tester = std::make_unique<QAbstractItemModelTester>(
        m_proxy.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_proxy->setSourceModel(m_model.get());
    m_view = std::make_unique<QListView>();
    m_delegate = new MessageDelegate(m_view.get());
    m_view->setItemDelegate(m_delegate);
    m_view->setModel(m_proxy.get());
    m_view->resize(420, 400);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
}

void tst_MessageDelegate::cleanup()
{
    m_view.reset();
    m_tester.reset();
    m_proxy.reset();
    m_model.reset();
}

QStyleOptionViewItem tst_MessageDelegate::option() const
{
    QStyleOptionViewItem opt;
    opt.initFrom(m_view->viewport());
    opt.rect = QRect(0, 0, m_view->viewport()->width(), 0);
    return opt;
}

int tst_MessageDelegate::heightOf(int row) const
{
    return m_delegate->sizeHint(option(), m_proxy->index(row, 0)).height();
}

void tst_MessageDelegate::editedMessageIsLaidOutAgain_data()
{
    QTest::addColumn<QString>("before");
    QTest::addColumn<QString>("after");
    QTest::addColumn<bool>("deleted");
    const QString longText = QStringLiteral(
        "this edit turns a short line into a paragraph long enough to wrap over several "
        "lines in a narrow window, so the row must grow to show all of it");
    QTest::newRow("plain, edited") << QStringLiteral("short") << longText << false;
    QTest::newRow("formatted, edited")
        << QStringLiteral("**short**") << QStringLiteral("**") + longText + QStringLiteral("**")
        << false;
    QTest::newRow("plain, deleted") << longText << QString() << true;
    QTest::newRow("formatted, deleted")
        << QStringLiteral("**") + longText + QStringLiteral("**") << QString() << true;
}

void tst_MessageDelegate::editedMessageIsLaidOutAgain()
{
    QFETCH(QString, before);
    QFETCH(QString, after);
    QFETCH(bool, deleted);
    m_model->addMessages({message(QStringLiteral("m1"), 1, before)});
    const int heightBefore = heightOf(0);
    m_view->viewport()->repaint(); // lays out, paints and caches the row as it is now
    QCoreApplication::processEvents();
    const int paintedBefore = heightOf(0);

    Message changed = message(QStringLiteral("m1"), 1, after);
    changed.rev = 2;
    changed.editedAt = deleted ? QDateTime() : QDateTime::currentDateTimeUtc();
    changed.deleted = deleted;
    QVERIFY(m_model->applyUpdate(changed));
    m_view->viewport()->repaint();
    QCoreApplication::processEvents();
    // The same message id and width, but a new rev: not the old layout.
    const int line = QFontMetrics(m_view->font()).height();
    const int heightAfter = heightOf(0);
    const QString sizes =
        QStringLiteral("%1/%2 -> %3").arg(heightBefore).arg(paintedBefore).arg(heightAfter);
    if (deleted)
        QVERIFY2(heightAfter + 2 * line <= paintedBefore, qPrintable(sizes));
    else
        QVERIFY2(heightAfter >= paintedBefore + 2 * line, qPrintable(sizes));
}

void tst_MessageDelegate::editedMessageSaysSoInATooltipAndToScreenReaders()
{
    m_model->addMessages({message(QStringLiteral("m1"), 1, QStringLiteral("as sent")),
                          message(QStringLiteral("m2"), 2, QStringLiteral("never edited"))});
    const QDateTime at = QDateTime::currentDateTimeUtc();
    Message edited = message(QStringLiteral("m1"), 1, QStringLiteral("as corrected"));
    edited.rev = 2;
    edited.editedAt = at;
    QVERIFY(m_model->applyUpdate(edited));

    const QModelIndex row = m_proxy->index(0, 0);
    QCOMPARE(row.data(Qt::ToolTipRole).toString(), MessageViewModel::editedTooltip(at));
    QVERIFY(row.data(Qt::ToolTipRole).toString().startsWith(u"Edited "));
    QVERIFY2(row.data(Qt::AccessibleTextRole).toString().endsWith(u": as corrected (edited)"),
             qPrintable(row.data(Qt::AccessibleTextRole).toString()));
    QCOMPARE(row.data(Qt::AccessibleDescriptionRole).toString(),
             MessageViewModel::editedTooltip(at));
    QCOMPARE(MessageDelegate::editedMarker(), QStringLiteral("(edited)"));

    const QModelIndex plain = m_proxy->index(1, 0);
    QVERIFY(plain.data(Qt::ToolTipRole).isNull());
    QVERIFY(plain.data(Qt::AccessibleTextRole).toString().endsWith(u": never edited"));
}

void tst_MessageDelegate::deletedMessageShowsMessageDeletedInsteadOfItsText()
{
    m_model->addMessages({message(QStringLiteral("m1"), 1, QStringLiteral("secret plans")),
                          message(QStringLiteral("m2"), 2, QStringLiteral("after"))});
    Message tombstone = message(QStringLiteral("m1"), 1, QString());
    tombstone.rev = 3;
    tombstone.deleted = true;
    tombstone.editedAt = QDateTime::currentDateTimeUtc(); // §13: a tombstone keeps edited_at
    QVERIFY(m_model->applyUpdate(tombstone));
    QCOMPARE(m_proxy->rowCount(), 2); // keeps its place: seq stays gapless

    const QModelIndex row = m_proxy->index(0, 0);
    QVERIFY2(row.data(Qt::AccessibleTextRole).toString().endsWith(u": message deleted"),
             qPrintable(row.data(Qt::AccessibleTextRole).toString()));
    QCOMPARE(row.data(Qt::AccessibleDescriptionRole).toString(),
             MessageViewModel::tr("This message was deleted."));
    QVERIFY(row.data(Qt::ToolTipRole).isNull()); // not "edited": it is gone

    // Opened for selecting text (double-click), it shows the placeholder.
    m_view->openPersistentEditor(row);
    auto *text = qobject_cast<QTextBrowser *>(m_view->indexWidget(row));
    QVERIFY(text);
    QCOMPARE(text->toPlainText(), QStringLiteral("Message deleted"));
    QCOMPARE(MessageDelegate::deletedText(), QStringLiteral("Message deleted"));
}

void tst_MessageDelegate::onlyWebAndMailLinksAreActivated()
{
    // Click along the whole text line: only the https link is ever activated, the
    // javascript: and file: ones do nothing, neither in the row nor in the
    // selectable text view (issue 13 "Markdown, safely").
    const QString text = QStringLiteral("[js](javascript:alert(1)) [web](https://natter.example/) "
                                        "[file](file:///etc/passwd) [rel](secret.txt)");
    m_model->addMessages({message(QStringLiteral("m1"), 1, text)});
    QSignalSpy activated(m_delegate, &MessageDelegate::linkActivated);
    m_view->doItemsLayout();
    m_view->viewport()->repaint(); // paint settles the row's exact height
    QCoreApplication::processEvents();
    const QRect rect = m_view->visualRect(m_proxy->index(0, 0));
    const int y = rect.bottom() - 2 - QFontMetrics(m_view->font()).height() / 2;
    for (int x = rect.left(); x < rect.right(); x += 3)
        QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, QPoint(x, y));
    QVERIFY2(!activated.isEmpty(),
             qPrintable(QStringLiteral("row %1,%2 %3x%4, y %5")
                            .arg(rect.x())
                            .arg(rect.y())
                            .arg(rect.width())
                            .arg(rect.height())
                            .arg(y))); // the https link was hit
    for (const QList<QVariant> &args : std::as_const(activated))
        QCOMPARE(args.at(0).toString(), QStringLiteral("https://natter.example/"));

    m_view->openPersistentEditor(m_proxy->index(0, 0));
    auto *view = qobject_cast<QTextBrowser *>(m_view->indexWidget(m_proxy->index(0, 0)));
    QVERIFY(view);
    QCOMPARE(view->toPlainText(), QStringLiteral("js web file rel"));
    activated.clear();
    for (const QString &word : {QStringLiteral("js"), QStringLiteral("web"), QStringLiteral("file"),
                                QStringLiteral("rel")}) {
        QTextCursor c = view->document()->find(word);
        const QRect r = view->cursorRect(c);
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, r.center() - QPoint(2, 0));
    }
    QCOMPARE(activated.size(), 1);
    QCOMPARE(activated.at(0).at(0).toString(), QStringLiteral("https://natter.example/"));
}

void tst_MessageDelegate::messageThatMentionsMeIsHighlighted()
{
    Message mine = message(QStringLiteral("m1"), 1, QStringLiteral("@alice look"));
    mine.mentions = {QStringLiteral("u-alice")};
    Message other = message(QStringLiteral("m2"), 2, QStringLiteral("@carol look"));
    other.mentions = {QStringLiteral("u-carol")};
    m_model->addMessages({mine, other});
    QVERIFY(m_proxy->index(0, 0).data(MessageListModel::MentionsMeRole).toBool());
    m_view->doItemsLayout();
    const QImage shot = m_view->viewport()->grab().toImage();
    const QRect first = m_view->visualRect(m_proxy->index(0, 0));
    const QRect second = m_view->visualRect(m_proxy->index(1, 0));
    // The accent bar at the left edge of the row that mentions me, not the other.
    QCOMPARE(shot.pixelColor(1, first.bottom() - 2), MessageDelegate::mentionColor());
    QVERIFY(shot.pixelColor(1, second.bottom() - 2) != MessageDelegate::mentionColor());
}

void tst_MessageDelegate::reactionChipsShowWhoAndToggleOnClick()
{
    Message plain = message(QStringLiteral("m1"), 1, QStringLiteral("nice"));
    m_model->addMessages({plain});
    const int without = heightOf(0);
    Message reacted = plain;
    reacted.rev = 2;
    reacted.reactions = {
        {QStringLiteral("👍"), 2, {QStringLiteral("u-alice"), QStringLiteral("u-bob")}},
        {QStringLiteral("🎉"), 1, {QStringLiteral("u-carol")}}};
    QVERIFY(m_model->applyUpdate(reacted));
    QVERIFY(heightOf(0) > without); // room for the chips under the text
    m_view->doItemsLayout();
    m_view->viewport()->repaint();
    QCoreApplication::processEvents();

    const QModelIndex row = m_proxy->index(0, 0);
    QStyleOptionViewItem opt = option();
    opt.rect = m_view->visualRect(row);
    const QList<MessageDelegate::Chip> chips = m_delegate->reactionChips(opt, row);
    QCOMPARE(chips.size(), 2);
    QCOMPARE(chips.at(0).emoji, QStringLiteral("👍"));
    QCOMPARE(chips.at(0).count, 2);
    QVERIFY(chips.at(0).mine); // u-alice is signed in
    QVERIFY(!chips.at(1).mine);
    QVERIFY(opt.rect.contains(chips.at(1).rect));
    QCOMPARE(MessageDelegate::chipTooltip(chips.at(1)), QStringLiteral("u-carol reacted with 🎉"));
    QVERIFY2(row.data(Qt::AccessibleDescriptionRole)
                 .toString()
                 .contains(u"Reactions: 👍: 2, including you; 🎉: 1."),
             qPrintable(row.data(Qt::AccessibleDescriptionRole).toString()));

    QSignalSpy toggled(m_delegate, &MessageDelegate::reactionToggled);
    QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, chips.at(1).rect.center());
    QCOMPARE(toggled.size(), 1);
    QCOMPARE(toggled.at(0).at(0).toString(), QStringLiteral("m1"));
    QCOMPARE(toggled.at(0).at(1).toString(), QStringLiteral("🎉"));
}

void tst_MessageDelegate::replyQuotesItsTargetAndSaysDeletedOnceItIs()
{
    Message answer = message(QStringLiteral("m2"), 2, QStringLiteral("the answer"));
    answer.replyTo = ReplyRef{QStringLiteral("m1"), 1, QStringLiteral("u-bob"),
                              QStringLiteral("the question"), false};
    m_model->addMessages(
        {message(QStringLiteral("m1"), 1, QStringLiteral("the question")), answer});
    const QModelIndex row = m_proxy->index(1, 0);
    QCOMPARE(MessageDelegate::quoteText(row), QStringLiteral("u-bob: the question"));
    QVERIFY(row.data(Qt::AccessibleDescriptionRole)
                .toString()
                .contains(u"In reply to u-bob: the question."));
    QStyleOptionViewItem opt = option();
    opt.rect = QRect(0, 0, m_view->viewport()->width(), heightOf(1));
    QVERIFY(!m_delegate->replyQuoteRect(opt, row).isEmpty());
    QVERIFY(m_delegate->replyQuoteRect(opt, m_proxy->index(0, 0)).isEmpty()); // no reply

    Message tombstone = message(QStringLiteral("m1"), 1, QString());
    tombstone.rev = 2;
    tombstone.deleted = true;
    QVERIFY(m_model->applyUpdate(tombstone));
    QCOMPARE(MessageDelegate::quoteText(m_proxy->index(1, 0)), QStringLiteral("u-bob: deleted"));
}

QTEST_MAIN(tst_MessageDelegate)
void tst_MessageDelegate::ownMessageSaysSendingThenWhyItWasNotSent()
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    m_model->upsertPending(QStringLiteral("c-1"), QStringLiteral("on its way"), now,
                           MessageListModel::DeliveryState::Pending);
    const QModelIndex row = m_proxy->index(0, 0);
    QCOMPARE(row.data(Qt::AccessibleDescriptionRole).toString(), MessageViewModel::tr("Sending."));
    QCOMPARE(row.data(Qt::ToolTipRole).toString(), MessageViewModel::tr("Sending."));

    const QString why = QStringLiteral("The message is too long.");
    m_model->upsertPending(QStringLiteral("c-1"), QStringLiteral("on its way"), now,
                           MessageListModel::DeliveryState::Failed, why);
    const QString notSent = MessageViewModel::tr("Not sent: %1").arg(why);
    QCOMPARE(m_proxy->index(0, 0).data(Qt::AccessibleDescriptionRole).toString(), notSent);
    QCOMPARE(m_proxy->index(0, 0).data(Qt::ToolTipRole).toString(), notSent);
}

#include "tst_MessageDelegate.moc"
