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

bool TokenCleanup::sweep()
{
    const auto done = m_store->deleteExpiredRefreshTokens(QDateTime::currentDateTimeUtc());
    if (done.failed()) {
        qCWarning(lcServerAuth).noquote().nospace() << "event=token_cleanup_failed";
        return false;
    }
    return true;
}

} // namespace Natter::Server
