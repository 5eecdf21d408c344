// Deletes uploads never attached to a message once they are older than the
// allowed age (§9: 24 h), every `interval`: their rows first (one ChatStore
// job, off the event loop on PostgreSQL), then, once that is committed, their
// bytes. The clock is a parameter so a test can move time.
// Owned by NatterServer.
#pragma once

#include <QDateTime>
#include <QObject>
#include <QTimer>

#include <functional>

namespace Natter::Server {

class ChatStore;
class FileRepository;

class FileSweeper : public QObject
{
    Q_OBJECT
public:
    using Clock = std::function<QDateTime()>;
    static constexpr qint64 kDefaultMaxAgeMs = 24 * 3600 * 1000;
    static constexpr int kBatch = 500;

    FileSweeper(ChatStore *store, FileRepository *files, qint64 maxAgeMs, Clock clock = {},
                QObject *parent = nullptr);
    // Sweeps every `intervalMs` from now on.
    void start(qint64 intervalMs);
    // One sweep now; `done` (if set) gets how many files it deleted (at most
    // kBatch per call), once their rows' removal is durable and their bytes gone.
    void sweep(std::function<void(int)> done = {});

private:
    ChatStore *m_store;
    FileRepository *m_files;
    qint64 m_maxAgeMs;
    Clock m_clock;
    QTimer m_timer;
};

} // namespace Natter::Server
