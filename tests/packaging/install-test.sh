#!/usr/bin/env bash
# Installs natter_*.deb and natterd_*.deb with apt-get, checks what landed where,
# runs the installed programs (a natterd on a free loopback port with a fresh
# data directory, and two natter-cli users exchanging a message through it),
# then removes and purges both packages and checks nothing is left.
#
# Changes the system: needs root (or password-less sudo). ctest runs it alone
# (RUN_SERIAL). Packages installed before the test are replaced, then removed.
# Usage: install-test.sh PKG_DIR
set -euo pipefail
dir=$(cd "$1" && pwd)

if [ "$(id -u)" -eq 0 ]; then
    sudo=()
elif sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
else
    echo "install-test: needs root or password-less sudo to install the packages" >&2
    exit 1
fi

shopt -s nullglob
client=("$dir"/natter_*.deb)
server=("$dir"/natterd_*.deb)
if [ "${#client[@]}" -ne 1 ] || [ "${#server[@]}" -ne 1 ]; then
    echo "install-test: want one natter_*.deb and one natterd_*.deb in $dir" >&2
    exit 1
fi

scratch=$(mktemp -d /tmp/natter-install-test.XXXXXX)
server_pid=
installed=0
fail() {
    echo "install-test: FAIL: $*" >&2
    exit 1
}
cleanup() {
    if [ -n "$server_pid" ]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    if [ "$installed" -eq 1 ]; then
        "${sudo[@]}" dpkg --purge natter natterd >/dev/null 2>&1 || true
    fi
    rm -rf "$scratch"
}
trap cleanup EXIT

for pkg in natter natterd; do
    if dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed'; then
        echo "install-test: note: $pkg was already installed; it is replaced and removed"
    fi
done

echo "== apt-get install"
installed=1
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends \
    -o DPkg::Lock::Timeout=120 "${client[0]}" "${server[0]}" >"$scratch/apt-install.log" 2>&1 \
    || { cat "$scratch/apt-install.log" >&2; fail "apt-get install"; }

echo "== installed files"
for f in /usr/bin/natter /usr/bin/natter-cli /usr/bin/natterd \
    /usr/share/applications/org.natter.Natter.desktop \
    /usr/share/metainfo/org.natter.Natter.metainfo.xml \
    /usr/share/icons/hicolor/scalable/apps/natter.svg \
    /usr/share/icons/hicolor/16x16/apps/natter.png \
    /usr/share/icons/hicolor/256x256/apps/natter.png \
    /usr/share/man/man1/natter.1.gz /usr/share/man/man1/natter-cli.1.gz \
    /usr/share/man/man8/natterd.8.gz \
    /usr/share/doc/natter/copyright /usr/share/doc/natterd/copyright \
    /lib/systemd/system/natterd.service /etc/natterd/natterd.conf; do
    [ -e "$f" ] || fail "missing after install: $f"
done
dpkg-query -W -f='${Conffiles}\n' natterd | grep -q '/etc/natterd/natterd.conf' \
    || fail "/etc/natterd/natterd.conf is not a conffile"
desktop-file-validate /usr/share/applications/org.natter.Natter.desktop \
    || fail "installed desktop file"
if command -v systemd-analyze >/dev/null; then
    systemd-analyze verify --man=no /lib/systemd/system/natterd.service \
        || fail "installed unit does not verify"
fi
# Installed, not enabled: nothing listens until the administrator says so.
if [ -e /etc/systemd/system/multi-user.target.wants/natterd.service ]; then
    fail "natterd.service was enabled by the package"
fi

echo "== --version"
version_client=$(/usr/bin/natter --version) || fail "natter --version"
version_cli=$(/usr/bin/natter-cli --version) || fail "natter-cli --version"
version_server=$(/usr/bin/natterd --version) || fail "natterd --version"
echo "$version_client / $version_cli / $version_server"
want=$(dpkg-query -W -f='${Version}' natter)
for v in "$version_client" "$version_cli" "$version_server"; do
    [[ "$v" == *"$want"* ]] || fail "version '$v' does not name the package version $want"
done

echo "== smoke: installed natterd and natter-cli"
# Run as an ordinary user would: own HOME and XDG dirs, nothing of root's.
export HOME=$scratch/home XDG_CONFIG_HOME=$scratch/config XDG_DATA_HOME=$scratch/data
export XDG_CACHE_HOME=$scratch/cache
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME"
data=$scratch/natterd-data
password=install-test-pass-1
for user in alice bob; do
    printf '%s\n%s\n' "$password" "$password" \
        | /usr/bin/natterd --data-dir "$data" user add "$user" >/dev/null \
        || fail "natterd user add $user"
done
/usr/bin/natterd --data-dir "$data" channel add general --members alice,bob >/dev/null \
    || fail "natterd channel add"

mkfifo "$scratch/server.out"
/usr/bin/natterd --data-dir "$data" --listen 127.0.0.1:0 \
    >"$scratch/server.out" 2>"$scratch/server.err" &
server_pid=$!
exec 3<"$scratch/server.out"
url=
# Blocks on the server's own output line; read -t bounds a server that never starts.
while IFS= read -r -t 30 line <&3; do
    if [[ "$line" =~ event=listening\ url=(http://127\.0\.0\.1:[0-9]+) ]]; then
        url=${BASH_REMATCH[1]}
        break
    fi
done
[ -n "$url" ] || { cat "$scratch/server.err" >&2; fail "natterd did not report listening"; }
# Keep draining stdout so the server never blocks on a full pipe.
cat <&3 >/dev/null &
echo "natterd listening on $url"
# The package pulls in natterd's allocator and the installed server runs on it
# (server/CMakeLists.txt: jemalloc, about a fifth of its CPU at load).
dpkg-query -W -f='${Depends}' natterd | grep -q 'libjemalloc2' \
    || fail "natterd's package does not depend on libjemalloc2"
grep -q 'libjemalloc' "/proc/$server_pid/maps" \
    || fail "the installed natterd does not run on jemalloc"

text="hello from the installed package $$"
# alice signs in as a person would and keeps the sign-in in the system keychain
# (the installed natter-cli, QtKeychain and libsecret against the Secret Service
# that scripts/test-session.sh provides); without one, --user for this command.
if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null \
    | grep -q 'boolean true'; then
    printf '%s\n' "$password" \
        | /usr/bin/natter-cli --server "$url" --profile install-test login alice \
        || fail "natter-cli login alice (keychain)"
    /usr/bin/natter-cli --profile install-test send general "$text" \
        || fail "natter-cli send with the kept sign-in"
    /usr/bin/natter-cli --profile install-test logout || fail "natter-cli logout"
else
    echo "no Secret Service on this bus: alice signs in with --user instead of login"
    printf '%s\n' "$password" \
        | /usr/bin/natter-cli --server "$url" --user alice send general "$text" \
        || fail "natter-cli send as alice"
fi
# bob: one command, one sign-in, nothing kept.
history=$(printf '%s\n' "$password" \
    | /usr/bin/natter-cli --server "$url" --user bob history general) \
    || fail "natter-cli history as bob"
echo "$history"
grep -qF "$text" <<<"$history" || fail "bob does not see alice's message"

kill -TERM "$server_pid"
wait "$server_pid" || fail "natterd did not exit cleanly on SIGTERM"
server_pid=
if grep -qF "$password" "$scratch/server.err"; then
    fail "natterd logged a password"
fi

echo "== apt-get remove"
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get remove -y -qq \
    -o DPkg::Lock::Timeout=120 natter natterd >"$scratch/apt-remove.log" 2>&1 \
    || { cat "$scratch/apt-remove.log" >&2; fail "remove"; }
for f in /usr/bin/natter /usr/bin/natter-cli /usr/bin/natterd \
    /lib/systemd/system/natterd.service /usr/share/applications/org.natter.Natter.desktop; do
    [ ! -e "$f" ] || fail "still there after remove: $f"
done
# A removed package keeps its conffile until purged (dpkg policy).
[ -e /etc/natterd/natterd.conf ] || fail "remove deleted the administrator's config"
# dpkg, not apt-get: the packages came from files, so apt knows no "natter" to purge.
"${sudo[@]}" dpkg --purge natter natterd >"$scratch/purge.log" 2>&1 \
    || { cat "$scratch/purge.log" >&2; fail "purge"; }
installed=0
[ ! -e /etc/natterd ] || fail "/etc/natterd left after purge"
for pkg in natter natterd; do
    if dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'installed'; then
        fail "$pkg still known to dpkg after purge"
    fi
done
echo "install-test: OK"
