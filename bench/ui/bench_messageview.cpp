// Benchmark: the message list at scale (issue: models and chat window).
//
//   build/bench/ui/bench_messageview [--messages N]
//
// Measures, and prints:
//  1. ingest: N messages into MessageListModel (wall time, RSS growth),
//  2. open from store: reading the newest 200 cached messages of a channel from
//     a real LocalStore SQLite file and showing them in a model,
//  3. scrolling: paint time per frame while scrolling a ChatWindow-style
//     QListView + MessageDelegate over all N messages (offscreen, 900x600),
//     reported as median, p95 and max.
//  4. markdown: rendering one 4,000-character message with a large fenced code
//     block (MessageFormatter into a SafeTextDocument, laid out at 700 px and
//     painted, as the delegate does for an uncached row), median and max of 50.
// Nothing is asserted: the numbers go to docs/benchmarks.md.
#include "chat/MessageDelegate.h"
#include "chat/MessageFormatter.h"
#include "chat/SafeTextDocument.h"
#include "models/MessageListModel.h"
#include "models/PresenceModel.h"
#include "store/LocalStore.h"

#include <QAbstractTextDocumentLayout>
#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QListView>
#include <QPainter>
#include <QScrollBar>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>

using namespace Natter;

namespace {

long rssKb()
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLong();
    }
    return -1;
}

QList<Message> makeMessages(int n)
{
    QList<Message> out;
    out.reserve(n);
    const QDateTime base = QDateTime::currentDateTimeUtc().addDays(-30);
    const QStringList authors{QStringLiteral("u-alice"), QStringLiteral("u-bob"),
                              QStringLiteral("u-carol")};
    for (int i = 1; i <= n; ++i) {
        Message m;
        m.id = QStringLiteral("m-%1").arg(i);
        m.channel = QStringLiteral("c-general");
        m.seq = i;
        m.author = authors.at((i / 3) % 3);
        m.text = (i % 7 == 0)
            ? QStringLiteral(
                  "A longer message number %1 that wraps over more than one line in a normal "
                  "window, with **bold**, `code` and a link https://natter.example/%1")
                  .arg(i)
            : QStringLiteral("Message %1").arg(i);
        m.ts = base.addSecs(i * 20);
        m.clientMsgId = QStringLiteral("cm-%1").arg(i);
        out.append(m);
    }
    return out;
}

double percentile(QList<double> v, double p)
{
    std::sort(v.begin(), v.end());
    return v.isEmpty() ? 0 : v.at(qMin(v.size() - 1, qsizetype(p * double(v.size()))));
}

} // namespace

int main(int argc, char *argv[])
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    int n = 100000;
    const QStringList args = app.arguments();
    const qsizetype at = args.indexOf(QStringLiteral("--messages"));
    if (at >= 0 && at + 1 < args.size())
        n = args.at(at + 1).toInt();

    PresenceModel users;
    users.setUsers({{QStringLiteral("u-alice"),
                     QStringLiteral("alice"),
                     QStringLiteral("Alice"),
                     PresenceStatus::Online,
                     {}},
                    {QStringLiteral("u-bob"),
                     QStringLiteral("bob"),
                     QStringLiteral("Bob"),
                     PresenceStatus::Online,
                     {}},
                    {QStringLiteral("u-carol"),
                     QStringLiteral("carol"),
                     QStringLiteral("Carol"),
                     PresenceStatus::Online,
                     {}}});
    const QList<Message> messages = makeMessages(n);

    // 1. Ingest.
    const long rssBefore = rssKb();
    QElapsedTimer t;
    t.start();
    auto *model =
        new MessageListModel(QStringLiteral("c-general"), QStringLiteral("u-alice"), &users);
    model->addMessages(messages);
    const double ingestMs = double(t.nsecsElapsed()) / 1e6;
    const long rssAfter = rssKb();
    std::printf("ingest: %d messages in %.1f ms; RSS %.1f MB total, +%.1f MB for the model\n", n,
                ingestMs, double(rssAfter) / 1024.0, double(rssAfter - rssBefore) / 1024.0);

    // 2. Open a channel from the local store.
    QTemporaryDir dir;
    {
        LocalStore store(dir.filePath(QStringLiteral("store.sqlite")));
        store.open();
        store.cacheMessages(messages.mid(messages.size() - 200));
    }
    t.restart();
    LocalStore store(dir.filePath(QStringLiteral("store.sqlite")));
    store.open();
    MessageListModel opened(QStringLiteral("c-general"), QStringLiteral("u-alice"), &users);
    opened.addMessages(store.cachedMessages(QStringLiteral("c-general"), 200));
    std::printf(
        "open from store: %lld rows shown in %.2f ms (cold open of the SQLite file included)\n",
        qlonglong(opened.rowCount()), double(t.nsecsElapsed()) / 1e6);

    // 3. Scrolling the full view.
    QListView view;
    auto *delegate = new MessageDelegate(&view);
    view.setItemDelegate(delegate);
    view.setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    // Single pass: the whole layout happens in setModel/show, so it can be timed
    // (the app uses batched layout, which spreads the same work over the event loop).
    view.setLayoutMode(QListView::SinglePass);
    view.resize(900, 600);
    t.restart();
    view.setModel(model);
    view.show();
    view.doItemsLayout();
    QScrollBar *bar = view.verticalScrollBar();
    std::printf("view layout of %d rows (every row height, first time): %.0f ms\n", n,
                double(t.elapsed()));

    QList<double> frames;
    const int steps = 400;
    const int stride = qMax(1, bar->maximum() / steps);
    QImage target(view.viewport()->size(), QImage::Format_ARGB32_Premultiplied);
    for (int i = 0; i < steps; ++i) {
        bar->setValue(qMin(bar->maximum(), i * stride));
        if (!view.indexAt(QPoint(20, 20)).isValid()) {
            std::printf("error: nothing in view at frame %d\n", i);
            return 1;
        }
        QElapsedTimer frame;
        frame.start();
        view.viewport()->render(&target);
        frames.append(double(frame.nsecsElapsed()) / 1e6);
    }
    // Then small steps, like a wheel scroll through one region.
    for (int i = 0; i < 200; ++i) {
        bar->setValue(bar->maximum() / 2 + i * 40);
        QElapsedTimer frame;
        frame.start();
        view.viewport()->render(&target);
        frames.append(double(frame.nsecsElapsed()) / 1e6);
    }
    const QList<double> jumps = frames.mid(0, steps);
    const QList<double> wheel = frames.mid(steps);
    std::printf("paint per frame, jumping through the whole channel (%lld frames): median %.2f ms, "
                "p95 %.2f ms, max %.2f ms\n",
                qlonglong(jumps.size()), percentile(jumps, 0.5), percentile(jumps, 0.95),
                percentile(jumps, 1.0));
    std::printf("paint per frame, wheel-scrolling in 40 px steps (%lld frames): median %.2f ms, "
                "p95 %.2f ms, max %.2f ms\n",
                qlonglong(wheel.size()), percentile(wheel, 0.5), percentile(wheel, 0.95),
                percentile(wheel, 1.0));
    // 4. One long Markdown message with a large code block.
    QString markdown = QStringLiteral(
        "**Release notes** for _this_ week, see https://natter.example/notes and `natterd`:\n\n"
        "> quoted line\n\n- one @bob\n- two ~~gone~~\n\n```cpp\n");
    for (int i = 0; markdown.size() < 3975; ++i)
        markdown += QStringLiteral("int value%1 = compute(%1, \"text\"); // @bob *no*\n").arg(i);
    markdown += QStringLiteral("```\nafter the code, *done*.");
    markdown.truncate(4000);
    QList<double> renders;
    QImage canvas(700, 4000, QImage::Format_ARGB32_Premultiplied);
    // Run 0 is a warm-up (the fixed-pitch font's first lookup); it is reported apart.
    for (int i = 0; i <= 50; ++i) {
        QElapsedTimer r;
        r.start();
        SafeTextDocument doc;
        doc.setDocumentMargin(0);
        MessageFormatter::render(&doc, markdown, QColor(Qt::blue));
        doc.setTextWidth(700);
        QPainter painter(&canvas);
        doc.documentLayout()->draw(&painter, {});
        painter.end();
        renders.append(double(r.nsecsElapsed()) / 1e6);
    }
    std::printf("markdown: one %lld-character message with a %lld-line code block, rendered, laid "
                "out and painted: first %.2f ms, then median %.2f ms, p95 %.2f ms, max %.2f ms "
                "(50 runs)\n",
                qlonglong(markdown.size()), qlonglong(markdown.count(QLatin1Char('\n'))),
                renders.first(), percentile(renders.mid(1), 0.5), percentile(renders.mid(1), 0.95),
                percentile(renders.mid(1), 1.0));
    std::printf("RSS at end: %.1f MB\n", double(rssKb()) / 1024.0);
    delete model;
    return 0;
}
