#!/bin/sh
# natterd's system calls, context switches and CPU per fan-out delivery
# (docs/benchmarks.md, "CPU per delivery and p99, session 8").
#
#   bench/server/syscalls-fanout.sh NATTERD [MEMBERS] [RATE] [SECONDS]
#
# Runs `natterd-bench fanout` (default 50 members, 1,000 msg/s, 10 s) and counts,
# from the moment every member is connected until every delivery has arrived
# (NATTERD_BENCH_HOOK), natterd's system calls with `perf stat` on the syscall
# tracepoints (counted in the kernel: nothing is slowed as under strace), and
# reads /proc/PID/stat (user and system CPU), /proc/PID/schedstat (time waiting
# for a CPU) and the context switches. System calls and switches per delivery do
# not depend on how busy the host is as long as natterd keeps up (they depend on
# how many messages share a turn, which is what batching changes); the CPU
# figures do and are an indication only. Environment passed to natterd as is
# (NATTERD_COMMIT_WINDOW_US, NATTERD_SLOW_TURN_MS, NATTERD_EVENT_DISPATCHER). Needs perf (linux-perf) and
# root or kernel.perf_event_paranoid <= 1 for the tracepoints. Asserts nothing.
set -eu
natterd=$(realpath "$1")
members=${2:-50}
rate=${3:-1000}
seconds=${4:-10}
bench=${NATTERD_BENCH:-$(dirname "$0")/../../build/bench/server/natterd-bench}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
events=raw_syscalls:sys_enter,syscalls:sys_enter_sendto,syscalls:sys_enter_recvfrom,syscalls:sys_enter_read,syscalls:sys_enter_write,syscalls:sys_enter_poll,syscalls:sys_enter_ppoll,syscalls:sys_enter_epoll_wait,syscalls:sys_enter_epoll_ctl,syscalls:sys_enter_futex,syscalls:sys_enter_pwrite64,syscalls:sys_enter_fdatasync,syscalls:sys_enter_fsync,context-switches
cat >"$dir/hook" <<HOOK
#!/bin/sh
# on PID / off PID
case "\$1" in
on)
    cut -d' ' -f14,15 /proc/\$2/stat >"$dir/stat-on"
    cat /proc/\$2/task/*/schedstat | awk '{r+=\$1; w+=\$2; n+=\$3} END {printf "%.0f %.0f %.0f\n", r, w, n}' >"$dir/sched-on"
    perf stat -x, -e $events -p \$2 -o "$dir/perf" >/dev/null 2>&1 &
    echo \$! >"$dir/perf.pid"
    sleep 0.3 ;;
off)
    kill -INT \$(cat "$dir/perf.pid")
    cut -d' ' -f14,15 /proc/\$2/stat >"$dir/stat-off"
    cat /proc/\$2/task/*/schedstat | awk '{r+=\$1; w+=\$2; n+=\$3} END {printf "%.0f %.0f %.0f\n", r, w, n}' >"$dir/sched-off"
    sleep 0.5 ;;
esac
HOOK
chmod +x "$dir/hook"
run=$natterd
if [ -n "${NATTERD_SLOW_TURN_MS:-}" ]; then
    # The slow-turn probe logs to natterd's stderr, which the bench drains: keep a copy.
    run=$dir/natterd
    cat >"$run" <<WRAP
#!/bin/bash
case " \$* " in *" user "*|*" channel "*) exec "$natterd" "\$@" ;; esac
exec "$natterd" "\$@" 2> >(tee -a "$dir/natterd.log" >&2)
WRAP
    chmod +x "$run"
fi
line=$(NATTERD_BIN="$run" NATTERD_BENCH_HOOK="$dir/hook" \
    "$bench" fanout --natterd "$run" --members "$members" --rate "$rate" --seconds "$seconds" 2>/dev/null)
echo "$line"
deliveries=$(echo "$line" | sed -n 's/.* total_deliveries=\([0-9]*\).*/\1/p')
sent=$(echo "$line" | sed -n 's/.* total_sent=\([0-9]*\).*/\1/p')
hz=$(getconf CLK_TCK)
read -r u0 s0 <"$dir/stat-on"
read -r u1 s1 <"$dir/stat-off"
read -r r0 w0 n0 <"$dir/sched-on"
read -r r1 w1 n1 <"$dir/sched-off"
awk -v d="$deliveries" -v m="$sent" -v hz="$hz" -v u=$((u1 - u0)) -v s=$((s1 - s0)) \
    -v run=$((r1 - r0)) -v wait=$((w1 - w0)) -v slices=$((n1 - n0)) 'BEGIN {
    printf "messages=%d deliveries=%d cpu_us_per_delivery=%.2f (user %.2f, system %.2f; schedstat run %.2f, waiting for a cpu %.2f; %d slices)\n",
        m, d, (u + s) * 1e6 / hz / d, u * 1e6 / hz / d, s * 1e6 / hz / d, run / 1e3 / d, wait / 1e3 / d, slices }'
# perf -x, lines: count,unit,event,...
awk -F, -v d="$deliveries" -v m="$sent" '$3 != "" && $1 ~ /^[0-9]+$/ {
    name = $3; sub(/^syscalls:sys_enter_/, "", name); sub(/^raw_syscalls:sys_enter/, "all_syscalls", name)
    if ($1 > 0) printf "  %-18s %10d  per message %8.2f  per delivery %6.3f\n", name, $1, $1 / m, $1 / d }' "$dir/perf"
if [ -n "${NATTERD_SLOW_TURN_MS:-}" ] && [ -f "$dir/natterd.log" ]; then
    echo "slow turns: $(grep -c 'event=slow_turn ' "$dir/natterd.log"), slow commits: $(grep -c 'event=slow_commit' "$dir/natterd.log"); the 15 longest:"
    grep -E 'event=slow_(turn|commit) ' "$dir/natterd.log" | sed 's/^ts=[^ ]* level=warning cat=[^ ]* //' |
        awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^(us|commit_us)=/) { split($i, a, "="); print a[2] "\t" $0 } }' |
        sort -rn | head -15 | cut -f2-
fi
