#!/usr/bin/env bash
# Runs every Hustle test: the one command for developers and CI (.ci/run execs it).
#
#   ./test.sh                                     # everything
#   ./test.sh --filter FullyQualifiedName~Jobs    # extra args go to every `dotnet test`
#
# What it does, on a fresh Debian 12 (root, .NET SDK present):
#   1. installs only what is missing: postgresql-15, redis-server, chromium (apt);
#   2. starts a throwaway PostgreSQL 15 cluster and a Redis server on free 127.0.0.1 ports,
#      in a mktemp dir; both are stopped by their own PID and the dir removed on exit;
#   3. builds once (Debug), then runs `dotnet test --no-build` for every tests/*/*.csproj,
#      writing artifacts/test-results/<project>.trx, carrying on when a project fails;
#      tests/Hustle.Web.Tests runs twice: on SQLite, then on PostgreSQL;
#   4. prints the totals from the .trx files as the last line: `N passed, N failed`
#      (errors, timeouts, aborted runs count as failed; a project that crashed or left no
#      .trx counts at least 1 failed). Exits non-zero if anything failed or nothing ran.
#
# Environment given to the tests:
#   HUSTLE_TEST_POSTGRES       Npgsql connection string to the `postgres` database
#                              (superuser, trust auth; tests create their own databases)
#   HUSTLE_TEST_REDIS          host:port of the Redis server
#   HUSTLE_TEST_REDIS_PIDFILE  pidfile of that Redis (fault tests stop/restart it; a restarted
#                              server must write the same pidfile so it is stopped on exit)
#   HUSTLE_TEST_REDIS_SERVER   path of the redis-server binary
#   HUSTLE_TEST_CHROMIUM       path of the Chromium binary (Playwright ExecutablePath)
#   HUSTLE_TEST_PROVIDER       sqlite, or postgres for the second run of tests/Hustle.Web.Tests
#                              (artifacts/test-results/Hustle.Web.Tests.PostgreSQL.trx)
#
# Knobs (optional): HUSTLE_TEST_ROOT (folder holding Hustle.slnx and tests/, default: this
# script's folder), HUSTLE_TEST_HANG_TIMEOUT (per-test hang limit, default 10m).
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "${HUSTLE_TEST_ROOT:-$SCRIPT_DIR}" && pwd)
# shellcheck source=scripts/lib/services.sh
source "$SCRIPT_DIR/scripts/lib/services.sh"
cd "$ROOT"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
CONFIG=Debug
SOLUTION=Hustle.slnx
RESULTS=artifacts/test-results

say() { printf '[test.sh] %s\n' "$*"; }

summary_and_exit() { # summary_and_exit PASSED FAILED
    echo "$1 passed, $2 failed"
    if (($2 > 0 || $1 == 0)); then exit 1; fi
    exit 0
}

# ---- 1. packages ---------------------------------------------------------------------------
t_start=$(svc_now_ms)
svc_ensure_packages --chromium
t_pkgs=$(svc_now_ms)

# ---- 2. services ---------------------------------------------------------------------------
# System temp folder explicitly: the postgres user must be able to reach it.
SVC_DIR=$(mktemp -d /tmp/hustle-test.XXXXXX)
chmod 755 "$SVC_DIR"
mkdir "$SVC_DIR/pg" "$SVC_DIR/redis"

cleanup() {
    set +e
    svc_redis_stop "$SVC_DIR/redis/redis.pid"
    svc_pg_stop "$SVC_DIR/pg"
    rm -rf "$SVC_DIR"
}
# Long steps run as a background child in a process group of their own (setsid) + wait, so a
# signal interrupts the wait at once and the whole group (dotnet, vstest, testhost, browsers a
# test left behind) is stopped by its group id; then the EXIT trap stops the servers.
CHILD=
stop_group() { # stop_group PGID
    kill -TERM -- "-$1" 2>/dev/null || return 0
    local i
    for ((i = 0; i < 50; i++)); do
        kill -0 -- "-$1" 2>/dev/null || return 0
        sleep 0.1
    done
    kill -KILL -- "-$1" 2>/dev/null || true
}
run() {
    local rc=0
    setsid "$@" </dev/null &
    CHILD=$!
    wait "$CHILD" || rc=$?
    stop_group "$CHILD" # leftovers of this step, if any
    CHILD=
    return "$rc"
}
on_signal() {
    if [[ -n $CHILD ]]; then stop_group "$CHILD"; fi
    exit "$1"
}
trap cleanup EXIT
trap 'on_signal 130' INT
trap 'on_signal 143' TERM

svc_pg_start "$SVC_DIR/pg"
svc_redis_start "$SVC_DIR/redis"
t_svc=$(svc_now_ms)

export HUSTLE_TEST_POSTGRES=$SVC_PG_CONN
export HUSTLE_TEST_REDIS=127.0.0.1:$SVC_REDIS_PORT
export HUSTLE_TEST_REDIS_PIDFILE=$SVC_REDIS_PIDFILE
export HUSTLE_TEST_REDIS_SERVER=$SVC_REDIS_SERVER
export HUSTLE_TEST_CHROMIUM=$SVC_CHROMIUM

say "postgres 127.0.0.1:$SVC_PG_PORT (pid $SVC_PG_PID), redis 127.0.0.1:$SVC_REDIS_PORT (pid $SVC_REDIS_PID)"
say "overhead: install check $(((t_pkgs - t_start)))ms, services start $(((t_svc - t_pkgs)))ms"

# ---- 3. build + test -----------------------------------------------------------------------
shopt -s nullglob
projects=(tests/*/*.csproj)
shopt -u nullglob
if ((${#projects[@]} == 0)); then
    say "no test projects under $ROOT/tests"
    summary_and_exit 0 1
fi

build_ok=1
if [[ -f $SOLUTION ]]; then
    say "building $SOLUTION ($CONFIG)"
    run dotnet build "$SOLUTION" -c "$CONFIG" -nologo || build_ok=0
    for proj in "${projects[@]}"; do # a test project not (yet) in the solution is built on its own
        if ! grep -qF "${proj#tests/}" "$SOLUTION"; then
            say "$proj is not in $SOLUTION: building it separately"
            run dotnet build "$proj" -c "$CONFIG" -nologo || build_ok=0
        fi
    done
else
    say "no $SOLUTION: building each test project"
    for proj in "${projects[@]}"; do
        run dotnet build "$proj" -c "$CONFIG" -nologo || build_ok=0
    done
fi
if ((!build_ok)); then
    say "BUILD FAILED"
    summary_and_exit 0 1
fi
t_build=$(svc_now_ms)

rm -rf "$RESULTS"
mkdir -p "$RESULTS"
names=()
codes=()
times=()
test_project() { # test_project PROJ NAME [dotnet test args...]; env comes from the caller
    local proj=$1 name=$2 code=0 t0
    shift 2
    say "testing $name"
    t0=$(svc_now_ms)
    run dotnet test "$proj" --no-build -c "$CONFIG" -nologo \
        --logger "trx;LogFileName=$name.trx" --results-directory "$RESULTS" \
        --blame-hang-timeout "${HUSTLE_TEST_HANG_TIMEOUT:-10m}" --blame-hang-dump-type none \
        "$@" || code=$?
    names+=("$name")
    codes+=("$code")
    times+=($((($(svc_now_ms) - t0) / 1000)))
}
for proj in "${projects[@]}"; do
    name=$(basename "$proj" .csproj)
    HUSTLE_TEST_PROVIDER=sqlite test_project "$proj" "$name" "$@"
    # The integration suite runs a second time with every test app on its own PostgreSQL database.
    if [[ $name == Hustle.Web.Tests ]]; then
        HUSTLE_TEST_PROVIDER=postgres test_project "$proj" "$name.PostgreSQL" "$@"
    fi
done
t_test=$(svc_now_ms)

# ---- 4. totals from the .trx files ---------------------------------------------------------
counter() { # counter NAME COUNTERS_ELEMENT
    local v
    v=$(sed -n "s/.*[[:space:]]$1=\"\([0-9]*\)\".*/\1/p" <<<"$2")
    echo "${v:-0}"
}

total_passed=0
total_failed=0
echo
for i in "${!names[@]}"; do
    name=${names[$i]}
    code=${codes[$i]}
    trx=$RESULTS/$name.trx
    passed=0 failed=0 skipped=0 note=""
    if [[ -f $trx ]]; then
        counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n1 || true)
        passed=$(($(counter passed "$counters") + $(counter passedButRunAborted "$counters")))
        failed=$(($(counter failed "$counters") + $(counter error "$counters") + $(counter timeout "$counters") +
            $(counter aborted "$counters") + $(counter disconnected "$counters") + $(counter notRunnable "$counters")))
        skipped=$(($(counter total "$counters") - $(counter executed "$counters")))
        if ((code != 0 && failed == 0)); then
            failed=1
            note=" (dotnet test exited $code with no failed test: crash/abort counted as 1 failed)"
        fi
    else
        failed=1
        note=" (no .trx, dotnet test exited $code: counted as 1 failed)"
    fi
    printf '  %-40s %5d passed %5d failed %5d skipped %4ds%s\n' "$name" "$passed" "$failed" "$skipped" "${times[$i]}" "$note"
    total_passed=$((total_passed + passed))
    total_failed=$((total_failed + failed))
done
say "build $(((t_build - t_svc) / 1000))s, tests $(((t_test - t_build) / 1000))s; results in $RESULTS/"
summary_and_exit "$total_passed" "$total_failed"
