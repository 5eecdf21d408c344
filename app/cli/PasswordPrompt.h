// Reads a password for natter-cli: from the terminal with echo switched off, or,
// when stdin is not a terminal (scripts, tests), the first line of stdin.
// Never from the command line or the environment, where other users and the
// shell history would see it.
#pragma once

#include <QString>

namespace Natter {

class PasswordPrompt
{
public:
    // `prompt` goes to stderr when reading from a terminal. Returns a null
    // QString when nothing could be read (end of input).
    static QString read(const QString &prompt);
    static bool stdinIsTerminal();
};

} // namespace Natter
