#!/usr/bin/env bash
# Installs the Debian 12 packages Natter needs to build, test and run its demo.
# Idempotent and non-interactive: a no-op when everything is already installed.
set -euo pipefail

packages=(
    # build
    cmake ninja-build g++ pkg-config clang-format
    qt6-base-dev qt6-websockets-dev qt6-httpserver-dev qt6-tools-dev
    qt6-l10n-tools qt6-svg-dev libqt6sql6-sqlite qt6-qpa-plugins
    qtkeychain-qt6-dev libsodium-dev
    # generates the emoji name tables at build time (cmake/generate_emoji_names.py)
    python3
    # natterd's mention scanner parses Markdown with md4c (what Qt's Markdown uses)
    libmd4c-dev
    # natterd writes the message frame with RapidJSON's Writer (header-only)
    rapidjson-dev
    # natterd's allocator (docs/benchmarks.md, "jemalloc")
    libjemalloc-dev
    # natterd sets SQLite's process-wide options (store/sqlite/SqliteLibrary)
    libsqlite3-dev
    # headless test kit: private D-Bus, real Secret Service, virtual display
    xvfb xauth dbus dbus-x11 gnome-keyring libsecret-tools fonts-dejavu-core
    # a real notification daemon for the desktop notifications tests (tests/ui)
    dunst
    # the accessibility test walks the window over AT-SPI (at-spi2-core + pyatspi)
    at-spi2-core python3-pyatspi
    # the reaction picker's emoji names (emoji-test.txt, and CLDR's names and
    # keywords per language, turned into tables at build time) and a colour
    # emoji font for the screenshots
    unicode-data unicode-cldr-core fonts-noto-color-emoji
    # translations: Qt's own German/French strings (standard buttons, dialogs)
    qt6-translations-l10n
    # packages and their checks (tests/packaging): cpack's shlibdeps needs file
    # and dpkg-dev; systemd provides systemd-analyze (it is not started)
    dpkg-dev file desktop-file-utils appstream lintian systemd
    # the PostgreSQL storage backend (issue 16): Qt's QPSQL driver, and a
    # PostgreSQL 15 server the tests start in a temp dir (initdb + pg_ctl)
    libqt6sql6-psql postgresql
    # several nodes (issue 16): Redis between the nodes, its C client, and
    # redis-server/redis-cli for the throwaway Redis the multi-node tests start
    redis-server redis-tools libhiredis-dev
    # screen readers' side of the desktop tests (tests/ui/tst_ScreenReader): the
    # real AT-SPI accessibility bus (at-spi-bus-launcher) and registry
    # (at-spi2-registryd); the launcher reads its Status from these schemas
    at-spi2-core gsettings-desktop-schemas
    # WebP (§9's allow-list): Qt's WebP image plugin, for natterd's thumbnails
    # and the desktop's viewer
    qt6-image-formats-plugins
)

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$p")
    fi
done

if [ "${#missing[@]}" -eq 0 ]; then
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    sudo=sudo
else
    sudo=
fi

echo "Installing missing packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
