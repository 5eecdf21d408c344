#!/bin/sh
# One node on SQLite, one node on PostgreSQL and three nodes (PostgreSQL + Redis)
# side by side in one run (issue 16, docs/benchmarks.md).
#
#   bench/server/compare-cluster.sh [ROUNDS] [SECONDS] [RATE]
#
# Runs `natterd-bench fanout --members 50 --rate RATE` in the three shapes
# alternately (sqlite, postgres, 3 nodes, sqlite, ...), because the host's speed
# drifts over minutes. Prints every run's line, then per shape the medians of
# deliveries/s, p50 and p99, natterd's CPU µs per message (all nodes) and
# PostgreSQL's commits/s and CPU µs per message. Asserts nothing.
set -eu
rounds=${1:-3}
seconds=${2:-10}
rate=${3:-1000}
bench=${NATTERD_BENCH:-$(dirname "$0")/../../build/bench/server/natterd-bench}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
i=1
while [ "$i" -le "$rounds" ]; do
    for shape in sqlite postgres nodes3; do
        case $shape in
        sqlite) args="--storage sqlite" ;;
        postgres) args="--storage postgres" ;;
        nodes3) args="--storage postgres --nodes 3" ;;
        esac
        # shellcheck disable=SC2086
        line=$("$bench" fanout $args --members 50 --rate "$rate" --seconds "$seconds")
        echo "$shape round=$i $line" | tee -a "$out"
    done
    i=$((i + 1))
done
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
field() { sed -n "s/^$1 .* $2=\([0-9.]*\).*/\1/p" "$out"; }
for shape in sqlite postgres nodes3; do
    printf '%s: rounds=%s deliveries_per_s=%s p50_ms=%s p99_ms=%s natterd_cpu_us_per_msg=%s pg_commits_per_s=%s pg_cpu_us_per_msg=%s\n' \
        "$shape" "$rounds" "$(field "$shape" deliveries_per_s | median)" \
        "$(field "$shape" latency_ms_p50 | median)" "$(field "$shape" p99 | median)" \
        "$(field "$shape" natterd_cpu_us_per_msg | median)" \
        "$(field "$shape" pg_commits_per_s | median)" "$(field "$shape" pg_cpu_us_per_msg | median)"
done
