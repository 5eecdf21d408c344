// §9 files in the desktop client, through the real natterd: alice's message
// with a picture (uploaded in the test through natterd's own HTTP API) shows
// its thumbnail in bob's window at a size fixed before it loads; Enter opens
// the viewer and Save writes the very bytes; a file card's Save works (and only
// harmless files offer Open); a deleted message's files disappear; a picture
// whose fetch failed while natterd was stopped shows once bob's connection is
// back. Also the README's picture of a message with an image.
#include "ForgetDrafts.h"
#include "NatterdFiles.h"
#include "NatterdProcess.h"

#include "app/DesktopController.h"
#include "auth/MemoryTokenStore.h"
#include "chat/AttachmentController.h"
#include "chat/ChatWindow.h"
#include "chat/ImageViewer.h"
#include "chat/MessageDelegate.h"
#include "chat/ThumbnailCache.h"
#include "models/MessageListModel.h"
#include "net/ConnectionManager.h"
#include "session/ChatSession.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QJsonObject>
#include <QListView>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStyleFactory>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Natter;

namespace {

struct Client
{
    MemoryTokenStore tokens;
    std::unique_ptr<DesktopController> controller;

    ChatWindow *window() const { return controller->window(); }
    ChatSession *chat() const { return controller->chat(); }
};

QString channelId(ChatSession *chat, const QString &name)
{
    const auto *channels = chat->channels();
    for (int i = 0; i < channels->rowCount(); ++i) {
        if (channels->index(i).data(ChannelListModel::NameRole).toString() == name)
            return channels->index(i).data(ChannelListModel::IdRole).toString();
    }
    return {};
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

// Whether `color` is painted anywhere inside `rect` of `widget`.
bool paints(QWidget *widget, const QRect &rect, const QColor &color)
{
    const QImage shot = widget->grab(rect).toImage();
    for (int y = 0; y < shot.height(); ++y) {
        for (int x = 0; x < shot.width(); ++x) {
            if (shot.pixelColor(x, y) == color)
                return true;
        }
    }
    return false;
}

QByteArray bytesOf(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class tst_Attachments : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void pictureShowsInBobsWindowAndEnterOpensTheViewer();
    void fileCardSavesAndOnlyHarmlessFilesOfferOpen();
    void deletedMessagesFilesDisappear();
    void pictureThatFailedWhileNatterdWasAwayShowsWhenBobIsBack();
    void screenshotOfAMessageWithAPicture();
    void runnableFilesAreNeverOpened_data();
    void runnableFilesAreNeverOpened();

private:
    std::unique_ptr<Client> signIn(const QString &user);
    // Sends a message of alice's with these files; returns its id.
    QString sendFiles(const QString &text, const QList<std::pair<QString, QByteArray>> &files);
    void focus(ChatWindow *win, const QString &id);

    NatterdProcess m_server;
    std::unique_ptr<NatterdFiles> m_http;
    QString m_aliceToken;
    QString m_general;
    std::unique_ptr<Client> m_alice;
    std::unique_ptr<Client> m_bob;
    QTemporaryDir m_dir;
    QString m_shots;
};

void tst_Attachments::initTestCase()
{
    QVERIFY(m_server.addUser(QStringLiteral("alice"), QStringLiteral("alice-pw-123"),
                             QStringLiteral("Alice")));
    QVERIFY(m_server.addUser(QStringLiteral("bob"), QStringLiteral("bob-pw-123"),
                             QStringLiteral("Bob")));
    QVERIFY(m_server.addChannel(QStringLiteral("general"),
                                {QStringLiteral("alice"), QStringLiteral("bob")}));
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    m_http = std::make_unique<NatterdFiles>(m_server.httpUrl(), m_server.origin());
    m_aliceToken = m_http->login(QStringLiteral("alice"), QStringLiteral("alice-pw-123"));
    QVERIFY(!m_aliceToken.isEmpty());
    m_general = m_http->channelId(m_aliceToken, QStringLiteral("general"));
    QVERIFY(!m_general.isEmpty());
    QVERIFY(m_dir.isValid());
    m_shots = QDir(QStringLiteral(NATTER_SCREENSHOT_DIR)).absolutePath();
    QDir().mkpath(m_shots);
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QApplication::setPalette(QApplication::style()->standardPalette());
}

std::unique_ptr<Client> tst_Attachments::signIn(const QString &user)
{
    auto client = std::make_unique<Client>();
    DesktopController::Options options;
    options.serverUrl = m_server.httpUrl().toString();
    options.username = user;
    options.password = user + QStringLiteral("-pw-123");
    client->controller = std::make_unique<DesktopController>(
        Profile(QStringLiteral("tst-attachments-") + user), &client->tokens, options);
    QSignalSpy shown(client->controller.get(), &DesktopController::chatShown);
    client->controller->start();
    if (!shown.wait(20000))
        return nullptr;
    QSignalSpy resumed(client->controller->connection(), &ConnectionManager::resumed);
    if (!resumed.wait(20000))
        return nullptr;
    client->window()->resize(1000, 700);
    return client;
}

void tst_Attachments::init()
{
    m_alice = signIn(QStringLiteral("alice"));
    QVERIFY(m_alice);
    m_bob = signIn(QStringLiteral("bob"));
    QVERIFY(m_bob);
    for (Client *c : {m_alice.get(), m_bob.get()}) {
        c->window()->openChannel(channelId(c->chat(), QStringLiteral("general")));
        QCOMPARE(c->window()->currentChannel(), m_general);
    }
}

void tst_Attachments::cleanup()
{
    for (const auto *c : {m_alice.get(), m_bob.get()})
        if (c)
            forgetDrafts(c->controller.get());
    m_alice.reset();
    m_bob.reset();
}

QString tst_Attachments::sendFiles(const QString &text,
                                   const QList<std::pair<QString, QByteArray>> &files)
{
    QStringList ids;
    for (const auto &[name, bytes] : files) {
        const QJsonObject f = m_http->upload(m_aliceToken, m_general, name, bytes);
        if (f.isEmpty()) {
            qWarning("%s", qPrintable(m_http->error()));
            return {};
        }
        ids.append(f.value(QStringLiteral("id")).toString());
    }
    const QJsonObject m = m_http->sendWithFiles(m_aliceToken, m_general, text, ids);
    if (m.isEmpty())
        qWarning("%s", qPrintable(m_http->error()));
    return m.value(QStringLiteral("id")).toString();
}

void tst_Attachments::focus(ChatWindow *win, const QString &id)
{
    QListView *view = win->messageView();
    view->scrollTo(rowOf(win, id));
    view->setCurrentIndex(rowOf(win, id));
    view->setFocus();
}

void tst_Attachments::pictureShowsInBobsWindowAndEnterOpensTheViewer()
{
    const QByteArray png = NatterdFiles::pngBytes(1000, 600);
    const QString id =
        sendFiles(QStringLiteral("The new chart"), {{QStringLiteral("chart.png"), png}});
    QVERIFY(!id.isEmpty());
    ChatWindow *bob = m_bob->window();
    QTRY_VERIFY_WITH_TIMEOUT(rowOf(bob, id).isValid(), 10000);
    const QVariantList files = rowOf(bob, id).data(MessageListModel::AttachmentsRole).toList();
    QCOMPARE(files.size(), 1);
    QCOMPARE(files.at(0).toMap().value(QStringLiteral("name")).toString(),
             QStringLiteral("chart.png"));
    // The picture's place is fixed from §9 width/height before it loads: the
    // row does not jump when it arrives.
    QList<AttachmentPainter::Box> boxes = boxesOf(bob, id);
    QCOMPARE(boxes.size(), 1);
    QCOMPARE(boxes.at(0).rect.size(), QSize(360, 216));
    const int rowHeight = bob->messageView()->visualRect(rowOf(bob, id)).height();

    // The thumbnail arrives (from natterd, with bob's token) and is painted.
    ThumbnailCache *cache = bob->attachments()->thumbnails();
    const QString fileId = files.at(0).toMap().value(QStringLiteral("id")).toString();
    bob->messageView()->scrollTo(rowOf(bob, id));
    QTRY_VERIFY_WITH_TIMEOUT(!cache->thumbnail(fileId).isNull(), 10000);
    QCOMPARE(cache->thumbnail(fileId).size(), QSize(400, 240));
    boxes = boxesOf(bob, id);
    QTRY_VERIFY(paints(bob->messageView()->viewport(), boxes.at(0).rect, QColor(0xf3, 0x9c, 0x12)));
    QCOMPARE(bob->messageView()->visualRect(rowOf(bob, id)).height(), rowHeight);
    // Kept on disk for the next start, under the cache location.
    QTRY_VERIFY(
        QFile::exists(cache->directory() + QLatin1Char('/') + fileId + QStringLiteral(".thumb")));
    QVERIFY(cache->directory().startsWith(
        QStandardPaths::writableLocation(QStandardPaths::CacheLocation)));
    // Screen readers hear about the file.
    QVERIFY(rowOf(bob, id)
                .data(Qt::AccessibleDescriptionRole)
                .toString()
                .contains(QStringLiteral("chart.png")));

    // Enter on the focused message opens the viewer with the whole picture.
    focus(bob, id);
    QTest::keyClick(bob->messageView(), Qt::Key_Return);
    QPointer<ImageViewer> viewer = bob->attachments()->viewer();
    QVERIFY(viewer);
    QVERIFY(viewer->isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(viewer->isLoaded(), 10000);
    QCOMPARE(viewer->image().size(), QSize(1000, 600));
    QVERIFY(!viewer->accessibleName().isEmpty());

    // Zoom: fitted first (the 1000 px picture is larger than the window), Ctrl++
    // shows it larger with scroll bars, Ctrl+0 fits it again.
    QVERIFY(viewer->isFitted());
    const QSize fitted = viewer->shownImageSize();
    QVERIFY(fitted.width() < 1000);
    QTest::keyClick(viewer, Qt::Key_Plus, Qt::ControlModifier);
    QTest::keyClick(viewer, Qt::Key_Plus, Qt::ControlModifier);
    QVERIFY(!viewer->isFitted());
    const QSize zoomed = viewer->shownImageSize();
    QVERIFY2(zoomed.width() > fitted.width() && zoomed.height() > fitted.height(),
             qPrintable(QStringLiteral("%1x%2 not larger than %3x%4")
                            .arg(zoomed.width())
                            .arg(zoomed.height())
                            .arg(fitted.width())
                            .arg(fitted.height())));
    auto *scroll = viewer->findChild<QScrollArea *>(QStringLiteral("imageViewerScroll"));
    QVERIFY(scroll);
    QTRY_VERIFY(scroll->horizontalScrollBar()->isVisible());
    QTest::keyClick(viewer, Qt::Key_Minus, Qt::ControlModifier);
    QVERIFY(viewer->shownImageSize().width() < zoomed.width());
    QTest::keyClick(viewer, Qt::Key_0, Qt::ControlModifier);
    QVERIFY(viewer->isFitted());
    QTRY_COMPARE(viewer->shownImageSize(), fitted);
    QTRY_VERIFY(!scroll->horizontalScrollBar()->isVisible());

    // Save… writes the very bytes alice uploaded.
    const QString target = m_dir.filePath(QStringLiteral("saved-chart.png"));
    QString suggested;
    bob->attachments()->setPathChooser([&](const QString &s) {
        suggested = s;
        return target;
    });
    QSignalSpy saved(bob->attachments(), &AttachmentController::saved);
    viewer->saveButton()->click();
    QTRY_COMPARE_WITH_TIMEOUT(saved.size(), 1, 10000);
    QVERIFY(suggested.endsWith(QStringLiteral("/chart.png")));
    QCOMPARE(bytesOf(target), png);

    // Esc closes it.
    QTest::keyClick(viewer, Qt::Key_Escape);
    QTRY_VERIFY(!viewer);
}

void tst_Attachments::fileCardSavesAndOnlyHarmlessFilesOfferOpen()
{
    const QByteArray report = QByteArray("Quarterly numbers\n").repeated(20000); // ~350 KB
    const QString reportId = sendFiles({}, {{QStringLiteral("report.txt"), report}});
    const QByteArray script("#!/bin/sh\necho hello\n");
    const QString scriptId =
        sendFiles(QStringLiteral("run this"), {{QStringLiteral("tool.sh"), script}});
    QVERIFY(!reportId.isEmpty() && !scriptId.isEmpty());
    ChatWindow *bob = m_bob->window();
    QTRY_VERIFY_WITH_TIMEOUT(rowOf(bob, scriptId).isValid(), 10000);
    const QList<AttachmentPainter::Box> boxes = boxesOf(bob, reportId);
    QCOMPARE(boxes.size(), 1);
    QVERIFY(!boxes.at(0).image); // a card, not a picture

    QString target = m_dir.filePath(QStringLiteral("report.txt"));
    bob->attachments()->setPathChooser([&](const QString &) { return target; });
    QSignalSpy saved(bob->attachments(), &AttachmentController::saved);
    focus(bob, reportId);
    QTest::keyClick(bob->messageView(), Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(saved.size(), 1, 20000);
    QCOMPARE(bytesOf(target), report);
    QMessageBox *box = bob->attachments()->savedBox();
    QVERIFY(box);
    QTRY_VERIFY(box->isVisible());
    QVERIFY(box->findChild<QPushButton *>(QStringLiteral("openSavedFile"))); // a text file: Open
    box->close();

    // A script is saved, never opened: no Open, and the box says why.
    target = m_dir.filePath(QStringLiteral("tool.sh"));
    focus(bob, scriptId);
    QTest::keyClick(bob->messageView(), Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(saved.size(), 2, 20000);
    QCOMPARE(bytesOf(target), script);
    box = bob->attachments()->savedBox();
    QVERIFY(box);
    QVERIFY(!box->findChild<QPushButton *>(QStringLiteral("openSavedFile")));
    QVERIFY(box->informativeText().contains(QStringLiteral("programs")));
    box->close();
}

void tst_Attachments::deletedMessagesFilesDisappear()
{
    const QString id = sendFiles(QStringLiteral("wrong picture"),
                                 {{QStringLiteral("oops.png"), NatterdFiles::pngBytes(300, 200)}});
    QVERIFY(!id.isEmpty());
    ChatWindow *bob = m_bob->window();
    QTRY_VERIFY_WITH_TIMEOUT(boxesOf(bob, id).size() == 1, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(rowOf(m_alice->window(), id).isValid(), 10000);
    m_alice->chat()->deleteMessage(m_general, id, {});
    QTRY_VERIFY_WITH_TIMEOUT(rowOf(bob, id).data(MessageListModel::DeletedRole).toBool(), 10000);
    QVERIFY(rowOf(bob, id).data(MessageListModel::AttachmentsRole).toList().isEmpty());
    QVERIFY(boxesOf(bob, id).isEmpty());
}

void tst_Attachments::pictureThatFailedWhileNatterdWasAwayShowsWhenBobIsBack()
{
    const QString id =
        sendFiles(QStringLiteral("Before the restart"),
                  {{QStringLiteral("before-restart.png"), NatterdFiles::pngBytes(800, 400)}});
    QVERIFY(!id.isEmpty());
    ChatWindow *bob = m_bob->window();
    QTRY_VERIFY_WITH_TIMEOUT(boxesOf(bob, id).size() == 1, 10000);
    bob->messageView()->scrollTo(rowOf(bob, id));
    const QString fileId = boxesOf(bob, id).at(0).file.value(QStringLiteral("id")).toString();
    ThumbnailCache *cache = bob->attachments()->thumbnails();
    // Only the connection coming back may bring the picture, not its retry delay.
    cache->setRetryDelay(60 * 60 * 1000);
    const QColor orange(0xf3, 0x9c, 0x12);

    // natterd stops before bob has the picture (whatever his window fetched
    // meanwhile is forgotten, as if it never had it): the fetch fails.
    QCOMPARE(m_server.stop(), 0);
    QTRY_VERIFY(!cache->isFetching(fileId));
    cache->clearMemory();
    QFile::remove(cache->directory() + QLatin1Char('/') + fileId + QStringLiteral(".thumb"));
    cache->thumbnail(fileId);
    QTRY_VERIFY_WITH_TIMEOUT(cache->hasFailed(fileId), 10000);
    QVERIFY(!paints(bob->messageView()->viewport(), boxesOf(bob, id).at(0).rect, orange));
    QVERIFY(!cache->isFetching(fileId)); // painting it does not ask again
    // Its box says the picture is coming later, not that it is gone.
    const auto *delegate = static_cast<MessageDelegate *>(bob->messageView()->itemDelegate());
    const AttachmentPainter::Box box = boxesOf(bob, id).at(0);
    QCOMPARE(delegate->placeholderFor(box.file), AttachmentPainter::Placeholder::Retrying);
    QCOMPARE(AttachmentPainter::placeholderText(box, AttachmentPainter::Placeholder::Retrying),
             QStringLiteral("Picture not loaded yet. Natter will try again."));

    // natterd is back and bob's connection resumes: his window asks for the
    // picture again by itself, and it shows instead of the placeholder.
    QSignalSpy resumed(m_bob->controller->connection(), &ConnectionManager::resumed);
    QSignalSpy ready(cache, &ThumbnailCache::thumbnailReady);
    QVERIFY2(m_server.restart(), qPrintable(m_server.errorString()));
    QTRY_VERIFY_WITH_TIMEOUT(resumed.size() > 0, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(!ready.isEmpty(), 10000);
    QCOMPARE(ready.at(0).at(0).toString(), fileId);
    QVERIFY(!cache->hasFailed(fileId));
    QCOMPARE(cache->thumbnail(fileId).size(), QSize(400, 200));
    QTRY_VERIFY(paints(bob->messageView()->viewport(), boxesOf(bob, id).at(0).rect, orange));
}

void tst_Attachments::screenshotOfAMessageWithAPicture()
{
    m_bob->chat()->sendMessage(m_general, QStringLiteral("How did the release go?"));
    const QString id =
        sendFiles(QStringLiteral("Smooth! Here is the dashboard, notes attached."),
                  {{QStringLiteral("dashboard.png"), NatterdFiles::pngBytes(800, 450)},
                   {QStringLiteral("release-notes.pdf"),
                    QByteArray("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
                               "trailer\n<<>>\n%%EOF\n")}});
    QVERIFY(!id.isEmpty());
    ChatWindow *win = m_alice->window();
    QTRY_VERIFY_WITH_TIMEOUT(boxesOf(win, id).size() == 2, 10000);
    win->messageView()->scrollToBottom();
    const QString fileId = boxesOf(win, id).at(0).file.value(QStringLiteral("id")).toString();
    QTRY_VERIFY_WITH_TIMEOUT(!win->attachments()->thumbnails()->thumbnail(fileId).isNull(), 10000);
    QTRY_VERIFY(paints(win->messageView()->viewport(), boxesOf(win, id).at(0).rect,
                       QColor(0x27, 0xae, 0x60)));
    // Written whole or not at all: a reader never sees half a picture.
    QSaveFile shot(m_shots + QStringLiteral("/chat-image-light.png"));
    QVERIFY(shot.open(QIODevice::WriteOnly));
    QVERIFY(win->grab().save(&shot, "PNG"));
    QVERIFY(shot.commit());
}

void tst_Attachments::runnableFilesAreNeverOpened_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("mime");
    QTest::addColumn<bool>("mayOpen");
    auto row = [](const char *tag, const char *name, const QByteArray &bytes, const char *mime,
                  bool mayOpen) {
        QTest::newRow(tag) << QString::fromLatin1(name) << bytes << QString::fromLatin1(mime)
                           << mayOpen;
    };
    row("text", "notes.txt", "hello\n", "text/plain", true);
    row("pdf", "a.pdf", "%PDF-1.4\n", "application/pdf", true);
    row("shell script", "run.sh", "#!/bin/sh\n", "application/x-shellscript", false);
    row("script named .txt", "run.txt", "#!/bin/sh\nrm -rf ~\n", "application/octet-stream", false);
    row("desktop file", "x.desktop", "[Desktop Entry]\nExec=x\n", "application/x-desktop", false);
    row("ELF", "tool",
        QByteArray("\x7f"
                   "ELF\x02\x01\x01",
                   7),
        "application/x-executable", false);
    row("python", "x.py", "print(1)\n", "text/x-python", false);
    row("windows program", "setup.exe", QByteArray("MZ\x90\x00", 4),
        "application/x-ms-dos-executable", false);
}

void tst_Attachments::runnableFilesAreNeverOpened()
{
    QFETCH(QString, name);
    QFETCH(QByteArray, bytes);
    QFETCH(QString, mime);
    QFETCH(bool, mayOpen);
    const QString path = m_dir.filePath(name);
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
    f.close();
    QCOMPARE(AttachmentController::mayOpen(path, mime), mayOpen);
}

QTEST_MAIN(tst_Attachments)
#include "tst_Attachments.moc"
