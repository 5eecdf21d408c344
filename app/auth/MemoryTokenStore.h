// A TokenStore that keeps tokens in this process only: the session ends with it.
// Used by tests and wherever persisting is not wanted; answers asynchronously,
// like the keychain, so callers cannot come to rely on a synchronous answer.
#pragma once

#include "TokenStore.h"

#include <QHash>

namespace Natter {

class MemoryTokenStore : public TokenStore
{
    Q_OBJECT
public:
    using TokenStore::TokenStore;

    void read(const QString &key) override;
    void write(const QString &key, const QString &token) override;
    void remove(const QString &key) override;

    // How many entries are held (for tests).
    qsizetype count() const { return m_tokens.size(); }

private:
    QHash<QString, QString> m_tokens;
};

} // namespace Natter
