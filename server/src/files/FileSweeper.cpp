#include "files/FileSweeper.h"

#include "ServerLog.h"
#include "files/FileRepository.h"
#include "store/ChatStore.h"

#include <QPointer>

#include <limits>

namespace Natter::Server {

FileSweeper::FileSweeper(ChatStore *store, FileRepository *files, qint64 maxAgeMs, Clock clock,
                         QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_files(files)
    , m_maxAgeMs(maxAgeMs)
    , m_clock(clock ? std::move(clock) : Clock([] { return QDateTime::currentDateTimeUtc(); }))
{
    connect(&m_timer, &QTimer::timeout, this, [this] { sweep(); });
}

void FileSweeper::start(qint64 intervalMs)
{
    m_timer.start(int(qBound<qint64>(1, intervalMs, qint64(std::numeric_limits<int>::max()))));
}

void FileSweeper::sweep(std::function<void(int)> done)
{
    const QDateTime cutoff = m_clock().addMSecs(-m_maxAgeMs);
    QPointer<FileSweeper> self(this);
    // The rows in one store job (issue 16: off the event loop on PostgreSQL).
    m_store->run(
        [cutoff](ChatStore &store) {
            QStringList removed;
            const auto found = store.unattachedBefore(cutoff, kBatch);
            if (!found)
                return removed;
            for (const QString &id : *found) {
                if (store.removeUnattachedFile(id, QString()))
                    removed << id;
            }
            return removed;
        },
        // Runs once the removals are committed: the bytes go only once no
        // row can point at them any more.
        [self, done](const QStringList &removed) {
            if (self && !removed.isEmpty()) {
                qCInfo(lcServerFiles).noquote().nospace()
                    << "event=unattached_files_swept count=" << removed.size();
                self->m_files->remove(removed);
            }
            if (done)
                done(int(removed.size()));
        });
}

} // namespace Natter::Server
