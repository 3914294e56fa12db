# Debian's PostgreSQL 15 in a throw-away directory, on a free loopback port. Sourced by bench/run.sh.
# PostgreSQL refuses to run as root: when the harness runs as root, the cluster belongs to "postgres".
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

as_postgres() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- sh -c "$1"; else sh -c "$1"; fi
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# pg_start DIR: initdb, the settings below, start; sets PGPORT, PGHOST, PGUSER, PGPASSWORD.
pg_start() {
    PGDIR=$1
    mkdir -p "$PGDIR"
    chmod a+rx "$(dirname "$PGDIR")" "$PGDIR"
    echo bench > "$PGDIR/pw"
    [ "$(id -u)" = 0 ] && chown -R postgres "$PGDIR"
    PGPORT=$(free_port)
    as_postgres "$PG_BIN/initdb -D $PGDIR/data -U postgres -A scram-sha-256 --pwfile=$PGDIR/pw -E UTF8 >$PGDIR/initdb.log 2>&1"
    # What an operator of a dedicated database server would set; never fsync=off or synchronous_commit=off:
    # an acknowledged allocation must survive a crash. PG_SETTINGS (one "name = value" per line) overrides.
    cat "$BENCH_DIR/postgresql.bench.conf" > "$PGDIR/extra.conf"
    [ -n "${PG_SETTINGS:-}" ] && printf '%s\n' "$PG_SETTINGS" >> "$PGDIR/extra.conf"
    cat "$PGDIR/extra.conf" >> "$PGDIR/data/postgresql.conf"
    [ "$(id -u)" = 0 ] && chown -R postgres "$PGDIR"
    as_postgres "$PG_BIN/pg_ctl -D $PGDIR/data -l $PGDIR/postgres.log -w -o \"-p $PGPORT -k $PGDIR -c listen_addresses=127.0.0.1\" start >/dev/null"
    export PGHOST=127.0.0.1 PGPORT PGUSER=postgres PGPASSWORD=bench
    psql -q -d postgres -c "CREATE DATABASE ipv6"
}

pg_stop() {
    [ -n "${PGDIR:-}" ] && [ -d "$PGDIR/data" ] && as_postgres "$PG_BIN/pg_ctl -D $PGDIR/data -m fast -w stop >/dev/null" || true
}
