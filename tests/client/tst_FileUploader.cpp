// FileUploader against the real natterd (§9): a file streamed up with
// progress, attached to a message another client receives; cancel; the
// server's limit in the words of a 413; an expired token refreshed once; a
// message with a file queued while natterd was down (and the client restarted)
// delivered exactly once when natterd is back; a server that asks to wait
// (429) waited out; the user's quota in the words of a 507.
#include "HttpTokenProvider.h"
#include "NatterdProcess.h"
#include "net/ConnectionManager.h"
#include "net/FileUploader.h"
#include "store/LocalStore.h"

#include <QFile>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace Natter;
using namespace Qt::StringLiterals;
using State = ConnectionManager::State;

namespace {
constexpr int kWait = 20000;

struct Client
{
    Client(const NatterdProcess &server, const QString &storePath)
        : tokens(server.httpUrl())
        , store(storePath)
        , url(server.httpUrl())
        , origin(server.origin())
    {
        store.open();
        connect();
    }

    // A new ConnectionManager on the same store file: what an application restart is.
    void connect()
    {
        manager = std::make_unique<ConnectionManager>(&tokens, &store);
        ConnectionManager::Options options;
        options.serverUrl = url;
        options.origin = origin;
        options.clientName = u"natter-test"_s;
        options.backoff.baseMs = 100;
        options.backoff.capMs = 500;
        options.backoff.floorMs = 50;
        manager->setOptions(options);
        QObject::connect(manager.get(), &ConnectionManager::messageReceived, manager.get(),
                         [this](const Message &m) { received.append(m); });
        QObject::connect(manager.get(), &ConnectionManager::connected, manager.get(),
                         [this](const ConnectedEvent &e) { session = e; });
    }

    bool open()
    {
        QSignalSpy resumed(manager.get(), &ConnectionManager::resumed);
        manager->open();
        return resumed.wait(kWait);
    }

    QString channelId(const QString &name) const
    {
        for (const Channel &c : session.channels)
            if (c.name == name)
                return c.id;
        return {};
    }

    // Messages received that carry the file `id`.
    int withFile(const QString &id) const
    {
        int n = 0;
        for (const Message &m : received)
            for (const Attachment &f : m.attachments)
                n += f.id == id ? 1 : 0;
        return n;
    }

    HttpTokenProvider tokens;
    LocalStore store;
    QUrl url;
    QByteArray origin;
    std::unique_ptr<ConnectionManager> manager;
    QList<Message> received;
    ConnectedEvent session;
};

// A file of `size` bytes that is no image (the server keeps it as octet-stream).
QString writeFile(const QTemporaryDir &dir, const QString &name, qint64 size)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    QByteArray block(64 * 1024, '\0');
    for (int i = 0; i < block.size(); ++i)
        block[i] = char('a' + (i * 7) % 26);
    for (qint64 left = size; left > 0; left -= block.size())
        f.write(block.constData(), qMin<qint64>(left, block.size()));
    return path;
}

// An upload of `length` bytes whose body never comes: natterd counts it as
// arriving once it answered 100 Continue (true then).
bool holdUpload(QTcpSocket &socket, const NatterdProcess &server, const QString &channel,
                const QString &token, qint64 length)
{
    socket.connectToHost(QHostAddress::LocalHost, server.port());
    if (!socket.waitForConnected(5000))
        return false;
    socket.write("POST /api/v1/files?channel=" + channel.toUtf8()
                 + "&name=held.bin HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token.toUtf8()
                 + "\r\nContent-Length: " + QByteArray::number(length)
                 + "\r\nExpect: 100-continue\r\n\r\n");
    QByteArray answer;
    while (!answer.contains("\r\n") && socket.waitForReadyRead(10000))
        answer += socket.readAll();
    return answer.startsWith("HTTP/1.1 100 ");
}

} // namespace

class tst_FileUploader : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void uploadsWithProgressAndAnotherClientGetsTheFile();
    void cancelStopsTheUpload();
    void tooLargeSaysTheServersLimit();
    void unreadableFileSaysSo();
    void expiredTokenIsRefreshedOnce();
    void messageWithFileQueuedOfflineIsDeliveredOnce();
    void aServerThatAsksToWaitIsWaitedOut();
    void overQuotaSaysHowMuch();
    void aFileTakenBackIsGoneFromTheServer();

private:
    bool startServer(const QStringList &args = {});

    std::unique_ptr<NatterdProcess> m_server;
    std::unique_ptr<QTemporaryDir> m_dir;
};

void tst_FileUploader::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_server = std::make_unique<NatterdProcess>();
    QVERIFY(m_server->addUser(u"alice"_s, u"alice-password-1"_s, u"Alice"_s));
    QVERIFY(m_server->addUser(u"bob"_s, u"bob-password-1"_s, u"Bob"_s));
    QVERIFY2(m_server->addChannel(u"general"_s, {u"alice"_s, u"bob"_s}),
             m_server->lastAdminOutput().constData());
}

void tst_FileUploader::cleanup()
{
    if (QTest::currentTestFailed())
        qWarning().noquote() << "natterd log tail:\n"
                             << QString::fromUtf8(m_server->log().right(3000));
    m_server.reset();
}

bool tst_FileUploader::startServer(const QStringList &args)
{
    if (!m_server->start(args)) {
        qWarning() << m_server->errorString();
        return false;
    }
    return true;
}

void tst_FileUploader::uploadsWithProgressAndAnotherClientGetsTheFile()
{
    QVERIFY(startServer());
    Client alice(*m_server, m_dir->filePath(u"alice.sqlite"_s));
    QVERIFY(alice.tokens.login(u"alice"_s, u"alice-password-1"_s));
    QVERIFY(alice.open());
    Client bob(*m_server, m_dir->filePath(u"bob.sqlite"_s));
    QVERIFY(bob.tokens.login(u"bob"_s, u"bob-password-1"_s));
    QVERIFY(bob.open());
    const QString general = alice.channelId(u"general"_s);
    QVERIFY(!general.isEmpty());

    const qint64 size = 3 * 1024 * 1024 + 17;
    const QString path = writeFile(*m_dir, u"notes & plans #1.txt"_s, size);
    FileUploader uploader(m_server->httpUrl(), &alice.tokens);
    QSignalSpy progress(&uploader, &FileUploader::progress);
    QSignalSpy finished(&uploader, &FileUploader::finished);
    QSignalSpy failed(&uploader, &FileUploader::failed);
    QVERIFY(uploader.start(general, path));
    QVERIFY(uploader.isRunning());
    QVERIFY2(finished.wait(kWait),
             failed.isEmpty() ? "no answer" : qPrintable(failed.first().at(1).toString()));
    QVERIFY(!uploader.isRunning());
    // Progress climbs to the whole file, never past it.
    QVERIFY(progress.size() >= 2);
    qint64 last = -1;
    for (const QList<QVariant> &p : std::as_const(progress)) {
        QVERIFY(p.at(0).toLongLong() >= last);
        QCOMPARE(p.at(1).toLongLong(), size);
        last = p.at(0).toLongLong();
    }
    QCOMPARE(last, size);
    const Attachment file = finished.first().first().value<Attachment>();
    QVERIFY(!file.id.isEmpty());
    QCOMPARE(file.name, u"notes & plans #1.txt"_s); // the name survives the URL
    QCOMPARE(file.size, size);
    QCOMPARE(file.mime, u"text/plain"_s);

    // §9: a message of the file alone; bob gets it with the file's F.
    QSignalSpy acked(alice.manager.get(), &ConnectionManager::messageAcked);
    alice.manager->sendMessage(general, {}, {}, {file.id});
    QVERIFY(acked.wait(kWait));
    QTRY_COMPARE_WITH_TIMEOUT(bob.withFile(file.id), 1, kWait);
    const Message &got = bob.received.constLast();
    QVERIFY(got.text.isEmpty());
    QCOMPARE(got.attachments, QList<Attachment>{file});
}

void tst_FileUploader::cancelStopsTheUpload()
{
    QVERIFY(startServer());
    Client alice(*m_server, m_dir->filePath(u"alice.sqlite"_s));
    QVERIFY(alice.tokens.login(u"alice"_s, u"alice-password-1"_s));
    QVERIFY(alice.open());
    const QString path = writeFile(*m_dir, u"big.bin"_s, 20 * 1024 * 1024);
    FileUploader uploader(m_server->httpUrl(), &alice.tokens);
    QSignalSpy cancelled(&uploader, &FileUploader::cancelled);
    QSignalSpy finished(&uploader, &FileUploader::finished);
    QSignalSpy failed(&uploader, &FileUploader::failed);
    // Cancel as soon as the first bytes went out.
    connect(&uploader, &FileUploader::progress, &uploader, [&uploader](qint64 sent) {
        if (sent > 0)
            uploader.cancel();
    });
    QVERIFY(uploader.start(alice.channelId(u"general"_s), path));
    QTRY_COMPARE_WITH_TIMEOUT(cancelled.size(), 1, kWait);
    QVERIFY(!uploader.isRunning());
    // natterd saw the body end short and kept nothing.
    QTRY_VERIFY_WITH_TIMEOUT(m_server->log().contains("event=upload_abandoned"), kWait);
    QVERIFY(!m_server->log().contains("event=file_uploaded"));
    QCOMPARE(finished.size(), 0);
    QCOMPARE(failed.size(), 0);
}

void tst_FileUploader::tooLargeSaysTheServersLimit()
{
    QVERIFY(startServer({u"--max-upload-bytes"_s, u"1048576"_s}));
    Client alice(*m_server, m_dir->filePath(u"alice.sqlite"_s));
    QVERIFY(alice.tokens.login(u"alice"_s, u"alice-password-1"_s));
    QVERIFY(alice.open());
    const QString path = writeFile(*m_dir, u"movie.bin"_s, 1024 * 1024 + 1);
    FileUploader uploader(m_server->httpUrl(), &alice.tokens);
    QSignalSpy failed(&uploader, &FileUploader::failed);
    QVERIFY(uploader.start(alice.channelId(u"general"_s), path));
    QVERIFY(failed.wait(kWait));
    QCOMPARE(failed.first().at(0).value<FileUploader::Error>(), FileUploader::Error::TooLarge);
    QCOMPARE(failed.first().at(1).toString(),
             u"“movie.bin” is too large: this server takes files of up to 1 MB."_s);
    QCOMPARE(uploader.maxBytes(), qint64(1048576));
    QVERIFY(!m_server->log().contains("event=file_uploaded"));

    // A file right at the limit goes up.
    const QString fits = writeFile(*m_dir, u"fits.bin"_s, 1024 * 1024);
    QSignalSpy finished(&uploader, &FileUploader::finished);
    QVERIFY(uploader.start(alice.channelId(u"general"_s), fits));
    QVERIFY(finished.wait(kWait));
    QCOMPARE(FileUploader::megabytes(25 * 1024 * 1024), u"25"_s);
    QCOMPARE(FileUploader::megabytes(100000), u"0.1"_s);
}

void tst_FileUploader::unreadableFileSaysSo()
{
    QVERIFY(startServer());
    HttpTokenProvider tokens(m_server->httpUrl());
    QVERIFY(tokens.login(u"alice"_s, u"alice-password-1"_s));
    FileUploader uploader(m_server->httpUrl(), &tokens);
    QSignalSpy failed(&uploader, &FileUploader::failed);
    QVERIFY(!uploader.start(u"c"_s, m_dir->filePath(u"missing.png"_s)));
    QCOMPARE(failed.size(), 1);
    QCOMPARE(failed.first().at(0).value<FileUploader::Error>(), FileUploader::Error::Unreadable);
    QVERIFY(failed.first().at(1).toString().contains(u"missing.png"_s));
    QVERIFY(!uploader.isRunning());
}

void tst_FileUploader::expiredTokenIsRefreshedOnce()
{
    QVERIFY(startServer());
    Client alice(*m_server, m_dir->filePath(u"alice.sqlite"_s));
    QVERIFY(alice.tokens.login(u"alice"_s, u"alice-password-1"_s));
    QVERIFY(alice.open());
    const QString path = writeFile(*m_dir, u"a.txt"_s, 1000);
    alice.tokens.spoilAccessToken();
    FileUploader uploader(m_server->httpUrl(), &alice.tokens);
    QSignalSpy finished(&uploader, &FileUploader::finished);
    QSignalSpy failed(&uploader, &FileUploader::failed);
    QVERIFY(uploader.start(alice.channelId(u"general"_s), path));
    QVERIFY2(finished.wait(kWait),
             failed.isEmpty() ? "no answer" : qPrintable(failed.first().at(1).toString()));
    QCOMPARE(alice.tokens.refreshCount(), 1);
    QCOMPARE(finished.first().first().value<Attachment>().size, qint64(1000));
}

void tst_FileUploader::aFileTakenBackIsGoneFromTheServer()
{
    QVERIFY(startServer());
    Client alice(*m_server, m_dir->filePath(u"alice.sqlite"_s));
    QVERIFY(alice.tokens.login(u"alice"_s, u"alice-password-1"_s));
    QVERIFY(alice.open());
    const QString general = alice.channelId(u"general"_s);
    const auto onDisk = [&](const QString &id) {
        return m_server->dataDir() + u"/files/"_s + id.left(2) + u'/' + id.mid(2, 2) + u'/' + id;
    };
    FileUploader uploader(m_server->httpUrl(), &alice.tokens);
    QSignalSpy discarded(&uploader, &FileUploader::discarded);
    QSignalSpy finished(&uploader, &FileUploader::finished);
    uploader.discard(); // nothing uploaded: nothing to take back
    QVERIFY(discarded.wait(kWait));
    QCOMPARE(discarded.takeFirst().first().toBool(), false);

    QVERIFY(uploader.start(general, writeFile(*m_dir, u"wrong.txt"_s, 2000)));
    QVERIFY(finished.wait(kWait));
    const QString id = finished.takeFirst().first().value<Attachment>().id;
    QVERIFY(QFile::exists(onDisk(id)));
    // The token expired while the chip sat there: one refresh, then the DELETE.
    alice.tokens.spoilAccessToken();
    const int refreshes = alice.tokens.refreshCount();
    uploader.discard();
    // One request at a time: no upload starts while the DELETE is on its way.
    QVERIFY(!uploader.start(general, writeFile(*m_dir, u"other.txt"_s, 10)));
    QVERIFY(discarded.wait(kWait));
    QCOMPARE(discarded.takeFirst().first().toBool(), true);
    QCOMPARE(alice.tokens.refreshCount(), refreshes + 1);
    QVERIFY(!QFile::exists(onDisk(id)));
    QVERIFY(m_server->log().contains("event=upload_discarded id=" + id.toUtf8()));

    // A file that went with a message stays (its message is what to delete).
    QVERIFY(uploader.start(general, writeFile(*m_dir, u"sent.txt"_s, 3000)));
    QVERIFY(finished.wait(kWait));
    const QString sent = finished.takeFirst().first().value<Attachment>().id;
    QSignalSpy acked(alice.manager.get(), &ConnectionManager::messageAcked);
    alice.manager->sendMessage(general, {}, {}, {sent});
    QVERIFY(acked.wait(kWait));
    uploader.discard();
    QVERIFY(discarded.wait(kWait));
    QCOMPARE(discarded.takeFirst().first().toBool(), false);
    QVERIFY(QFile::exists(onDisk(sent)));
}

void tst_FileUploader::messageWithFileQueuedOfflineIsDeliveredOnce()
{
    QVERIFY(startServer());
    Client alice(*m_server, m_dir->filePath(u"alice.sqlite"_s));
    QVERIFY(alice.tokens.login(u"alice"_s, u"alice-password-1"_s));
    QVERIFY(alice.open());
    const QString general = alice.channelId(u"general"_s);
    FileUploader uploader(m_server->httpUrl(), &alice.tokens);
    QSignalSpy finished(&uploader, &FileUploader::finished);
    QVERIFY(uploader.start(general, writeFile(*m_dir, u"report.txt"_s, 5000)));
    QVERIFY(finished.wait(kWait));
    const Attachment file = finished.first().first().value<Attachment>();

    // natterd goes away; alice sends the file with words and quits.
    QCOMPARE(m_server->stop(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(alice.manager->state(), State::Reconnecting, kWait);
    const QString id = alice.manager->sendMessage(general, u"the report"_s, {}, {file.id});
    QCOMPARE(alice.manager->outbox().size(), 1);
    QCOMPARE(alice.manager->outbox().first().attachments, QStringList{file.id});
    alice.manager.reset();

    // natterd is back; alice starts again and bob is there.
    QVERIFY(m_server->restart());
    alice.connect();
    QSignalSpy acked(alice.manager.get(), &ConnectionManager::messageAcked);
    QVERIFY(alice.open());
    Client bob(*m_server, m_dir->filePath(u"bob.sqlite"_s));
    QVERIFY(bob.tokens.login(u"bob"_s, u"bob-password-1"_s));
    QSignalSpy bobResumed(bob.manager.get(), &ConnectionManager::resumed);
    bob.manager->open();
    QVERIFY(bobResumed.wait(kWait));
    QTRY_VERIFY_WITH_TIMEOUT(!acked.isEmpty(), kWait);
    QCOMPARE(acked.first().first().value<AckEvent>().clientMsgId, id);
    QVERIFY(alice.manager->outbox().isEmpty());
    // Once: bob's history holds one message with the file.
    QSignalSpy history(bob.manager.get(), &ConnectionManager::historyReceived);
    bob.manager->requestHistory(general, 0, 50);
    QVERIFY(history.wait(kWait));
    int withFile = 0;
    for (const Message &m : history.first().first().value<HistoryEvent>().messages) {
        if (!m.attachments.isEmpty() && m.attachments.first().id == file.id) {
            ++withFile;
            QCOMPARE(m.text, u"the report"_s);
            QCOMPARE(m.attachments.first().name, u"report.txt"_s);
        }
    }
    QCOMPARE(withFile, 1);
}

void tst_FileUploader::aServerThatAsksToWaitIsWaitedOut()
{
    // natterd takes one upload of alice's at a time here: hers from another
    // device is still arriving, so this one is answered 429 (Retry-After: 1).
    QFile config(m_dir->filePath(u"natterd.conf"_s));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write("upload_concurrency = 1\n");
    config.close();
    QVERIFY(startServer({u"--config"_s, config.fileName()}));
    Client alice(*m_server, m_dir->filePath(u"alice.sqlite"_s));
    QVERIFY(alice.tokens.login(u"alice"_s, u"alice-password-1"_s));
    QVERIFY(alice.open());
    const QString general = alice.channelId(u"general"_s);
    const QString path = writeFile(*m_dir, u"report.txt"_s, 5000);
    FileUploader uploader(m_server->httpUrl(), &alice.tokens);
    QSignalSpy waiting(&uploader, &FileUploader::waiting);
    QSignalSpy finished(&uploader, &FileUploader::finished);
    QSignalSpy failed(&uploader, &FileUploader::failed);

    // While the other upload stays, it waits 1 s, then 2 s (growing), until
    // its budget (here 3 s) would be passed; then it says so.
    auto held = std::make_unique<QTcpSocket>();
    QVERIFY(holdUpload(*held, *m_server, general, alice.tokens.accessToken(), 100000));
    uploader.setWaitBudgetSecs(3);
    QVERIFY(uploader.start(general, path));
    QVERIFY(failed.wait(kWait));
    QCOMPARE(waiting.size(), 2);
    QCOMPARE(waiting.at(0).first().toInt(), 1);
    QCOMPARE(waiting.at(1).first().toInt(), 2);
    QCOMPARE(failed.first().at(0).value<FileUploader::Error>(), FileUploader::Error::RateLimited);
    QCOMPARE(failed.first().at(1).toString(),
             u"Too many uploads at once: try “report.txt” again in 1 second(s)."_s);
    QTRY_COMPARE(m_server->log().count("event=upload_refused reason=too_many_at_once"), 3);

    // The other upload ends while this one waits: it goes up by itself.
    waiting.clear();
    failed.clear();
    connect(&uploader, &FileUploader::waiting, held.get(), [&held] { held->abort(); });
    QVERIFY(uploader.start(general, path));
    QVERIFY2(finished.wait(kWait),
             failed.isEmpty() ? "no answer" : qPrintable(failed.first().at(1).toString()));
    // natterd saw the other end within the first wait, or the second.
    QVERIFY(waiting.size() >= 1 && waiting.size() <= 2);
    QCOMPARE(failed.size(), 0);
    QCOMPARE(finished.first().first().value<Attachment>().size, qint64(5000));
}

void tst_FileUploader::overQuotaSaysHowMuch()
{
    QFile config(m_dir->filePath(u"natterd.conf"_s));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write("upload_quota_bytes = 1048576\n");
    config.close();
    QVERIFY(startServer({u"--config"_s, config.fileName()}));
    Client alice(*m_server, m_dir->filePath(u"alice.sqlite"_s));
    QVERIFY(alice.tokens.login(u"alice"_s, u"alice-password-1"_s));
    QVERIFY(alice.open());
    const QString general = alice.channelId(u"general"_s);
    FileUploader uploader(m_server->httpUrl(), &alice.tokens);
    QSignalSpy finished(&uploader, &FileUploader::finished);
    QSignalSpy failed(&uploader, &FileUploader::failed);

    QVERIFY(uploader.start(general, writeFile(*m_dir, u"huge.bin"_s, 1048577)));
    QVERIFY(failed.wait(kWait));
    QCOMPARE(failed.first().at(0).value<FileUploader::Error>(), FileUploader::Error::OverQuota);
    QCOMPARE(failed.first().at(1).toString(),
             u"“huge.bin” is larger than the 1 MB of files this server keeps for you."_s);

    QVERIFY(uploader.start(general, writeFile(*m_dir, u"first.bin"_s, 307200)));
    QVERIFY(finished.wait(kWait));
    failed.clear();
    QVERIFY(uploader.start(general, writeFile(*m_dir, u"second.bin"_s, 800000)));
    QVERIFY(failed.wait(kWait));
    QCOMPARE(failed.first().at(0).value<FileUploader::Error>(), FileUploader::Error::OverQuota);
    QCOMPARE(failed.first().at(1).toString(),
             u"“second.bin” does not fit in the 1 MB of files this server keeps for you (0.3 MB "
             "taken). Deleting your messages with files frees their space; files uploaded but "
             "never sent are freed after a day."_s);
    QCOMPARE(uploader.quotaBytes(), qint64(1048576));
    QCOMPARE(uploader.usedBytes(), qint64(307200));
}

QTEST_GUILESS_MAIN(tst_FileUploader)
#include "tst_FileUploader.moc"
