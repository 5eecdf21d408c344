// The one rule every HTTP client of a signed-in user follows (§1: access tokens
// are short-lived): a 401 asks the AccessTokenProvider for one refresh, then
// the request is made once more or given up. The clients (SearchClient,
// DirectoryClient, FileUploader, FileDownloader) call once() and keep no
// bookkeeping of their own. Not owned:
// the waiting object is a child of `context`.
#pragma once

#include <QString>

#include <functional>

class QObject;

namespace Natter {

class AccessTokenProvider;

class TokenRefresh
{
public:
    // Starts (or joins) a refresh of `tokens`; then exactly one of `refreshed`
    // and `failed` runs, once, unless `context` is gone or the returned object
    // was deleted first (deleting it forgets the answer, e.g. on cancel).
    static QObject *once(AccessTokenProvider *tokens, QObject *context,
                         std::function<void()> refreshed,
                         std::function<void(const QString &reason)> failed);
};

} // namespace Natter
