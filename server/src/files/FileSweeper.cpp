#include "files/FileSweeper.h"

#include "ServerLog.h"
#include "files/FileRepository.h"
#include "store/ChatStore.h"

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
    connect(&m_timer, &QTimer::timeout, this, &FileSweeper::sweep);
}

void FileSweeper::start(qint64 intervalMs)
{
    m_timer.start(int(qBound<qint64>(1, intervalMs, qint64(std::numeric_limits<int>::max()))));
}

int FileSweeper::sweep()
{
    const QDateTime cutoff = m_clock().addMSecs(-m_maxAgeMs);
    const auto found = m_store->unattachedBefore(cutoff, kBatch);
    if (!found || found->isEmpty())
        return 0;
    QStringList removed;
    for (const QString &id : *found) {
        if (m_store->removeFile(id))
            removed << id;
    }
    qCInfo(lcServerFiles).noquote().nospace()
        << "event=unattached_files_swept count=" << removed.size();
    // The bytes go only once no row can point at them any more.
    FileRepository *files = m_files;
    m_store->whenDurable([files, removed] { files->remove(removed); });
    return int(removed.size());
}

} // namespace Natter::Server
