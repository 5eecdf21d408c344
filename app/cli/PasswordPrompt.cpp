#include "PasswordPrompt.h"

#include <cstdio>
#include <string>

#include <termios.h>
#include <unistd.h>

namespace Natter {

bool PasswordPrompt::stdinIsTerminal()
{
    return ::isatty(STDIN_FILENO) == 1;
}

QString PasswordPrompt::read(const QString &prompt)
{
    const bool tty = stdinIsTerminal();
    termios saved{};
    if (tty) {
        // Echo off before the prompt shows: whatever is typed once it is visible
        // must not appear on screen (or be thrown away by the flush).
        ::tcgetattr(STDIN_FILENO, &saved);
        termios silent = saved;
        silent.c_lflag &= ~tcflag_t(ECHO);
        silent.c_lflag |= ECHONL;
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent);
        std::fputs(prompt.toLocal8Bit().constData(), stderr);
        std::fflush(stderr);
    }
    // Read byte by byte with read(2), not stdio: nothing past the first line is
    // consumed or buffered where it could linger.
    std::string line;
    bool gotAny = false;
    char c = 0;
    while (::read(STDIN_FILENO, &c, 1) == 1) {
        gotAny = true;
        if (c == '\n')
            break;
        line.push_back(c);
    }
    if (tty)
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    if (!line.empty() && line.back() == '\r')
        line.pop_back();
    if (!gotAny)
        return {};
    QString password = QString::fromUtf8(line.data(), qsizetype(line.size()));
    // Overwrite the copy we made; QString's own buffer is the caller's to drop.
    std::fill(line.begin(), line.end(), '\0');
    return password;
}

} // namespace Natter
