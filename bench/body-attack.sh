#!/usr/bin/env bash
# The memory attack of issue 14 item 3, measured: concurrent oversized `POST /api/jobs` with an Idempotency-Key
# against a Release node of its own, reporting the node's resident memory (VmRSS from /proc) before, at its peak and
# after. Bounded: a fixed number of rounds, every curl with a time limit, the node stopped by its PID on exit.
#
#   bench/body-attack.sh [--src DIR] [--rounds 3] [--concurrency 24] [--mb 28] [--settle 10]
#
# --src is the repository to build and attack (default: this script's), so the same script measures another
# checkout, e.g. main: `git archive main | tar -x -C /tmp/hustle-main; bench/body-attack.sh --src /tmp/hustle-main`.
# Prints one line per round (answers by status, RSS) and a last line:
#   rss_before_mb=… rss_peak_mb=… rss_after_mb=… growth_after_mb=… answers=…
set -euo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
rounds=3 concurrency=24 mb=28 settle=10
while [[ $# -gt 0 ]]; do
  case $1 in
    --src) src=$(cd "$2" && pwd); shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --concurrency) concurrency=$2; shift 2 ;;
    --mb) mb=$2; shift 2 ;;
    --settle) settle=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

work=$(mktemp -d /tmp/hustle-attack-XXXXXX)
node_pid="" sampler_pid=""
cleanup() {
  [[ -n $sampler_pid ]] && kill "$sampler_pid" 2>/dev/null || true
  if [[ -n $node_pid ]]; then kill "$node_pid" 2>/dev/null || true; wait "$node_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

dotnet build -c Release "$src/src/Hustle.Web" -nologo -v q -o "$work/bin" >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$port
(cd "$work/bin" && exec dotnet Hustle.Web.dll --urls "$base" --ConnectionStrings:Hustle="Data Source=$work/hustle.db" \
  --Hustle:RunSweeps=false --Logging:LogLevel:Default=Warning >"$work/node.log" 2>&1) &
node_pid=$!
for _ in $(seq 1 120); do curl -fsS "$base/health" >/dev/null 2>&1 && break; sleep 0.5; done
curl -fsS "$base/health" >/dev/null || { echo "node did not start; log: $(tail -5 "$work/node.log")" >&2; exit 1; }
# The subshell execs dotnet, so $node_pid is the node itself.
rss() { awk '/^VmRSS:/ { printf "%d", $2 / 1024 }' "/proc/$node_pid/status"; }

# One user, and a few ordinary requests so the node is warm before "before" is taken.
email="attacker-$RANDOM@hustle.test" password=Correct-horse-9
curl -fsS -H 'Content-Type: application/json' -d "{\"email\":\"$email\",\"password\":\"$password\"}" "$base/api/auth/register" >/dev/null
token=$(curl -fsS -H 'Content-Type: application/json' -d "{\"email\":\"$email\",\"password\":\"$password\"}" "$base/api/auth/login" | jq -r .accessToken)
job='{"title":"Fix the sink","area":"Mission","location":"1 Valencia St","pricingType":"FLAT","amount":5000,"currency":"USD"'
for i in 1 2 3; do
  curl -fsS -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -H "Idempotency-Key: warm-$i" -d "$job}" "$base/api/jobs"
done

# A valid job whose description is $mb MB: everything the node would read, hash and keep.
{ printf '%s,"description":"' "$job"; head -c $((mb * 1024 * 1024)) /dev/zero | tr '\0' x; printf '"}'; } >"$work/body.json"

sleep 2
before=$(rss)
echo "$before" >"$work/peak"
( while kill -0 "$node_pid" 2>/dev/null; do
    now=$(rss 2>/dev/null || echo 0)
    (( now > $(cat "$work/peak") )) && echo "$now" >"$work/peak"
    sleep 0.1
  done ) &
sampler_pid=$!

echo "node pid $node_pid on $base; $concurrency concurrent ${mb} MB POST /api/jobs with Idempotency-Key, $rounds rounds; rss before ${before} MB"
: >"$work/answers"
for round in $(seq 1 "$rounds"); do
  senders=()
  for i in $(seq 1 "$concurrency"); do
    # No "Expect: 100-continue": an attacker sends the whole body whatever the server says.
    curl -sS -o /dev/null -w '%{http_code}\n' --max-time 120 -H 'Expect:' -H "Authorization: Bearer $token" \
      -H 'Content-Type: application/json' -H "Idempotency-Key: attack-$round-$i" --data-binary "@$work/body.json" \
      "$base/api/jobs" >>"$work/answers" 2>/dev/null &
    senders+=($!)
  done
  wait "${senders[@]}" || true
  echo "round $round: answers $(sort "$work/answers" | uniq -c | awk '{printf "%s×%s ", $1, $2}')rss $(rss) MB, peak $(cat "$work/peak") MB"
done

sleep "$settle"
after=$(rss)
peak=$(cat "$work/peak")
echo "rss_before_mb=$before rss_peak_mb=$peak rss_after_mb=$after growth_after_mb=$((after - before)) growth_peak_mb=$((peak - before)) answers=$(sort "$work/answers" | uniq -c | awk '{printf "%s×%s,", $1, $2}' | sed 's/,$//')"
