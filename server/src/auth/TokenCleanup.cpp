#include "auth/TokenCleanup.h"

#include "ServerLog.h"
#include "store/ChatStore.h"

#include <QDateTime>

namespace Natter::Server {

TokenCleanup::TokenCleanup(ChatStore *store, QObject *parent)
    : QObject(parent)
    , m_store(store)
{
    connect(&m_timer, &QTimer::timeout, this, &TokenCleanup::sweep);
}

void TokenCleanup::start(qint64 intervalMs)
{
    m_timer.start(int(qBound<qint64>(1, intervalMs, 24LL * 3600 * 1000)));
}

void TokenCleanup::sweep()
{
    // A store job (issue 16: off the event loop on PostgreSQL).
    m_store->run([now = QDateTime::currentDateTimeUtc()](
                     ChatStore &store) { return !store.deleteExpiredRefreshTokens(now).failed(); },
                 [](bool ok) {
                     if (!ok)
                         qCWarning(lcServerAuth).noquote().nospace()
                             << "event=token_cleanup_failed";
                 });
}

} // namespace Natter::Server
