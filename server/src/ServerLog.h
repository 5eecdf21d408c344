// Structured one-line logs to stderr: `ts=... level=info cat=natter.server event=... k=v`.
//
// Installed once by main(). Every server log line goes through a named category
// and carries `event=` first; values are quoted when they contain spaces, and control
// characters are escaped as \xNN. Never
// pass a token, password or message text to these functions (a test greps the log).
#pragma once

#include <QLoggingCategory>
#include <QString>

Q_DECLARE_LOGGING_CATEGORY(lcServer)
Q_DECLARE_LOGGING_CATEGORY(lcServerHttp)
Q_DECLARE_LOGGING_CATEGORY(lcServerWs)
Q_DECLARE_LOGGING_CATEGORY(lcServerStore)
Q_DECLARE_LOGGING_CATEGORY(lcServerAuth)
Q_DECLARE_LOGGING_CATEGORY(lcServerFiles)

namespace Natter::Server {

class ServerLog
{
public:
    // Installs the message handler and sets the minimum level ("debug", "info",
    // "warning", "error").
    static void install(const QString &level);
    // A logfmt value: bare when safe, otherwise double-quoted with escapes. Use it
    // for every peer-controlled string (path, Origin, username, device name...).
    static QString value(const QString &raw);
    // `raw` with every control character (below 0x20, and DEL) written as \xNN,
    // so no peer can start a forged line or drive a terminal. The handler applies
    // it to every record; value() already has.
    static QString escapeControls(const QString &raw);
};

} // namespace Natter::Server
