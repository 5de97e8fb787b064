#!/usr/bin/env bash
# The runs behind docs/BENCHMARKS.md: every (users, rate) pair twice in a row, push over WebSockets, then the polling
# baselines. Results go to bench/results/$STAMP.jsonl, one JSON line per run, with the load average at start and end.
# Usage: bench/grid.sh [duration-seconds] [extra bench options...]   (the document's figures: bench/grid.sh 20 --idle 5)
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-30}
shift || true
stamp=$(date -u +%Y%m%dT%H%MZ)
out=bench/results/$stamp.jsonl
dotnet build -c Release bench/Hustle.LoadTest -nologo -v q
bench() { dotnet run -c Release --no-build --project bench/Hustle.LoadTest -- --duration "$duration" --results "$out" "$@" | tail -8; }
for users in 100 1000 5000 10000; do
  for rate in 50 200 500; do
    for run in 1 2; do
      echo "== push users=$users rate=$rate run=$run (load $(cut -d' ' -f1-3 /proc/loadavg))"
      bench --users "$users" --rate "$rate" --label "grid run $run" "$@" || true
    done
  done
done
for users in 1000 10000; do
  for mode in poll poll-seed; do
    echo "== $mode users=$users rate=50 (load $(cut -d' ' -f1-3 /proc/loadavg))"
    bench --users "$users" --rate 50 --mode "$mode" --label "grid baseline" "$@" || true
  done
done
for run in 1 2; do
  echo "== push users=10000 rate=500 synchronous=NORMAL run=$run (load $(cut -d' ' -f1-3 /proc/loadavg))"
  bench --users 10000 --rate 500 --sqlite-synchronous NORMAL --label "grid normal run $run" "$@" || true
done
echo "results: $out"
