// natter-cli's command line, parsed: what to do, and for which profile,
// server and account. A plain value; CliRunner acts on it.
#pragma once

#include "CliChatTask.h"

#include <QString>
#include <QStringList>

namespace Natter {

class CliCommandLine
{
public:
    enum class Action { Run, Help, Version, UsageError };

    // `arguments` is argv, program name first.
    static CliCommandLine parse(const QStringList &arguments);
    // The --help text: commands, options, the no-keychain behaviour, exit codes.
    static QString helpText();

    Action action = Action::UsageError;
    QString error; // UsageError: a sentence for stderr
    QString command; // login, logout, channels, send, history, listen, edit, delete, react
    QStringList args; // the command's arguments
    QString server; // --server (empty: the remembered one)
    QString profile; // --profile (default "default")
    QString oneShotUser; // --user
    bool verbose = false;
    CliChatTask::Request request; // channels, send, history, listen
};

} // namespace Natter
