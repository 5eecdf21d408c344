#!/usr/bin/env bash
# Checks natterd.service: systemd-analyze verify (with ExecStart pointed at the
# freshly built natterd, since the packaged /usr/bin/natterd may not be
# installed), the hardening settings the issue asks for, an offline exposure
# score of at most 2.0, and a default config that listens on loopback only.
# Usage: check-unit.sh UNIT NATTERD_BIN CONFIG
set -euo pipefail
unit=$1 natterd=$2 config=$3

if ! command -v systemd-analyze >/dev/null; then
    echo "systemd-analyze is not installed (package systemd): cannot verify the unit" >&2
    exit 1
fi

status=0
for setting in 'DynamicUser=yes' 'StateDirectory=natterd' 'ProtectSystem=strict' \
    'ProtectHome=yes' 'NoNewPrivileges=yes' 'PrivateTmp=yes' 'PrivateDevices=yes' \
    'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX' 'SystemCallFilter=@system-service' \
    'CapabilityBoundingSet=' 'MemoryDenyWriteExecute=yes' 'LimitNOFILE=65536' \
    'ExecStart=/usr/bin/natterd --config /etc/natterd/natterd.conf --data-dir /var/lib/natterd'; do
    if ! grep -qxF "$setting" "$unit"; then
        echo "missing in $(basename "$unit"): $setting" >&2
        status=1
    fi
done

# The packaged default listens on loopback only and enables nothing public.
if ! grep -qE '^listen *= *127\.0\.0\.1:[0-9]+$' "$config"; then
    echo "$(basename "$config") must listen on 127.0.0.1 only" >&2
    status=1
fi

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
sed "s|^ExecStart=/usr/bin/natterd |ExecStart=$natterd |" "$unit" >"$scratch/natterd.service"
# --man=no: the man page is installed by the package, not present in a build tree.
if ! systemd-analyze verify --man=no "$scratch/natterd.service"; then
    echo "systemd-analyze verify failed" >&2
    status=1
fi
# Exposure 0 (locked down) .. 10 (unsafe); the unit scores about 1.5.
if ! systemd-analyze security --offline=yes --threshold=20 "$scratch/natterd.service" \
    >"$scratch/security.txt" 2>&1; then
    cat "$scratch/security.txt" >&2
    echo "the unit's exposure score is above 2.0" >&2
    status=1
fi
tail -n 1 "$scratch/security.txt"
[ "$status" -eq 0 ] && echo "natterd.service: verified"
exit "$status"
