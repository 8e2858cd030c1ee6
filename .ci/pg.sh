#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: initdb + pg_ctl in a temp directory, on a free loopback port,
# with its unix socket in that directory too. Trust authentication on 127.0.0.1 only, so no password exists
# that could leak into a log.
#
# Two ways to use it:
#   source .ci/pg.sh && pg_start && trap pg_stop EXIT   # .ci/run: exports PASSFORGE_TEST_POSTGRES
#   bash .ci/pg.sh start [DIR]                           # development: prints the URL, leaves it running
#   bash .ci/pg.sh stop DIR                              # stops it and removes DIR
#
# Works on a fresh Debian machine run as root without stdin: it installs the server packages with apt-get when
# no PostgreSQL binaries are found, and runs the server as the unprivileged user "postgres" (initdb refuses
# root), creating that user if needed.

# pg_bindir prints the directory of the newest installed PostgreSQL server binaries, installing them if none.
pg_bindir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$dir" ] && command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
    dir=$(dirname "$(command -v pg_ctl)")
  fi
  if [ -z "$dir" ]; then
    echo "pg: no PostgreSQL server binaries found; installing them with apt-get" >&2
    if [ "$(id -u)" != 0 ]; then
      echo "pg: installing PostgreSQL needs root (apt-get install postgresql)" >&2
      return 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq </dev/null >&2 || return 1
    apt-get install -y -qq --no-install-recommends postgresql </dev/null >&2 || return 1
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    if [ -z "$dir" ]; then
      echo "pg: apt-get installed postgresql but no /usr/lib/postgresql/*/bin exists" >&2
      return 1
    fi
  fi
  echo "$dir"
}

# pg_as runs a command as the cluster's owner: "postgres" when we are root, ourselves otherwise.
# It runs from /, since the caller's directory may be closed to that user.
pg_as() {
  if [ "$(id -u)" = 0 ]; then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

# pg_port_free reports whether nothing listens on 127.0.0.1:$1.
pg_port_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# pg_start creates and starts a cluster in PG_DIR (a new temp dir when unset), creates the database
# "passforge" and exports PASSFORGE_TEST_POSTGRES, PG_DIR, PG_PORT and PG_BIN.
pg_start() {
  PG_BIN=$(pg_bindir) || return 1
  if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
    useradd --system --user-group --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin postgres || return 1
  fi
  if [ -z "${PG_DIR:-}" ]; then
    # In /tmp, not $TMPDIR: the server's user must be able to reach it.
    PG_DIR=$(mktemp -d /tmp/passforge-pg.XXXXXX) || return 1
  else
    mkdir -p "$PG_DIR" || return 1
  fi
  if [ "$(id -u)" = 0 ]; then
    chown postgres: "$PG_DIR" || return 1
  fi
  chmod 700 "$PG_DIR"
  if ! pg_as test -w "$PG_DIR"; then
    echo "pg: the server's user cannot write to $PG_DIR (a parent folder is closed to it); pick another PG_DIR" >&2
    return 1
  fi
  pg_as "$PG_BIN/initdb" --pgdata="$PG_DIR/data" --username=postgres --auth=trust --encoding=UTF8 \
    --locale=C --no-sync >"$PG_DIR/initdb.log" 2>&1 || {
    echo "pg: initdb failed:" >&2; cat "$PG_DIR/initdb.log" >&2; return 1
  }
  # Throwaway data: durability off (fsync, full-page writes) makes the tests faster and changes nothing
  # they check. Enough connections for several test packages running at once, each with its pools.
  local opts="-c listen_addresses=127.0.0.1 -c unix_socket_directories=$PG_DIR -c max_connections=500"
  opts="$opts -c fsync=${PG_FSYNC:-off} -c full_page_writes=${PG_FSYNC:-off} -c synchronous_commit=${PG_FSYNC:-off}"
  local try port started=""
  for try in 1 2 3 4 5 6 7 8 9 10; do
    port=$((20000 + RANDOM % 40000))
    pg_port_free "$port" || continue
    if pg_as "$PG_BIN/pg_ctl" --pgdata="$PG_DIR/data" --log="$PG_DIR/server.log" --wait --timeout=120 \
      --options="$opts -c port=$port" start >/dev/null 2>&1; then
      started=1
      break
    fi
    pg_as "$PG_BIN/pg_ctl" --pgdata="$PG_DIR/data" stop -m immediate >/dev/null 2>&1 || true
  done
  if [ -z "$started" ]; then
    echo "pg: the server did not start; its log:" >&2; cat "$PG_DIR/server.log" >&2 2>/dev/null; return 1
  fi
  PG_PORT=$port
  pg_as "$PG_BIN/psql" --host="$PG_DIR" --port="$port" --username=postgres --dbname=postgres --quiet \
    --no-psqlrc -v ON_ERROR_STOP=1 -c 'CREATE DATABASE passforge' >/dev/null || {
    echo "pg: CREATE DATABASE failed" >&2; return 1
  }
  PASSFORGE_TEST_POSTGRES="postgres://postgres@127.0.0.1:$port/passforge?sslmode=disable"
  export PASSFORGE_TEST_POSTGRES PG_DIR PG_PORT PG_BIN
}

# pg_stop stops the cluster in PG_DIR (or $1) and removes the directory.
pg_stop() {
  local dir=${1:-${PG_DIR:-}}
  [ -n "$dir" ] && [ -d "$dir" ] || return 0
  local bin=${PG_BIN:-}
  [ -n "$bin" ] || bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$bin" ] || bin=$(dirname "$(command -v pg_ctl)")
  if [ -f "$dir/data/postmaster.pid" ]; then
    pg_as "$bin/pg_ctl" --pgdata="$dir/data" --wait --timeout=60 stop -m fast >/dev/null 2>&1 ||
      pg_as "$bin/pg_ctl" --pgdata="$dir/data" stop -m immediate >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  case "${1:-}" in
  start)
    PG_DIR=${2:-}
    pg_start
    echo "$PASSFORGE_TEST_POSTGRES"
    echo "pg: cluster in $PG_DIR; stop it with: bash $0 stop $PG_DIR" >&2
    ;;
  stop)
    [ -n "${2:-}" ] || { echo "usage: $0 stop DIR" >&2; exit 2; }
    pg_stop "$2"
    ;;
  *)
    echo "usage: $0 start [DIR] | stop DIR" >&2
    exit 2
    ;;
  esac
fi
