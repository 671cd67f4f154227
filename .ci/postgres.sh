#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 in a temporary directory on a free loopback port (sourced by .ci/run and
# the benchmarks). initdb and pg_ctl refuse root, so they run as the postgres user.
# After `pg_start`, DATABASE_URL points at it; `pg_stop` stops it and removes the directory.
# PG_SERVER_OPTIONS adds server settings (the benchmarks preload pg_stat_statements with it).

pg_bindir() {
  local dir
  dir="$(pg_config --bindir 2>/dev/null || true)"
  if [ ! -x "$dir/initdb" ]; then
    for candidate in /usr/lib/postgresql/*/bin; do [ -x "$candidate/initdb" ] && dir="$candidate"; done
  fi
  echo "$dir"
}

pg_ensure_installed() {
  if [ ! -x "$(pg_bindir)/initdb" ]; then
    echo "PostgreSQL server binaries missing; installing them" >&2
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
}

as_postgres() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

pg_start() {
  pg_ensure_installed
  local bindir; bindir="$(pg_bindir)"
  PG_TMP="$(mktemp -d /tmp/hub-pg.XXXXXX)"
  chmod 755 "$PG_TMP"
  if [ "$(id -u)" = "0" ]; then chown postgres: "$PG_TMP"; fi
  PG_PORT="$(pg_free_port)"
  as_postgres "$bindir/initdb" -D "$PG_TMP/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$PG_TMP/initdb.log" 2>&1 \
    || { cat "$PG_TMP/initdb.log" >&2; return 1; }
  as_postgres "$bindir/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/server.log" -w -t 60 \
    -o "-p $PG_PORT -h 127.0.0.1 -k $PG_TMP -c max_connections=200 -c shared_buffers=256MB ${PG_SERVER_OPTIONS:-}" start >/dev/null \
    || { cat "$PG_TMP/server.log" >&2; return 1; }
  export PG_TMP PG_PORT PG_BINDIR="$bindir"
  export DATABASE_URL="postgres://postgres@127.0.0.1:${PG_PORT}/postgres"
  echo "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:${PG_PORT} (data in $PG_TMP)"
}

pg_stop() {
  if [ -n "${PG_TMP:-}" ] && [ -d "$PG_TMP/data" ]; then
    as_postgres "$PG_BINDIR/pg_ctl" -D "$PG_TMP/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$PG_TMP"
  fi
}
