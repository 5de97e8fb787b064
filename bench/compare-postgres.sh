#!/usr/bin/env bash
# ../shared/perf/compare.sh with Hustle on PostgreSQL: the same side-by-side run (the peer on its SQLite, the same
# driver), Hustle's node and its seed-users both on a PostgreSQL 15 cluster of this script's own, started like the
# load benchmark's (bench/Hustle.LoadTest/PostgresServer.cs): initdb as the postgres user in a temporary folder, a free
# loopback port, the server's durable defaults (fsync, full_page_writes, synchronous_commit=on), stopped at the end.
#
#   bench/compare-postgres.sh                        # from the repository root; compare.sh's knobs pass through:
#   USERS=2000 RATE=500 DURATION=20 bench/compare-postgres.sh
#
# Why compare.sh alone cannot: it exports ConnectionStrings__Hustle for a SQLite file, and an environment variable is
# the strongest source it leaves open (only the command line beats it in ASP.NET Core's configuration); HUSTLE_SETTINGS
# reaches the node's command line but not the seed-users call, which would write the accounts (and the key ring their
# tokens are sealed with) into SQLite while the node reads PostgreSQL. So this script puts a `dotnet` first on PATH
# that sets ConnectionStrings__Hustle again, for PostgreSQL, in every dotnet process compare.sh starts, and exports
# Hustle__Database__Provider=PostgreSQL, which compare.sh leaves alone. Nothing of compare.sh changes.
#
# compare.sh counts the node's CPU only; the database's work is in other processes, so this script also prints
# PostgreSQL's CPU over the measured drive (postmaster, its backends, and those that exited) and the sum.
set -euo pipefail
cd "$(dirname "$0")/.."
compare=${HUSTLE_COMPARE:-../shared/perf/compare.sh}
bin=/usr/lib/postgresql/15/bin
[ -x "$bin/initdb" ] || { echo "PostgreSQL 15 is not installed: scripts/dev-services.sh start installs it"; exit 2; }
[ -f "$compare" ] || { echo "$compare not found: run from the repository root beside shared/, or set HUSTLE_COMPARE"; exit 2; }

cluster=$(mktemp -d /tmp/hustle-compare-pg.XXXXXX) # the postgres user cannot reach root's home
shim=$(mktemp -d -t hustle-compare-shim.XXXXXX)
stop() {
  [ -f "$cluster/data/postmaster.pid" ] && runuser -u postgres -- "$bin/pg_ctl" -D "$cluster/data" -m fast -w stop > /dev/null || true
  rm -rf "$cluster" "$shim"
}
trap stop EXIT
chown postgres: "$cluster"
port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
runuser -u postgres -- "$bin/initdb" -D "$cluster/data" -U postgres --auth=trust -E UTF8 --no-locale > "$cluster/initdb.log"
runuser -u postgres -- "$bin/pg_ctl" -D "$cluster/data" -l "$cluster/postgres.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $cluster -c max_connections=300 -c shared_buffers=256MB" start > /dev/null
runuser -u postgres -- "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres hustle
postmaster=$(head -1 "$cluster/data/postmaster.pid")
psql() { runuser -u postgres -- "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d hustle -Atc "$1"; }
echo "== PostgreSQL 15 on 127.0.0.1:$port, synchronous_commit=$(psql 'show synchronous_commit'), fsync=$(psql 'show fsync'); the peer stays on SQLite synchronous=${SYNC:-NORMAL}"

connection="Host=127.0.0.1;Port=$port;Username=postgres;Database=hustle;Maximum Pool Size=200"
cat > "$shim/dotnet" << EOF
#!/bin/sh
export ConnectionStrings__Hustle='$connection'
exec '$(command -v dotnet)' "\$@"
EOF
chmod +x "$shim/dotnet"
export Hustle__Database__Provider=PostgreSQL

# CPU seconds of the postmaster, its live backends, and the backends that exited (reaped into its children's time).
pgcpu() {
  python3 - "$postmaster" << 'EOF'
import os, sys
pm = sys.argv[1]
def stat(pid):
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()
total = 0
for pid in filter(str.isdigit, os.listdir("/proc")):
    try:
        f = stat(pid)
    except OSError:
        continue
    if pid == pm:
        total += sum(int(x) for x in f[11:15])
    elif f[1] == pm:
        total += int(f[11]) + int(f[12])
print(total / os.sysconf("SC_CLK_TCK"))
EOF
}

# drive.mjs prints its warm-up line just before the measured drive and its target= line after it (plus its 3 s wait,
# which it counts in the node's CPU too): the database's CPU is read at the same two moments.
hustle=0 pg0='' pgused='' nodecpu='' peercpu='' elapsed=''
while IFS= read -r line; do
  printf '%s\n' "$line"
  case "$line" in
    "== Hustle"*) hustle=1 ;;
    "warm-up "* | "connected "*) [ "$hustle" = 1 ] && pg0=$(pgcpu) ;;
    target=hustle*) pgused=$(python3 -c "print(round($(pgcpu) - $pg0, 2))") ;;
    "server CPU"*)
      share=$(printf '%s' "$line" | grep -oE '\(([0-9]+) % of one core' | grep -oE '[0-9]+')
      if [ "$hustle" = 1 ]; then
        nodecpu=$share elapsed=$(printf '%s' "$line" | grep -oE 'over [0-9.]+ s' | grep -oE '[0-9.]+')
      else
        peercpu=$share
      fi ;;
  esac
done < <(PATH="$shim:$PATH" bash "$compare" 2>&1)
wait $! || { status=$?; echo "compare.sh failed ($status)"; exit "$status"; }

echo "Hustle's rows in PostgreSQL: $(psql "select string_agg(relname || ' ' || n_live_tup, ', ' order by n_live_tup desc) from (select * from pg_stat_user_tables order by n_live_tup desc limit 6) t")"
if [ -n "$pgused" ] && [ -n "$nodecpu" ]; then
  python3 -c "
pg = 100 * $pgused / $elapsed; both = $nodecpu + pg; peer = ${peercpu:-0}
print(f'PostgreSQL CPU over the drive: $pgused s over $elapsed s ({pg:.0f} % of one core); Hustle + PostgreSQL {both:.0f} % of one core' + (f', {both / peer:.1f}x the peer ({peer} %)' if peer else ''))"
fi
