// natter-cli's documented exit codes (also listed in `natter-cli --help`).
#pragma once

namespace Natter::CliExitCode {

constexpr int Ok = 0;
constexpr int Usage = 1; // bad command line
constexpr int AuthFailed = 2; // not signed in, wrong password, session expired
constexpr int Unreachable = 3; // server unreachable, TLS problem, timed out
constexpr int Refused = 4; // the server refused: rate limited, unknown channel, error

} // namespace Natter::CliExitCode
