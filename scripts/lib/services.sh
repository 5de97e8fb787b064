# shellcheck shell=bash
# Shared helpers for throwaway PostgreSQL 15 + Redis servers bound to 127.0.0.1.
# Sourced by test.sh and scripts/dev-services.sh; not meant to be run directly.
#
#   svc_ensure_packages [--chromium]   install what is missing (apt), nothing else
#   svc_pg_start DIR                   init + start a cluster in DIR (mktemp dir); sets SVC_PG_*
#   svc_pg_stop DIR                    stop the cluster by its postmaster PID
#   svc_redis_start DIR                start redis-server with pidfile DIR/redis.pid; sets SVC_REDIS_*
#   svc_redis_stop PIDFILE             stop redis by the PID in its pidfile
#   svc_free_port                      print a free TCP port on 127.0.0.1
#
# Servers are always stopped by their own PID (never pkill/killall).

SVC_PG_BIN=${SVC_PG_BIN:-/usr/lib/postgresql/15/bin}
SVC_CHROMIUM=${SVC_CHROMIUM:-/usr/bin/chromium}

svc_log() { printf '[services] %s\n' "$*" >&2; }

svc_now_ms() { date +%s%3N; }

# True if process $1 exists and is not a zombie (an orphan may wait a moment to be reaped).
svc_alive() {
    local stat
    kill -0 "$1" 2>/dev/null || return 1
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    [[ ${stat:0:1} != Z ]]
}

# Installs only the packages whose binaries are missing; 'apt-get update' at most once.
svc_ensure_packages() {
    local want_chromium=0 need=() recommends=()
    [[ ${1:-} == --chromium ]] && want_chromium=1
    [[ -x $SVC_PG_BIN/initdb && -x $SVC_PG_BIN/pg_ctl ]] || need+=(postgresql-15)
    command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
    if ((want_chromium)); then
        [[ -x $SVC_CHROMIUM ]] || recommends+=(chromium)
    fi
    ((${#need[@]} + ${#recommends[@]})) || return 0

    if [[ $(id -u) -ne 0 ]]; then
        svc_log "missing packages (${need[*]} ${recommends[*]}) and not root: install them first"
        return 1
    fi
    local apt=(apt-get -o DPkg::Lock::Timeout=600 -o Acquire::Retries=3 -q)
    export DEBIAN_FRONTEND=noninteractive
    svc_log "installing: ${need[*]} ${recommends[*]}"
    "${apt[@]}" update >/dev/null
    if ((${#need[@]})); then
        "${apt[@]}" install -y --no-install-recommends "${need[@]}" >/dev/null
    fi
    if ((${#recommends[@]})); then
        # chromium with its recommended packages (fonts etc.), as ENV.md does
        "${apt[@]}" install -y "${recommends[@]}" >/dev/null
    fi
}

# True if something accepts connections on 127.0.0.1:$1.
svc_port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Prints a port in 20000..59999 that nothing listens on right now.
svc_free_port() {
    local port i
    for ((i = 0; i < 200; i++)); do
        port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
        if ! svc_port_in_use "$port"; then
            echo "$port"
            return 0
        fi
    done
    svc_log "no free port found"
    return 1
}

# svc_pg_start DIR [PORT]: DIR must be a fresh directory under the system temp folder.
# Sets SVC_PG_PORT, SVC_PG_PID, SVC_PG_DATA, SVC_PG_CONN.
svc_pg_start() {
    local dir=$1 want_port=${2:-} port attempt
    local data=$dir/pgdata
    chown postgres: "$dir"
    chmod 700 "$dir"
    runuser -u postgres -- "$SVC_PG_BIN/initdb" -D "$data" -U postgres --auth=trust \
        -E UTF8 --no-locale --no-sync >"$dir/initdb.log" 2>&1 || {
        cat "$dir/initdb.log" >&2
        return 1
    }
    for attempt in 1 2 3 4 5; do
        port=${want_port:-$(svc_free_port)}
        if runuser -u postgres -- "$SVC_PG_BIN/pg_ctl" -D "$data" -l "$dir/postgres.log" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
            start >/dev/null; then
            SVC_PG_PORT=$port
            SVC_PG_DATA=$data
            SVC_PG_PID=$(head -n1 "$data/postmaster.pid")
            SVC_PG_CONN="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
            return 0
        fi
        svc_log "postgres did not start on port $port (attempt $attempt)"
        tail -n 5 "$dir/postgres.log" >&2 || true
        [[ -n $want_port ]] && break
    done
    return 1
}

# svc_pg_stop DIR: stops the postmaster whose PID is in DIR/pgdata/postmaster.pid.
svc_pg_stop() {
    local dir=$1 data=$1/pgdata pid i
    [[ -f $data/postmaster.pid ]] || return 0
    pid=$(head -n1 "$data/postmaster.pid")
    [[ $pid =~ ^[0-9]+$ ]] || return 0
    kill -INT "$pid" 2>/dev/null || return 0 # fast shutdown
    for ((i = 0; i < 100; i++)); do
        svc_alive "$pid" || return 0
        sleep 0.1
    done
    kill -QUIT "$pid" 2>/dev/null || true # immediate shutdown
    for ((i = 0; i < 50; i++)); do
        svc_alive "$pid" || return 0
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
}

# svc_redis_start DIR [PORT]: sets SVC_REDIS_PORT, SVC_REDIS_PID, SVC_REDIS_PIDFILE, SVC_REDIS_SERVER.
svc_redis_start() {
    local dir=$1 want_port=${2:-} port attempt i pid
    SVC_REDIS_SERVER=$(command -v redis-server)
    SVC_REDIS_PIDFILE=$dir/redis.pid
    for attempt in 1 2 3 4 5; do
        port=${want_port:-$(svc_free_port)}
        rm -f "$SVC_REDIS_PIDFILE"
        "$SVC_REDIS_SERVER" --bind 127.0.0.1 --port "$port" --save '' --appendonly no \
            --daemonize yes --pidfile "$SVC_REDIS_PIDFILE" --dir "$dir" \
            --logfile "$dir/redis.log" || true
        # daemonize forks before binding: wait until *our* process answers on the port
        for ((i = 0; i < 100; i++)); do
            pid=$(cat "$SVC_REDIS_PIDFILE" 2>/dev/null || true)
            if [[ $pid =~ ^[0-9]+$ ]] && svc_alive "$pid"; then
                if svc_redis_ping "$port" && svc_redis_owns_port "$pid" "$port"; then
                    SVC_REDIS_PORT=$port
                    SVC_REDIS_PID=$pid
                    return 0
                fi
            elif ((i > 10)) && [[ -n $pid ]]; then
                break # our server died (port taken?)
            fi
            sleep 0.05
        done
        svc_log "redis did not start on port $port (attempt $attempt)"
        tail -n 5 "$dir/redis.log" >&2 || true
        [[ -n ${pid:-} && $pid =~ ^[0-9]+$ ]] && kill "$pid" 2>/dev/null || true
        [[ -n $want_port ]] && break
    done
    return 1
}

svc_redis_ping() {
    (
        exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
        printf 'PING\r\n' >&3
        IFS= read -r -t 2 reply <&3 || exit 1
        [[ $reply == +PONG* ]]
    ) 2>/dev/null
}

# True if the redis answering on $2 has process id $1 (guards against a foreign server).
svc_redis_owns_port() {
    (
        exec 3<>"/dev/tcp/127.0.0.1/$2" || exit 1
        printf 'INFO server\r\n' >&3
        while IFS= read -r -t 2 line <&3; do
            line=${line%$'\r'}
            if [[ $line == process_id:* ]]; then
                [[ ${line#process_id:} == "$1" ]]
                exit
            fi
        done
        exit 1
    ) 2>/dev/null
}

# svc_redis_stop PIDFILE: stops the redis whose PID is in PIDFILE (re-read: a test may restart it).
svc_redis_stop() {
    local pidfile=$1 pid i
    [[ -f $pidfile ]] || return 0
    pid=$(cat "$pidfile" 2>/dev/null || true)
    [[ $pid =~ ^[0-9]+$ ]] || return 0
    kill -TERM "$pid" 2>/dev/null || return 0
    for ((i = 0; i < 50; i++)); do
        svc_alive "$pid" || return 0
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
}
