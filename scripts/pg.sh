#!/usr/bin/env bash
# A private PostgreSQL cluster for the demo and the tests, in a git-ignored
# folder of the project. It uses the PostgreSQL server binaries of the
# machine (Debian's `postgresql` package): no system service, no prior setup.
#
#   scripts/pg.sh start   start it (creating it on first use); prints nothing else
#   scripts/pg.sh stop    stop it
#   scripts/pg.sh status  exit 0 when it runs
#
# Settings (environment): FR_DUNNING_PGDATA (default .local/pgdata),
# FR_DUNNING_PGPORT (default 54329). Role `odoo`, trust auth on 127.0.0.1 only.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
PGDATA_DIR=${FR_DUNNING_PGDATA:-$here/.local/pgdata}
PGPORT=${FR_DUNNING_PGPORT:-54329}
LOG=${PGDATA_DIR%/*}/postgresql.log

find_bindir() {
    local d
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
    done
    if command -v pg_config >/dev/null 2>&1; then
        d=$(pg_config --bindir)
        [ -x "$d/initdb" ] && { echo "$d"; return 0; }
    fi
    return 1
}

BINDIR=$(find_bindir) || {
    echo "fr_dunning_addon: PostgreSQL server binaries (initdb, pg_ctl) not found." \
        "Install them with: apt-get install postgresql" >&2
    exit 3
}

# PostgreSQL refuses to run as root: run the cluster as `postgres` then.
if [ "$(id -u)" = 0 ]; then
    PGUSER_OS=${FR_DUNNING_PG_OS_USER:-postgres}
    as_pg() { runuser -u "$PGUSER_OS" -- "$@"; }
else
    as_pg() { "$@"; }
fi

running() { as_pg "$BINDIR/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1; }

case "${1:-}" in
start)
    mkdir -p "$PGDATA_DIR"
    if [ "$(id -u)" = 0 ]; then chown "$PGUSER_OS" "$PGDATA_DIR" "${PGDATA_DIR%/*}"; fi
    chmod 700 "$PGDATA_DIR"
    if [ ! -f "$PGDATA_DIR/PG_VERSION" ]; then
        as_pg "$BINDIR/initdb" -D "$PGDATA_DIR" -U odoo --auth=trust -E UTF8 \
            --locale=C.UTF-8 >"$LOG.init" 2>&1 || { cat "$LOG.init" >&2; exit 1; }
        {
            echo "listen_addresses = '127.0.0.1'"
            echo "port = $PGPORT"
            echo "unix_socket_directories = '$PGDATA_DIR'"
            echo "fsync = off"
            echo "synchronous_commit = off"
            echo "full_page_writes = off"
            echo "shared_buffers = 512MB"
            echo "work_mem = 32MB"
            echo "max_connections = 200"
        } >>"$PGDATA_DIR/postgresql.conf"
    fi
    if running; then exit 0; fi
    as_pg "$BINDIR/pg_ctl" -D "$PGDATA_DIR" -l "$LOG" -w -t 60 start >/dev/null || {
        tail -n 20 "$LOG" >&2
        exit 1
    }
    ;;
stop)
    if running; then as_pg "$BINDIR/pg_ctl" -D "$PGDATA_DIR" -m fast -w stop >/dev/null; fi
    ;;
status)
    running
    ;;
*)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
