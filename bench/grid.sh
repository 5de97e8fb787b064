#!/usr/bin/env bash
# The runs behind docs/BENCHMARKS.md, one JSON line per run in bench/results/$STAMP.jsonl (with the load average at
# its start and end):
#   1. push over WebSockets, SQLite (the default node), every (users, rate) pair twice in a row;
#   2. PostgreSQL (the bench's own durable server) at 10 000 users, 50/s and 500/s, twice each;
#   3. SSE and long polling at 10 000 users, 50/s;
#   4. the polling baselines at 10 000 users: the feed every 15 s, and the seed's whole job list every 30 s;
#   5. 10 000 × 500 with the durability relaxed: SQLite synchronous=NORMAL, PostgreSQL synchronous_commit=off.
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
for rate in 50 500; do
  for run in 1 2; do bench --users 10000 --rate "$rate" --db postgres --label "$commit postgres run $run"; done
done
for transport in sse longpolling; do bench --users 10000 --rate 50 --transport "$transport" --label "$commit transport run 1"; done
for mode in poll poll-seed; do bench --users 10000 --rate 50 --mode "$mode" --label "$commit baseline run 1"; done
bench --users 10000 --rate 500 --sqlite-synchronous NORMAL --label "$commit relaxed run 1"
bench --users 10000 --rate 500 --db postgres --pg-synchronous-commit off --label "$commit relaxed run 1"
echo "results: $out"
