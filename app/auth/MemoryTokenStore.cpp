#include "MemoryTokenStore.h"

#include <QTimer>

namespace Natter {

void MemoryTokenStore::read(const QString &key)
{
    const QString token = m_tokens.value(key);
    QTimer::singleShot(0, this, [this, key, token] { Q_EMIT readFinished(key, token); });
}

void MemoryTokenStore::write(const QString &key, const QString &token)
{
    m_tokens.insert(key, token);
    QTimer::singleShot(0, this, [this, key] { Q_EMIT written(key); });
}

void MemoryTokenStore::remove(const QString &key)
{
    m_tokens.remove(key);
    QTimer::singleShot(0, this, [this, key] { Q_EMIT removed(key); });
}

} // namespace Natter
