#!/usr/bin/env bash
# Throwaway PostgreSQL 15 + Redis on 127.0.0.1 for local (multi-node) experiments: the same
# servers test.sh starts, but they stay up until `stop`.
#
#   scripts/dev-services.sh start    # install what is missing, start both, print the env
#   scripts/dev-services.sh env      # print `export ...` lines: eval "$(scripts/dev-services.sh env)"
#   scripts/dev-services.sh stop     # stop both by their PIDs, remove the temp dir
#
# Ports are free ones picked at start, or HUSTLE_DEV_PG_PORT / HUSTLE_DEV_REDIS_PORT if set.
# State (ports, temp dir, pidfile) is kept in artifacts/dev-services.env in the repo.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
# shellcheck source=lib/services.sh
source "$SCRIPT_DIR/lib/services.sh"
STATE=$ROOT/artifacts/dev-services.env

print_env() {
    # shellcheck disable=SC1090
    source "$STATE"
    cat <<EOT
export HUSTLE_TEST_POSTGRES='Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres'
export HUSTLE_TEST_REDIS='127.0.0.1:$REDIS_PORT'
export HUSTLE_TEST_REDIS_PIDFILE='$REDIS_PIDFILE'
export HUSTLE_TEST_REDIS_SERVER='$REDIS_SERVER'
export HUSTLE_TEST_CHROMIUM='$SVC_CHROMIUM'
EOT
}

is_running() {
    [[ -f $STATE ]] || return 1
    # shellcheck disable=SC1090
    source "$STATE"
    [[ -f $SVC_DIR/pg/pgdata/postmaster.pid ]] && svc_alive "$(head -n1 "$SVC_DIR/pg/pgdata/postmaster.pid")"
}

cmd_start() {
    if is_running; then
        echo "already running (scripts/dev-services.sh stop first)" >&2
        print_env
        return 0
    fi
    svc_ensure_packages
    local t0 dir
    t0=$(svc_now_ms)
    dir=$(mktemp -d /tmp/hustle-dev.XXXXXX)
    chmod 755 "$dir"
    mkdir "$dir/pg" "$dir/redis"
    mkdir -p "$(dirname "$STATE")"
    # record the dir first so `stop` can clean up even if a start below fails
    printf 'SVC_DIR=%q\n' "$dir" >"$STATE"
    if ! svc_pg_start "$dir/pg" "${HUSTLE_DEV_PG_PORT:-}" || ! svc_redis_start "$dir/redis" "${HUSTLE_DEV_REDIS_PORT:-}"; then
        cmd_stop
        return 1
    fi
    {
        printf 'SVC_DIR=%q\n' "$dir"
        printf 'PG_PORT=%q\nREDIS_PORT=%q\n' "$SVC_PG_PORT" "$SVC_REDIS_PORT"
        printf 'REDIS_PIDFILE=%q\nREDIS_SERVER=%q\n' "$SVC_REDIS_PIDFILE" "$SVC_REDIS_SERVER"
    } >"$STATE"
    echo "started in $(($(svc_now_ms) - t0))ms: postgres 127.0.0.1:$SVC_PG_PORT (pid $SVC_PG_PID)," \
        "redis 127.0.0.1:$SVC_REDIS_PORT (pid $SVC_REDIS_PID); psql: psql -h 127.0.0.1 -p $SVC_PG_PORT -U postgres" >&2
    print_env
}

cmd_stop() {
    if [[ ! -f $STATE ]]; then
        echo "not running" >&2
        return 0
    fi
    # shellcheck disable=SC1090
    source "$STATE"
    svc_redis_stop "$SVC_DIR/redis/redis.pid"
    svc_pg_stop "$SVC_DIR/pg"
    case $SVC_DIR in /tmp/hustle-dev.*) rm -rf "$SVC_DIR" ;; esac
    rm -f "$STATE"
    echo "stopped" >&2
}

case ${1:-} in
start) cmd_start ;;
stop) cmd_stop ;;
env)
    if ! is_running; then
        echo "not running: scripts/dev-services.sh start" >&2
        exit 1
    fi
    print_env
    ;;
*)
    echo "usage: $0 start|stop|env" >&2
    exit 2
    ;;
esac
