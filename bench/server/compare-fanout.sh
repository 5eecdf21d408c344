#!/bin/sh
# Fan-out before/after, side by side in one run (docs/benchmarks.md).
#
#   bench/server/compare-fanout.sh BEFORE_NATTERD AFTER_NATTERD [ROUNDS] [SECONDS]
#
# Runs `natterd-bench fanout --members 50 --rate 1000` against the two natterd
# binaries alternately (before, after, before, after, ...), because the host's
# speed drifts over minutes: alternating puts both under the same conditions.
# Prints every run's line, then per binary the median over the rounds of the
# delivery p99 and of natterd's CPU µs per message. Asserts nothing.
set -eu
before=$1
after=$2
rounds=${3:-5}
seconds=${4:-10}
bench=${NATTERD_BENCH:-$(dirname "$0")/../../build/bench/server/natterd-bench}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
i=1
while [ "$i" -le "$rounds" ]; do
    for which in before after; do
        if [ "$which" = before ]; then bin=$before; else bin=$after; fi
        line=$("$bench" fanout --natterd "$bin" --members 50 --rate 1000 --seconds "$seconds")
        echo "$which round=$i $line" | tee -a "$out"
    done
    i=$((i + 1))
done
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
field() { sed -n "s/^$1 .* $2=\([0-9.]*\).*/\1/p" "$out"; }
for which in before after; do
    printf '%s: rounds=%s median p99_ms=%s median natterd_cpu_us_per_msg=%s median p50_ms=%s\n' \
        "$which" "$rounds" "$(field "$which" p99 | median)" \
        "$(field "$which" natterd_cpu_us_per_msg | median)" "$(field "$which" latency_ms_p50 | median)"
done
