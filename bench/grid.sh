#!/usr/bin/env bash
# The runs behind docs/BENCHMARKS.md, one JSON line per run in bench/results/$STAMP.jsonl (with the load average at
# its start and end):
#   1. push over WebSockets, SQLite (the default node), every (users, rate) pair twice in a row;
#   2. the same on PostgreSQL (the bench's own durable server) at 1 000 and 10 000 users;
#   3. 10 000 × 500 with the durability relaxed: SQLite synchronous=NORMAL, PostgreSQL synchronous_commit=off;
#   4. SSE and long polling at 1 000 and 10 000 users;
#   5. the polling baselines: the feed every 15 s, and the seed's whole job list every 30 s.
# Usage: bench/grid.sh [duration-seconds] [extra bench options...]   (the document's figures: bench/grid.sh 20 --idle 5)
# Take the figures on a quiet machine: the script prints the load average before every run.
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-30}
shift || true
stamp=$(date -u +%Y%m%dT%H%MZ)
out=bench/results/$stamp.jsonl
commit=$(git rev-parse --short HEAD)
dotnet build -c Release bench/Hustle.LoadTest -nologo -v q
bench() {
  echo "== $* (load $(cut -d' ' -f1-3 /proc/loadavg))"
  dotnet run -c Release --no-build --project bench/Hustle.LoadTest -- --duration "$duration" --results "$out" "$@" "${extra[@]}" | tail -8 || true
}
extra=("$@")
for users in 100 1000 5000 10000; do
  for rate in 50 200 500; do
    for run in 1 2; do bench --users "$users" --rate "$rate" --label "$commit sqlite run $run"; done
  done
done
for users in 1000 10000; do
  for rate in 50 200 500; do
    for run in 1 2; do bench --users "$users" --rate "$rate" --db postgres --label "$commit postgres run $run"; done
  done
done
for run in 1 2; do
  bench --users 10000 --rate 500 --sqlite-synchronous NORMAL --label "$commit relaxed run $run"
  bench --users 10000 --rate 500 --db postgres --pg-synchronous-commit off --label "$commit relaxed run $run"
done
for users in 1000 10000; do
  for transport in sse longpolling; do bench --users "$users" --rate 50 --transport "$transport" --label "$commit transport run 1"; done
  for mode in poll poll-seed; do bench --users "$users" --rate 50 --mode "$mode" --label "$commit baseline run 1"; done
done
echo "results: $out"
