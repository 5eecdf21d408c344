// Attaching files on the desktop, end to end: two real desktop clients
// (DesktopController + ChatWindow, offscreen) through the real natterd. An
// image pasted into the composer and a file dropped on the window become
// chips that upload at once; Enter sends (waiting for uploads still running)
// and the other client receives the message with those files. A failed
// upload (over the server's limit) says why in plain words and keeps the
// draft: the text and the other chips. Chips are reached and removed from
// the keyboard, and a removed chip's file is taken off the server. The pasted image shows as a
// thumbnail in the other client's real window. A chip the server asks to wait (429) says so and
// goes up by itself.
#include "ForgetDrafts.h"
#include "NatterdProcess.h"

#include "app/DesktopController.h"
#include "auth/AccessTokenProvider.h"
#include "auth/MemoryTokenStore.h"
#include "auth/Profile.h"
#include "chat/AttachmentChip.h"
#include "chat/AttachmentController.h"
#include "chat/AttachmentTray.h"
#include "chat/ChatWindow.h"
#include "chat/Composer.h"
#include "chat/MessageActions.h"
#include "chat/MessageDelegate.h"
#include "chat/ThumbnailCache.h"
#include "models/ChannelListModel.h"
#include "models/MessageListModel.h"
#include "net/ConnectionManager.h"
#include "session/ChatSession.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QImage>
#include <QListView>
#include <QMimeData>
#include <QPainter>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

#include <csignal>

using namespace Natter;
using namespace Qt::StringLiterals;

namespace {
constexpr int kWait = 20000;
constexpr qint64 kLimit = 200000; // natterd's --max-upload-bytes here

struct Client
{
    MemoryTokenStore tokens;
    std::unique_ptr<DesktopController> controller;
    QList<Message> received;

    ChatWindow *window() const { return controller->window(); }
    ChatSession *chat() const { return controller->chat(); }
    AttachmentTray *tray() const { return window()->attachmentTray(); }
};

QString channelId(ChatSession *session, const QString &name)
{
    const auto *channels = session->channels();
    for (int i = 0; i < channels->rowCount(); ++i) {
        const QModelIndex idx = channels->index(i);
        if (idx.data(ChannelListModel::NameRole).toString() == name)
            return idx.data(ChannelListModel::IdRole).toString();
    }
    return {};
}

QString writeFile(const QTemporaryDir &dir, const QString &name, qint64 size)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    f.write(QByteArray(size, 'n'));
    return path;
}

// Drops `paths` on `target` as a file manager would.
void drop(QWidget *target, const QStringList &paths)
{
    QMimeData mime;
    QList<QUrl> urls;
    for (const QString &p : paths)
        urls.append(QUrl::fromLocalFile(p));
    mime.setUrls(urls);
    const QPoint at = target->rect().center();
    QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &enter);
    QDropEvent dropped(QPointF(at), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &dropped);
}

QModelIndex rowOf(ChatWindow *win, const QString &id)
{
    const QAbstractItemModel *model = win->messageView()->model();
    for (int i = model->rowCount() - 1; i >= 0; --i) {
        if (model->index(i, 0).data(MessageListModel::IdRole).toString() == id)
            return model->index(i, 0);
    }
    return {};
}

// Where the message's files are painted in `win`'s message view.
QList<AttachmentPainter::Box> boxesOf(ChatWindow *win, const QString &id)
{
    QListView *view = win->messageView();
    const QModelIndex row = rowOf(win, id);
    if (!row.isValid())
        return {};
    QStyleOptionViewItem opt;
    opt.initFrom(view->viewport());
    opt.rect = view->visualRect(row);
    return static_cast<MessageDelegate *>(view->itemDelegate())->attachmentBoxes(opt, row);
}

// Whether a colour close to `color` (a thumbnail may be re-encoded lossily,
// §9: "a PNG or JPEG") is painted anywhere inside `rect` of `widget`.
bool paints(QWidget *widget, const QRect &rect, const QColor &color)
{
    const QImage shot = widget->grab(rect).toImage();
    for (int y = 0; y < shot.height(); ++y) {
        for (int x = 0; x < shot.width(); ++x) {
            const QColor c = shot.pixelColor(x, y);
            if (qAbs(c.red() - color.red()) <= 8 && qAbs(c.green() - color.green()) <= 8
                && qAbs(c.blue() - color.blue()) <= 8)
                return true;
        }
    }
    return false;
}

// The newest message `client` received from the server carrying files.
Message lastWithFiles(const Client &client)
{
    for (auto it = client.received.crbegin(); it != client.received.crend(); ++it)
        if (!it->attachments.isEmpty())
            return *it;
    return {};
}
} // namespace

class tst_AttachmentTray : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void pastedImageIsSentAndReceived();
    void droppedFileAloneIsSentAndReceived();
    void failedUploadSaysWhyAndKeepsTheDraft();
    void chipsAreReachedAndRemovedFromTheKeyboard();
    void noEditOrReplyWhileASendWaitsForItsFiles();
    void aChipTheServerHoldsBackWaitsAndGoesUp();

private:
    std::unique_ptr<Client> signIn(const QString &user);

    NatterdProcess m_server;
    QTemporaryDir m_files;
    std::unique_ptr<Client> m_alice;
    std::unique_ptr<Client> m_bob;
    QString m_general;
};

void tst_AttachmentTray::initTestCase()
{
    QVERIFY(m_files.isValid());
    QVERIFY(m_server.addUser(u"alice"_s, u"alice-pw-123"_s, u"Alice"_s));
    QVERIFY(m_server.addUser(u"bob"_s, u"bob-pw-123"_s, u"Bob"_s));
    QVERIFY(m_server.addChannel(u"general"_s, {u"alice"_s, u"bob"_s}));
    // Room in the upload rate for every upload here (the last test holds ten
    // of alice's at once besides those before it).
    QFile config(m_files.filePath(u"natterd.conf"_s));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write("upload_burst = 100\n");
    config.close();
    QVERIFY2(m_server.start({u"--max-upload-bytes"_s, QString::number(kLimit), u"--config"_s,
                             config.fileName()}),
             qPrintable(m_server.errorString()));
}

std::unique_ptr<Client> tst_AttachmentTray::signIn(const QString &user)
{
    auto client = std::make_unique<Client>();
    DesktopController::Options options;
    options.serverUrl = m_server.httpUrl().toString();
    options.username = user;
    options.password = user + u"-pw-123"_s;
    client->controller = std::make_unique<DesktopController>(
        Profile(u"tst-attachmenttray-"_s + user), &client->tokens, options);
    QSignalSpy shown(client->controller.get(), &DesktopController::chatShown);
    client->controller->start();
    if (!shown.wait(kWait))
        return nullptr;
    QSignalSpy resumed(client->controller->connection(), &ConnectionManager::resumed);
    if (!resumed.wait(kWait))
        return nullptr;
    Client *c = client.get();
    QObject::connect(client->controller->connection(), &ConnectionManager::messageReceived,
                     client->controller.get(), [c](const Message &m) { c->received.append(m); });
    return client;
}

void tst_AttachmentTray::init()
{
    m_alice = signIn(u"alice"_s);
    QVERIFY(m_alice);
    m_bob = signIn(u"bob"_s);
    QVERIFY(m_bob);
    m_general = channelId(m_alice->chat(), u"general"_s);
    QVERIFY(!m_general.isEmpty());
    m_alice->window()->openChannel(m_general);
    m_bob->window()->openChannel(m_general);
    m_alice->window()->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_alice->window()));
}

void tst_AttachmentTray::cleanup()
{
    if (QTest::currentTestFailed())
        qWarning().noquote() << "natterd log tail:\n"
                             << QString::fromUtf8(m_server.log().right(3000));
    for (const auto *c : {m_alice.get(), m_bob.get()})
        if (c)
            forgetDrafts(c->controller.get());
    m_alice.reset();
    m_bob.reset();
}

void tst_AttachmentTray::pastedImageIsSentAndReceived()
{
    AttachmentTray *tray = m_alice->tray();
    Composer *composer = m_alice->window()->composer();
    QVERIFY(!tray->isVisible()); // nothing attached: no room taken

    // A screenshot on the clipboard, pasted into the composer with Ctrl+V.
    QImage shot(320, 200, QImage::Format_RGB32);
    shot.fill(Qt::darkCyan);
    {
        QPainter p(&shot);
        p.fillRect(40, 40, 100, 60, Qt::yellow);
    }
    QApplication::clipboard()->setImage(shot);
    composer->setFocus();
    QTest::keyClicks(composer, u"the new layout"_s);
    QTest::keyClick(composer, Qt::Key_V, Qt::ControlModifier);
    QCOMPARE(tray->chips().size(), 1);
    QVERIFY(tray->isVisible());
    AttachmentChip *chip = tray->chips().first();
    QVERIFY(chip->name().startsWith(u"Pasted image "_s));
    QVERIFY(chip->name().endsWith(u".png"_s));
    QCOMPARE(composer->toPlainText(), u"the new layout"_s); // the image is no text

    // Enter at once: the send waits for the upload if it still runs.
    QTest::keyClick(composer, Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(!lastWithFiles(*m_bob).id.isEmpty(), kWait);
    const Message got = lastWithFiles(*m_bob);
    QCOMPARE(got.text, u"the new layout"_s);
    QCOMPARE(got.attachments.size(), 1);
    QVERIFY(got.attachments.first().name.startsWith(u"Pasted image "_s));
    QCOMPARE(got.attachments.first().mime, u"image/png"_s);
    QCOMPARE(got.attachments.first().width, 320);
    QCOMPARE(got.attachments.first().height, 200);
    // Alice's composer is empty and writable again, the tray gone.
    QTRY_VERIFY_WITH_TIMEOUT(composer->toPlainText().isEmpty(), kWait);
    QVERIFY(!composer->isReadOnly());
    QVERIFY(tray->chips().isEmpty());
    QVERIFY(!tray->isVisible());

    // Bob's window shows the thumbnail of the pasted image: natterd's
    // thumbnail, fetched with bob's token, painted in the message's row (the
    // yellow of the screenshot, which nothing else in the window has).
    ChatWindow *bob = m_bob->window();
    bob->resize(1000, 700);
    bob->show();
    QVERIFY(QTest::qWaitForWindowExposed(bob));
    QTRY_VERIFY_WITH_TIMEOUT(rowOf(bob, got.id).isValid(), kWait);
    bob->messageView()->scrollTo(rowOf(bob, got.id));
    const QString fileId = got.attachments.first().id;
    ThumbnailCache *cache = bob->attachments()->thumbnails();
    QTRY_VERIFY_WITH_TIMEOUT(!cache->thumbnail(fileId).isNull(), kWait);
    const QSize thumb = cache->thumbnail(fileId).size();
    QVERIFY(thumb.width() <= 400 && thumb.height() <= 400);
    QCOMPARE(thumb.width() * 200, thumb.height() * 320); // the screenshot's shape
    const QList<AttachmentPainter::Box> boxes = boxesOf(bob, got.id);
    QCOMPARE(boxes.size(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(paints(bob->messageView()->viewport(), boxes.at(0).rect, Qt::yellow),
                             kWait);
}

void tst_AttachmentTray::droppedFileAloneIsSentAndReceived()
{
    AttachmentTray *tray = m_alice->tray();
    const QString path = writeFile(m_files, u"minutes.txt"_s, 4000);
    // Dropped on the message list's part of the window, not on the composer.
    drop(m_alice->window(), {path});
    QCOMPARE(tray->chips().size(), 1);
    AttachmentChip *chip = tray->chips().first();
    QCOMPARE(chip->name(), u"minutes.txt"_s);
    QTRY_COMPARE_WITH_TIMEOUT(chip->state(), AttachmentChip::State::Uploaded, kWait);
    QVERIFY(!chip->progressBar()->isVisible());
    QVERIFY(chip->accessibleName().contains(u"minutes.txt"_s));

    // A message of the file alone: Enter in an empty composer sends it.
    Composer *composer = m_alice->window()->composer();
    composer->setFocus();
    QTest::keyClick(composer, Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(!lastWithFiles(*m_bob).id.isEmpty()
                                 && lastWithFiles(*m_bob).attachments.first().name
                                     == u"minutes.txt"_s,
                             kWait);
    const Message got = lastWithFiles(*m_bob);
    QVERIFY(got.text.isEmpty());
    QCOMPARE(got.attachments.first().size, qint64(4000));
    QVERIFY(tray->chips().isEmpty());
}

void tst_AttachmentTray::failedUploadSaysWhyAndKeepsTheDraft()
{
    AttachmentTray *tray = m_alice->tray();
    Composer *composer = m_alice->window()->composer();
    QSignalSpy failed(tray, &AttachmentTray::uploadFailed);
    composer->setFocus();
    QTest::keyClicks(composer, u"agenda attached"_s);
    const QString agenda = writeFile(m_files, u"agenda.txt"_s, 1000);
    const QString video = writeFile(m_files, u"demo.mp4"_s, kLimit + 1);
    drop(m_alice->window(), {agenda, video});
    QCOMPARE(tray->chips().size(), 2);
    QVERIFY(failed.wait(kWait));
    const QString why = u"“demo.mp4” is too large: this server takes files of up to 0.2 MB."_s;
    QCOMPARE(failed.first().first().toString(), why);
    // Said on screen and to screen readers; the draft and the other file stay.
    QCOMPARE(tray->errorText(), why);
    QCOMPARE(m_alice->window()->statusBar()->currentMessage(), why);
    QCOMPARE(composer->toPlainText(), u"agenda attached"_s);
    QCOMPARE(tray->chips().size(), 1);
    QCOMPARE(tray->chips().first()->name(), u"agenda.txt"_s);

    // Sending now sends what is left.
    QTRY_COMPARE_WITH_TIMEOUT(tray->chips().first()->state(), AttachmentChip::State::Uploaded,
                              kWait);
    QTest::keyClick(composer, Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(lastWithFiles(*m_bob).text == u"agenda attached"_s, kWait);
    QCOMPARE(lastWithFiles(*m_bob).attachments.size(), 1);
    QCOMPARE(lastWithFiles(*m_bob).attachments.first().name, u"agenda.txt"_s);
}

void tst_AttachmentTray::chipsAreReachedAndRemovedFromTheKeyboard()
{
    AttachmentTray *tray = m_alice->tray();
    // The paperclip: a named button with a shortcut.
    QCOMPARE(tray->attachButton()->accessibleName(), u"Attach files"_s);
    QCOMPARE(tray->attachAction()->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A));
    QVERIFY(tray->attachButton()->focusPolicy() & Qt::TabFocus);

    drop(m_alice->window(),
         {writeFile(m_files, u"a.txt"_s, 10), writeFile(m_files, u"b.txt"_s, 20)});
    QCOMPARE(tray->chips().size(), 2);
    for (AttachmentChip *chip : tray->chips())
        QTRY_COMPARE_WITH_TIMEOUT(chip->state(), AttachmentChip::State::Uploaded, kWait);
    QPushButton *remove = tray->chips().first()->button();
    QCOMPARE(remove->accessibleName(), u"Remove a.txt"_s);
    const auto onDisk = [&](const QString &id) {
        return m_server.dataDir() + u"/files/"_s + id.left(2) + u'/' + id.mid(2, 2) + u'/' + id;
    };
    const QString removedFile = tray->chips().first()->fileId();
    const QString keptFile = tray->chips().last()->fileId();
    QVERIFY(QFile::exists(onDisk(removedFile)));
    QVERIFY(remove->focusPolicy() & Qt::TabFocus);
    // Tab from the paperclip reaches it; Space presses it.
    m_alice->window()->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_alice->window()));
    tray->attachButton()->setFocus(Qt::TabFocusReason);
    QTRY_VERIFY(tray->attachButton()->hasFocus());
    QTest::keyClick(tray->attachButton(), Qt::Key_Tab);
    QTRY_VERIFY(remove->hasFocus());
    QTest::keyClick(remove, Qt::Key_Space);
    QCOMPARE(tray->chips().size(), 1);
    QCOMPARE(tray->chips().first()->name(), u"b.txt"_s);
    QCOMPARE(tray->fileIds().size(), 1);
    // a.txt was never sent: the server does not keep it for a day.
    QTRY_VERIFY_WITH_TIMEOUT(!QFile::exists(onDisk(removedFile)), kWait);
    QVERIFY(QFile::exists(onDisk(keptFile)));

    // Another channel has its own files: none here.
    tray->setChannel(u"elsewhere"_s);
    QVERIFY(tray->chips().isEmpty());
    tray->setChannel(m_general);
    QCOMPARE(tray->chips().size(), 1);
    tray->takeSent();
}

void tst_AttachmentTray::aChipTheServerHoldsBackWaitsAndGoesUp()
{
    // natterd takes 10 of one user's uploads at a time (upload_concurrency):
    // ten of alice's from elsewhere are arriving, so her chip's upload is
    // answered 429 with Retry-After: 1.
    const QByteArray token =
        m_alice->controller->connection()->tokenProvider()->accessToken().toUtf8();
    QVERIFY(!token.isEmpty());
    std::vector<std::unique_ptr<QTcpSocket>> held;
    for (int i = 0; i < 10; ++i) {
        auto socket = std::make_unique<QTcpSocket>();
        socket->connectToHost(QHostAddress::LocalHost, m_server.port());
        QVERIFY(socket->waitForConnected(5000));
        socket->write("POST /api/v1/files?channel=" + m_general.toUtf8()
                      + "&name=held.bin HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                      + "\r\nContent-Length: 1000\r\nExpect: 100-continue\r\n\r\n");
        QByteArray answer;
        while (!answer.contains("\r\n") && socket->waitForReadyRead(10000))
            answer += socket->readAll();
        QVERIFY2(answer.startsWith("HTTP/1.1 100 "), answer.constData());
        held.push_back(std::move(socket));
    }
    AttachmentTray *tray = m_alice->tray();
    QSignalSpy failed(tray, &AttachmentTray::uploadFailed);
    drop(m_alice->window(), {writeFile(m_files, u"later.txt"_s, 3000)});
    QCOMPARE(tray->chips().size(), 1);
    // A failed chip leaves the tray (and is deleted): watched through a QPointer.
    QPointer<AttachmentChip> chip = tray->chips().first();
    // Said on the chip's progress bar, to the eye and to screen readers.
    const QString waiting = u"Waiting for the server: the upload starts again in 1 second(s)."_s;
    QTRY_COMPARE_WITH_TIMEOUT(chip ? chip->progressBar()->toolTip()
                                   : failed.value(0).value(0).toString(),
                              waiting, kWait);
    QCOMPARE(chip->progressBar()->accessibleDescription(), waiting);
    QCOMPARE(chip->state(), AttachmentChip::State::Uploading);
    // One of the others ends: the chip's next try is taken.
    held.front()->abort();
    QTRY_VERIFY_WITH_TIMEOUT(!chip || chip->state() == AttachmentChip::State::Uploaded, kWait);
    QCOMPARE(failed.size(), 0);
    QVERIFY(chip);
    QCOMPARE(chip->progressBar()->accessibleDescription(), QString());
    QVERIFY(m_server.log().contains("event=upload_refused reason=too_many_at_once"));
}

QTEST_MAIN(tst_AttachmentTray)
void tst_AttachmentTray::noEditOrReplyWhileASendWaitsForItsFiles()
{
    ChatWindow *win = m_alice->window();
    Composer *composer = win->composer();
    auto *model = m_alice->chat()->messages(m_general);
    composer->setFocus();
    QTest::keyClicks(composer, u"an earlier message"_s);
    QTest::keyClick(composer, Qt::Key_Return);
    const auto newestId = [model] {
        return model->index(model->rowCount() - 1).data(MessageListModel::IdRole).toString();
    };
    QTRY_VERIFY_WITH_TIMEOUT(!newestId().isEmpty(), kWait);
    const QString earlier = newestId();

    // natterd paused: the upload cannot finish, so the send waits for it, and
    // the composer (read-only meanwhile) holds what will go.
    QVERIFY(::kill(pid_t(m_server.pid()), SIGSTOP) == 0);
    auto resume = qScopeGuard([this] { ::kill(pid_t(m_server.pid()), SIGCONT); });
    QImage shot(64, 48, QImage::Format_RGB32);
    shot.fill(Qt::darkGreen);
    QApplication::clipboard()->setImage(shot);
    QTest::keyClicks(composer, u"with the picture"_s);
    QTest::keyClick(composer, Qt::Key_V, Qt::ControlModifier);
    QTest::keyClick(composer, Qt::Key_Return);
    QVERIFY(composer->isReadOnly());

    // E (edit) and R (reply) on the earlier message: refused, and said why.
    QListView *view = win->messageView();
    view->setCurrentIndex(rowOf(win, earlier));
    view->setFocus();
    QTest::keyClick(view, Qt::Key_E);
    QVERIFY(!composer->isEditing());
    QCOMPARE(composer->toPlainText(), u"with the picture"_s);
    QCOMPARE(win->statusBar()->currentMessage(),
             MessageActions::tr("A message is waiting to be sent; edit once it has gone."));
    QTest::keyClick(view, Qt::Key_R);
    QCOMPARE(win->statusBar()->currentMessage(),
             ChatWindow::tr("A message is waiting to be sent; reply once it has gone."));

    // natterd goes on: the message goes as it was written, and answers nothing.
    resume.dismiss();
    QVERIFY(::kill(pid_t(m_server.pid()), SIGCONT) == 0);
    QTRY_VERIFY_WITH_TIMEOUT(!lastWithFiles(*m_bob).id.isEmpty(), kWait);
    const Message got = lastWithFiles(*m_bob);
    QCOMPARE(got.text, u"with the picture"_s);
    QVERIFY(!got.replyTo);
    QTRY_VERIFY_WITH_TIMEOUT(!composer->isReadOnly(), kWait);
    QCOMPARE(composer->toPlainText(), QString());
    QCOMPARE(rowOf(win, earlier).data(MessageListModel::TextRole).toString(),
             u"an earlier message"_s);
}

#include "tst_AttachmentTray.moc"
