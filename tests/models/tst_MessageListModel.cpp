#include "models/MessageListModel.h"
#include "models/PresenceModel.h"
#include "protocol/Codec.h"

#include <QJsonDocument>

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Natter;

namespace {
const QDateTime kBase = QDateTime(QDate(2026, 11, 21), QTime(12, 0), Qt::UTC);

Message msg(qint64 seq, const QString &author = QStringLiteral("u1"), qint64 secs = -1,
            const QString &cmid = {})
{
    Message m;
    m.id = QStringLiteral("m%1").arg(seq);
    m.channel = QStringLiteral("c1");
    m.seq = seq;
    m.author = author;
    m.text = QStringLiteral("text %1").arg(seq);
    m.ts = kBase.addSecs(secs < 0 ? seq * 10 : secs);
    m.clientMsgId = cmid;
    return m;
}

QList<qint64> seqs(const MessageListModel &model)
{
    QList<qint64> out;
    for (int i = 0; i < model.rowCount(); ++i)
        out.append(model.index(i).data(MessageListModel::SeqRole).toLongLong());
    return out;
}
} // namespace

class tst_MessageListModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void insertsInSeqOrderIgnoringDuplicates_data();
    void insertsInSeqOrderIgnoringDuplicates();
    void pendingRowsFollowAndAreReplacedByConfirmation();
    void failedRowKeepsError();
    void groupingAndDaySeparators();
    void gapIsDerivedFromSeqJumps();
    void fetchMoreAsksForOlderPages();
    void authorNamesFollowPresenceModel();
    void systemMessagesReadInTheUsersWords_data();
    void systemMessagesReadInTheUsersWords();
    void updatesConvergeWhateverTheOrder_data();
    void updatesConvergeWhateverTheOrder();
    void applyUpdateReturnsWhetherItChangedAnything();
    void updateOfAMessageNotHeldOnlyInsideTheRange();
    void reloadReplacesRowsWithoutEmptying();
    void attachmentsFollowEditsAndDeletes();
};

void tst_MessageListModel::insertsInSeqOrderIgnoringDuplicates_data()
{
    QTest::addColumn<QList<QList<qint64>>>("batches");
    QTest::addColumn<QList<qint64>>("expected");
    QTest::newRow("live in order") << QList<QList<qint64>>{{1}, {2}, {3}} << QList<qint64>{1, 2, 3};
    QTest::newRow("older page prepended")
        << QList<QList<qint64>>{{5, 6}, {3, 4}} << QList<qint64>{3, 4, 5, 6};
    QTest::newRow("replay overlaps live")
        << QList<QList<qint64>>{{1, 2, 3}, {2, 3, 4}, {4}} << QList<qint64>{1, 2, 3, 4};
    QTest::newRow("interleaved gap fill")
        << QList<QList<qint64>>{{1, 5}, {3, 2, 4}} << QList<qint64>{1, 2, 3, 4, 5};
    QTest::newRow("unsorted batch") << QList<QList<qint64>>{{9, 7, 8}} << QList<qint64>{7, 8, 9};
}

void tst_MessageListModel::insertsInSeqOrderIgnoringDuplicates()
{
    QFETCH(QList<QList<qint64>>, batches);
    QFETCH(QList<qint64>, expected);
    MessageListModel model(QStringLiteral("c1"), QStringLiteral("me"), nullptr);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    for (const auto &batch : batches) {
        QList<Message> messages;
        for (qint64 s : batch)
            messages.append(msg(s));
        model.addMessages(messages);
    }
    QCOMPARE(seqs(model), expected);
    QCOMPARE(model.confirmedCount(), expected.size());
}

void tst_MessageListModel::pendingRowsFollowAndAreReplacedByConfirmation()
{
    MessageListModel model(QStringLiteral("c1"), QStringLiteral("me"), nullptr);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.addMessages({msg(1), msg(2)});
    model.upsertPending(QStringLiteral("cm-a"), QStringLiteral("hello"), kBase.addSecs(100),
                        MessageListModel::DeliveryState::Pending);
    QCOMPARE(model.rowCount(), 3);
    const QModelIndex pending = model.index(2);
    QCOMPARE(pending.data(MessageListModel::DeliveryStateRole).toInt(),
             int(MessageListModel::DeliveryState::Pending));
    QVERIFY(pending.data(MessageListModel::IsOwnRole).toBool());

    // Someone else's message lands before ours is confirmed: it goes above the pending row.
    model.addMessage(msg(3));
    QCOMPARE(model.index(3).data(MessageListModel::ClientMsgIdRole).toString(),
             QStringLiteral("cm-a"));

    // Our confirmation replaces the pending row instead of adding a second copy.
    model.addMessage(msg(4, QStringLiteral("me"), 110, QStringLiteral("cm-a")));
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(seqs(model), (QList<qint64>{1, 2, 3, 4}));
    QCOMPARE(model.index(3).data(MessageListModel::DeliveryStateRole).toInt(),
             int(MessageListModel::DeliveryState::Sent));
}

void tst_MessageListModel::failedRowKeepsError()
{
    MessageListModel model(QStringLiteral("c1"), QStringLiteral("me"), nullptr);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.upsertPending(QStringLiteral("cm"), QStringLiteral("x"), kBase,
                        MessageListModel::DeliveryState::Pending);
    model.upsertPending(QStringLiteral("cm"), QStringLiteral("x"), kBase,
                        MessageListModel::DeliveryState::Failed, QStringLiteral("too long"));
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.index(0).data(MessageListModel::ErrorRole).toString(),
             QStringLiteral("too long"));
    model.removePending(QStringLiteral("cm"));
    QCOMPARE(model.rowCount(), 0);
}

void tst_MessageListModel::groupingAndDaySeparators()
{
    MessageListModel model(QStringLiteral("c1"), QStringLiteral("me"), nullptr);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.addMessages({msg(1, QStringLiteral("a"), 0), msg(2, QStringLiteral("a"), 60),
                       msg(3, QStringLiteral("a"), 60 + 6 * 60), msg(4, QStringLiteral("b"), 500),
                       msg(5, QStringLiteral("b"), 2 * 86400)});
    auto first = [&](int row) {
        return model.index(row).data(MessageListModel::FirstOfGroupRole).toBool();
    };
    auto day = [&](int row) {
        return model.index(row).data(MessageListModel::DaySeparatorRole).toBool();
    };
    QVERIFY(first(0));
    QVERIFY(!first(1)); // same author within 5 minutes
    QVERIFY(first(2)); // more than 5 minutes later
    QVERIFY(first(3)); // another author
    QVERIFY(first(4)); // another day
    QVERIFY(day(0));
    QVERIFY(!day(3));
    QVERIFY(day(4));
}

void tst_MessageListModel::gapIsDerivedFromSeqJumps()
{
    MessageListModel model(QStringLiteral("c1"), QStringLiteral("me"), nullptr);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.addMessages({msg(1), msg(2), msg(600)});
    QVERIFY(!model.index(1).data(MessageListModel::GapBeforeRole).toBool());
    QVERIFY(model.index(2).data(MessageListModel::GapBeforeRole).toBool());
    QList<Message> fill;
    for (qint64 s = 3; s < 600; ++s)
        fill.append(msg(s));
    model.addMessages(fill);
    for (int row = 0; row < model.rowCount(); ++row)
        QVERIFY(!model.index(row).data(MessageListModel::GapBeforeRole).toBool());
}

void tst_MessageListModel::fetchMoreAsksForOlderPages()
{
    MessageListModel model(QStringLiteral("c1"), QStringLiteral("me"), nullptr);
    QSignalSpy requested(&model, &MessageListModel::historyRequested);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    // An empty channel asks for the newest page (the tester fetches like a view).
    model.fetchMore({});
    QCOMPARE(requested.size(), 1);
    QCOMPARE(requested.at(0).at(1).toLongLong(), 0);
    QVERIFY(!model.canFetchMore({})); // one request at a time
    model.historyLoaded({msg(51), msg(52)}, true);

    // The next page is the one before the oldest row (the tester may already
    // have asked for it while checking the inserted rows, as a view would).
    if (model.canFetchMore({}))
        model.fetchMore({});
    QCOMPARE(requested.size(), 2);
    QCOMPARE(requested.at(1).at(1).toLongLong(), 51);
    QVERIFY(model.isFetchingHistory());
    QList<Message> page;
    for (qint64 s = 1; s <= 50; ++s)
        page.append(msg(s));
    model.historyLoaded(page, false);
    QCOMPARE(model.rowCount(), 52);
    QVERIFY(!model.canFetchMore({})); // reached seq 1
}

void tst_MessageListModel::authorNamesFollowPresenceModel()
{
    PresenceModel users;
    MessageListModel model(QStringLiteral("c1"), QStringLiteral("me"), &users);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.addMessage(msg(1, QStringLiteral("u-alice")));
    QCOMPARE(model.index(0).data(MessageListModel::AuthorNameRole).toString(),
             QStringLiteral("u-alice"));
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    users.upsertUser({QStringLiteral("u-alice"),
                      QStringLiteral("alice"),
                      QStringLiteral("Alice"),
                      PresenceStatus::Online,
                      {}});
    QVERIFY(!changed.isEmpty());
    QCOMPARE(model.index(0).data(MessageListModel::AuthorNameRole).toString(),
             QStringLiteral("Alice"));
}

void tst_MessageListModel::systemMessagesReadInTheUsersWords_data()
{
    QTest::addColumn<QByteArray>("system");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("author");
    QTest::newRow("created") << QByteArray(R"({"event":"created","name":"ops","users":["u-bob"]})")
                             << QStringLiteral("Alice created #ops") << QStringLiteral("u-alice");
    QTest::newRow("joined") << QByteArray(R"({"event":"joined","users":["u-bob"]})")
                            << QStringLiteral("Bob joined") << QStringLiteral("u-alice");
    QTest::newRow("left") << QByteArray(R"({"event":"left","users":["u-bob"]})")
                          << QStringLiteral("Bob left") << QStringLiteral("u-alice");
    QTest::newRow("invited") << QByteArray(R"({"event":"invited","users":["u-bob"]})")
                             << QStringLiteral("Alice added Bob") << QStringLiteral("u-alice");
    QTest::newRow("renamed") << QByteArray(R"({"event":"renamed","name":"lunch"})")
                             << QStringLiteral("Alice renamed the channel to #lunch")
                             << QStringLiteral("u-alice");
    QTest::newRow("topic") << QByteArray(R"({"event":"topic","topic":"Fridays"})")
                           << QStringLiteral("Alice set the topic: Fridays")
                           << QStringLiteral("u-alice");
    QTest::newRow("archived") << QByteArray(R"({"event":"archived"})")
                              << QStringLiteral("Alice archived the channel")
                              << QStringLiteral("u-alice");
    QTest::newRow("unknown") << QByteArray(R"({"event":"teleported"})")
                             << QStringLiteral("Alice changed the channel")
                             << QStringLiteral("u-alice");
    // The admin CLI (`natterd channel add/archive`) is no user: no author.
    QTest::newRow("created by the admin")
        << QByteArray(R"({"event":"created","name":"ops"})")
        << QStringLiteral("An administrator created #ops") << QString();
    QTest::newRow("archived by the admin")
        << QByteArray(R"({"event":"archived"})")
        << QStringLiteral("An administrator archived the channel") << QString();
}

void tst_MessageListModel::systemMessagesReadInTheUsersWords()
{
    // §7: a system message has no text of its own; the client words it, with
    // people's display names, never as an empty row.
    QFETCH(QByteArray, system);
    QFETCH(QString, text);
    QFETCH(QString, author);
    PresenceModel users;
    users.upsertUser({QStringLiteral("u-alice"),
                      QStringLiteral("alice"),
                      QStringLiteral("Alice"),
                      PresenceStatus::Online,
                      {}});
    users.upsertUser({QStringLiteral("u-bob"),
                      QStringLiteral("bob"),
                      QStringLiteral("Bob"),
                      PresenceStatus::Online,
                      {}});
    MessageListModel model(QStringLiteral("c1"), QStringLiteral("me"), &users);
    Message m = msg(1, author);
    m.text.clear();
    m.kind = MessageKind::System;
    m.rev = 1;
    m.system = QJsonDocument::fromJson(system).object();
    model.addMessage(m);
    QCOMPARE(model.index(0).data(MessageListModel::TextRole).toString(), text);
}

namespace {
Message version(qint64 seq, qint64 rev, const QString &text, bool deleted = false)
{
    Message m = msg(seq);
    m.rev = rev;
    m.ev = 100 + rev;
    m.text = deleted ? QString() : text;
    m.deleted = deleted;
    if (rev > 1 && !deleted)
        m.editedAt = kBase.addSecs(3600 + rev);
    return m;
}

QStringList texts(const MessageListModel &model)
{
    QStringList out;
    for (int i = 0; i < model.rowCount(); ++i) {
        const QModelIndex idx = model.index(i);
        out.append(idx.data(MessageListModel::DeletedRole).toBool()
                       ? QStringLiteral("-")
                       : idx.data(MessageListModel::TextRole).toString());
    }
    return out;
}
} // namespace

void tst_MessageListModel::updatesConvergeWhateverTheOrder_data()
{
    QTest::addColumn<QList<int>>("order"); // indexes into rev 2, 3, 4 (4 = the tombstone)
    QTest::newRow("in order") << QList<int>{0, 1, 2};
    QTest::newRow("reversed") << QList<int>{2, 1, 0};
    QTest::newRow("twice each") << QList<int>{0, 0, 1, 1, 2, 2};
    QTest::newRow("shuffled with repeats") << QList<int>{1, 2, 0, 1, 2};
}

void tst_MessageListModel::updatesConvergeWhateverTheOrder()
{
    QFETCH(QList<int>, order);
    MessageListModel model(QStringLiteral("c1"), QStringLiteral("u1"), nullptr);
    QAbstractItemModelTester tester(&model);
    model.addMessages({version(1, 1, QStringLiteral("a")), version(2, 1, QStringLiteral("b")),
                       version(3, 1, QStringLiteral("c"))});
    const QList<Message> versions{version(2, 2, QStringLiteral("b2")),
                                  version(2, 3, QStringLiteral("b3")), version(2, 4, {}, true)};
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    for (int i : order)
        model.applyUpdate(versions.at(i));
    QCOMPARE(texts(model),
             (QStringList{QStringLiteral("a"), QStringLiteral("-"), QStringLiteral("c")}));
    QCOMPARE(model.index(1).data(MessageListModel::RevRole).toLongLong(), 4);
    QCOMPARE(model.index(1).data(MessageListModel::DeletedRole).toBool(), true);
    QCOMPARE(inserted.size(), 0);
    QCOMPARE(removed.size(), 0);
    // A later history page or cache copy with an older version changes nothing.
    model.addMessages({version(2, 2, QStringLiteral("b2"))});
    model.historyLoaded({version(1, 1, QStringLiteral("a")), version(2, 3, QStringLiteral("b3"))},
                        false);
    QCOMPARE(texts(model),
             (QStringList{QStringLiteral("a"), QStringLiteral("-"), QStringLiteral("c")}));
    QCOMPARE(model.rowCount(), 3);
}

void tst_MessageListModel::applyUpdateReturnsWhetherItChangedAnything()
{
    MessageListModel model(QStringLiteral("c1"), QStringLiteral("u1"), nullptr);
    model.addMessages({version(1, 1, QStringLiteral("a"))});
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QVERIFY(model.applyUpdate(version(1, 2, QStringLiteral("a2"))));
    QCOMPARE(changed.size() >= 1, true);
    QVERIFY(model.index(0).data(MessageListModel::EditedAtRole).toDateTime().isValid());
    changed.clear();
    QVERIFY(!model.applyUpdate(version(1, 2, QStringLiteral("a2"))));
    QVERIFY(!model.applyUpdate(version(1, 1, QStringLiteral("a"))));
    QCOMPARE(changed.size(), 0);
    // Another channel's message is none of this model's business.
    Message elsewhere = version(1, 9, QStringLiteral("x"));
    elsewhere.channel = QStringLiteral("c2");
    QVERIFY(!model.applyUpdate(elsewhere));
    QCOMPARE(texts(model), QStringList{QStringLiteral("a2")});
}

void tst_MessageListModel::updateOfAMessageNotHeldOnlyInsideTheRange()
{
    MessageListModel model(QStringLiteral("c1"), QStringLiteral("u1"), nullptr);
    QAbstractItemModelTester tester(&model);
    // Empty: nothing is held, nothing is shown.
    QVERIFY(!model.applyUpdate(version(5, 2, QStringLiteral("e"))));
    QCOMPARE(model.rowCount(), 0);
    model.addMessages({version(10, 1, QStringLiteral("j")), version(12, 1, QStringLiteral("l"))});
    QVERIFY(!model.applyUpdate(version(9, 2, QStringLiteral("before"))));
    QVERIFY(!model.applyUpdate(version(13, 2, QStringLiteral("after"))));
    QVERIFY(model.applyUpdate(version(11, 2, QStringLiteral("inside"))));
    QCOMPARE(texts(model),
             (QStringList{QStringLiteral("j"), QStringLiteral("inside"), QStringLiteral("l")}));
    QCOMPARE(seqs(model), (QList<qint64>{10, 11, 12}));
}

void tst_MessageListModel::reloadReplacesRowsWithoutEmptying()
{
    MessageListModel model(QStringLiteral("c1"), QStringLiteral("u1"), nullptr);
    QAbstractItemModelTester tester(&model);
    model.addMessages({version(1, 1, QStringLiteral("a")), version(2, 1, QStringLiteral("b")),
                       version(3, 1, QStringLiteral("c"))});
    model.upsertPending(QStringLiteral("p1"), QStringLiteral("pending"), kBase.addSecs(999),
                        MessageListModel::DeliveryState::Pending);
    QSignalSpy requested(&model, &MessageListModel::historyRequested);
    QSignalSpy reloading(&model, &MessageListModel::reloadingChanged);
    int emptySeen = 0;
    const auto check = [&] {
        emptySeen += model.rowCount() == 0;
    };
    connect(&model, &QAbstractItemModel::rowsRemoved, this, check);
    connect(&model, &QAbstractItemModel::modelReset, this, check);

    model.beginReload();
    QVERIFY(model.isReloading());
    QCOMPARE(reloading.size(), 1);
    QCOMPARE(requested.size(), 1);
    QCOMPARE(requested.first().at(1).toLongLong(), 0); // the newest page
    QCOMPARE(model.rowCount(), 4); // the old rows stay while loading
    model.beginReload(); // a second resync while loading asks nothing more
    QCOMPARE(requested.size(), 1);
    // Live news during the reload is shown at once.
    model.addMessage(version(5, 1, QStringLiteral("e")));

    // The fresh page: message 1 is gone from it (older than the page), 2 was
    // deleted, 3 edited, 4 is new to us.
    model.historyLoaded({version(2, 2, {}, true), version(3, 2, QStringLiteral("c2")),
                         version(4, 1, QStringLiteral("d"))},
                        true);
    QVERIFY(!model.isReloading());
    QCOMPARE(reloading.size(), 2);
    QCOMPARE(reloading.last().at(0).toBool(), false);
    QCOMPARE(emptySeen, 0);
    QCOMPARE(seqs(model), (QList<qint64>{2, 3, 4, 5, 0}));
    QCOMPARE(texts(model),
             (QStringList{QStringLiteral("-"), QStringLiteral("c2"), QStringLiteral("d"),
                          QStringLiteral("e"), QStringLiteral("pending")}));
    // Older pages can still be asked for (the tester, like a view, may already have).
    QVERIFY(model.canFetchMore({}) || requested.last().at(1).toLongLong() == 2);
}

void tst_MessageListModel::attachmentsFollowEditsAndDeletes()
{
    MessageListModel model(QStringLiteral("c1"), QStringLiteral("me"), nullptr);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.roleNames().value(MessageListModel::AttachmentsRole), QByteArray("attachments"));
    // The message as natterd sends it (§9 `F`), through the codec.
    const auto decoded = Codec::messageFromJson(QJsonDocument::fromJson(R"({"id":"m1",
        "channel":"c1","seq":1,"author":"u1","text":"look","ts":"2026-11-21T12:00:00.000Z",
        "client_msg_id":null,"kind":"user","rev":1,"ev":1,"edited_at":null,"deleted":false,
        "reply_to":null,"mentions":[],"reactions":[],"attachments":[
        {"id":"f1","name":"wide.png","size":5120,"mime":"image/png","width":1000,"height":600,
         "thumbnail":true},
        {"id":"f2","name":"notes.pdf","size":77,"mime":"application/pdf","thumbnail":false},
        {"name":"no id: skipped"}],"system":null})")
                                                    .object());
    QVERIFY(decoded);
    model.addMessage(*decoded);
    auto files = [&] {
        return model.index(0).data(MessageListModel::AttachmentsRole).toList();
    };
    QCOMPARE(files().size(), 2);
    const QVariantMap image = files().at(0).toMap();
    QCOMPARE(image.value(QStringLiteral("id")).toString(), QStringLiteral("f1"));
    QCOMPARE(image.value(QStringLiteral("name")).toString(), QStringLiteral("wide.png"));
    QCOMPARE(image.value(QStringLiteral("size")).toLongLong(), 5120);
    QCOMPARE(image.value(QStringLiteral("mime")).toString(), QStringLiteral("image/png"));
    QCOMPARE(image.value(QStringLiteral("width")).toInt(), 1000);
    QCOMPARE(image.value(QStringLiteral("height")).toInt(), 600);
    QVERIFY(image.value(QStringLiteral("thumbnail")).toBool());
    QVERIFY(image.value(QStringLiteral("image")).toBool());
    const QVariantMap pdf = files().at(1).toMap();
    QCOMPARE(pdf.value(QStringLiteral("name")).toString(), QStringLiteral("notes.pdf"));
    QVERIFY(!pdf.value(QStringLiteral("image")).toBool());

    // An edit changes the text and keeps the files.
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    Message edited = *decoded;
    edited.rev = 2;
    edited.text = QStringLiteral("look at this");
    edited.editedAt = kBase.addSecs(60);
    QVERIFY(model.applyUpdate(edited));
    QCOMPARE(files().size(), 2);
    QCOMPARE(model.index(0).data(MessageListModel::TextRole).toString(),
             QStringLiteral("look at this"));

    // A delete: §7 the tombstone has no files; the view is told.
    Message deleted = edited;
    deleted.rev = 3;
    deleted.deleted = true;
    deleted.text.clear();
    deleted.attachments.clear();
    changed.clear();
    QVERIFY(model.applyUpdate(deleted));
    QCOMPARE(changed.size(), 1);
    QVERIFY(files().isEmpty());
    // Even a copy that still lists them shows none for a deleted message.
    Message stale = edited;
    stale.rev = 4;
    stale.deleted = true;
    QVERIFY(model.applyUpdate(stale));
    QVERIFY(files().isEmpty());
}

QTEST_GUILESS_MAIN(tst_MessageListModel)
#include "tst_MessageListModel.moc"
