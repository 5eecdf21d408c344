#!/bin/sh
# natterd's instructions per fan-out delivery, counted by callgrind (docs/benchmarks.md,
# "Lighter and faster"). Instruction counts repeat within about 1 % on a busy host,
# where wall-clock CPU time does not.
#
#   bench/server/callgrind-fanout.sh NATTERD [MEMBERS] [RATE] [SECONDS]
#
# Runs `natterd-bench fanout` (default 50 members, 20 msg/s, 10 s: slow enough for
# natterd under callgrind) against NATTERD run by valgrind with instrumentation off;
# counts from the moment every member is connected until every delivery has
# arrived (NATTERD_BENCH_HOOK), so logins, hashing and start-up are not counted.
# Prints the bench line, the instructions per delivery and the top functions
# (inclusive). Keeps the callgrind file in KEEP_DIR if set. CALLGRIND_ARGS go to
# valgrind as they are, e.g. '--toggle-collect=*SqliteMessageStore::append*' to
# count one function and what it calls (the per-message figure is then that
# function's). Asserts nothing.
set -eu
natterd=$(realpath "$1")
members=${2:-50}
rate=${3:-20}
seconds=${4:-10}
bench=${NATTERD_BENCH:-$(dirname "$0")/../../build/bench/server/natterd-bench}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
# Only the serving natterd runs under valgrind, not the seeding admin commands.
cat >"$dir/natterd" <<WRAP
#!/bin/sh
case " \$* " in *" user "*|*" channel "*) exec "$natterd" "\$@" ;; esac
exec valgrind --tool=callgrind ${CALLGRIND_ARGS:-} --instr-atstart=no --callgrind-out-file=$dir/callgrind.out "$natterd" "\$@"
WRAP
cat >"$dir/hook" <<'HOOK'
#!/bin/sh
callgrind_control -i "$1" "$2" >/dev/null
HOOK
chmod +x "$dir/natterd" "$dir/hook"
line=$(NATTERD_BIN="$dir/natterd" NATTERD_BENCH_HOOK="$dir/hook" \
    "$bench" fanout --natterd "$dir/natterd" --members "$members" --rate "$rate" --seconds "$seconds" 2>/dev/null)
echo "$line"
# natterd writes the file when it exits (the bench stops it).
deliveries=$(echo "$line" | sed -n 's/.* total_deliveries=\([0-9]*\).*/\1/p')
sent=$(echo "$line" | sed -n 's/.* total_sent=\([0-9]*\).*/\1/p')
ir=$(callgrind_annotate "$dir/callgrind.out" 2>/dev/null | sed -n 's/^\([0-9,]*\) .*PROGRAM TOTALS.*/\1/p' | tr -d ,)
echo "instructions=$ir sent=$sent deliveries=$deliveries per_message=$((ir / sent)) per_delivery=$((ir / deliveries))"
callgrind_annotate --inclusive=yes "$dir/callgrind.out" 2>/dev/null | sed -n '/^Ir/,$p' | head -45 | cut -c1-180
if [ -n "${KEEP_DIR:-}" ]; then cp "$dir/callgrind.out" "$KEEP_DIR/"; fi
