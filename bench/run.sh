#!/usr/bin/env bash
# The benchmark of docs/performance.md, in one run: builds the service, starts its own PostgreSQL (Debian's 15) on
# loopback, runs the service against it, measures, and appends a dated section to BENCHMARKS.md.
# See bench/README.md. Options:
#   --quick        small sizes and short phases, for iteration (the section says so)
#   --no-build     use the existing server/target/ipv6-lifecycle.jar
#   --profile      record a JFR profile of the service (kept in the work directory, path printed)
#   --label TEXT   a title for the section, e.g. "after JDBC batching"
#   --no-write     print the section instead of appending it to BENCHMARKS.md
# Environment: SERVICE_JAVA_OPTS (extra JVM options for the service), SERVICE_ENV (extra VAR=value pairs for the
# service, space-separated), PG_SETTINGS (extra postgresql.conf lines), KEEP_WORK=1 (keep the work directory),
# SERVICE_JAR (another build of the service, e.g. a copy of an earlier one; implies --no-build),
# SEED_RESERVATIONS=0 (leave prefix_reservation out of the seeding: 2.5 minutes less, every seeded delegation a leak),
# REPLAY_TIMEOUT_S (stop waiting for the rebuild after this long and report the rate so far; 420 s, quick 120 s),
# SCALE_RESERVATIONS (live reservations seeded into one tenant before the scale phase; 10,000,000, quick 200,000),
# WARMUP_S (allocations at 16 clients before anything is measured; 120 s, quick 5 s),
# SCALE_SEED_TIMEOUT_S (start no new chunk of that seeding after this long, 1500 s; the figures say how many).
# AAA_USERS and AAA_S (subscribers and seconds of the RADIUS phase; 20000 and 20 s, quick 200 and 3 s),
# AAA_RATE (Access-Requests per second of the RADIUS phase's open-loop pass; 3000, the issue's rate),
# ONLY_AAA=1 (the RADIUS phase alone, on an empty database: for trying the phase out in seconds).
# ONLY_REBUILD=1 (seeding and the rebuild alone, after pgbench),
# ONLY_SEEDED=1 (seeding, the rebuild and the reads of the seeded data set: sweep, scrape, pool pages, attribution),
# ONLY_BULK=1 (the bulk phase alone, on an empty database; BULK_WARMUP_S seconds of bulk first, 2 s by default).
# ONLY_LIFECYCLE=1 (the warm-up's allocations, then the lifecycle phase over them, on an empty database).
# ONLY_SCALE=1 (the warm-up, 64 clients on an almost empty table, then the scale phase: for a 10,000,000 run alone).
set -euo pipefail

ARGS="$*"
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$BENCH_DIR")
QUICK=0 BUILD=1 PROFILE=0 WRITE=1 LABEL=""
while [ $# -gt 0 ]; do
    case $1 in
        --quick) QUICK=1 ;;
        --no-build) BUILD=0 ;;
        --profile) PROFILE=1 ;;
        --no-write) WRITE=0 ;;
        --label) LABEL=$2; shift ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
    shift
done

if [ $QUICK = 1 ]; then
    PGBENCH_S=5 WARMUP_S=5 ALLOC_S=5 LIFECYCLE_S=8 POOLS=10 PER_POOL=1000 BIG_POOL=20000 READ_S=3 REPLAY_TIMEOUT_S=${REPLAY_TIMEOUT_S:-120}
    SCALE_RESERVATIONS=${SCALE_RESERVATIONS:-200000} AAA_USERS=${AAA_USERS:-200} AAA_S=${AAA_S:-3}
else
    PGBENCH_S=20 WARMUP_S=${WARMUP_S:-120} ALLOC_S=20 LIFECYCLE_S=20 POOLS=100 PER_POOL=1000 BIG_POOL=1000000 READ_S=10 REPLAY_TIMEOUT_S=${REPLAY_TIMEOUT_S:-420}
    SCALE_RESERVATIONS=${SCALE_RESERVATIONS:-10000000} AAA_USERS=${AAA_USERS:-20000} AAA_S=${AAA_S:-20}
fi
AAA_RATE=${AAA_RATE:-3000}

command -v wrk > /dev/null || { echo "bench/run.sh needs wrk (Debian: apt-get install -y wrk)" >&2; exit 1; }
. "$BENCH_DIR/lib/postgres.sh"
. "$BENCH_DIR/lib/freeradius.sh"
WORK=$(mktemp -d /tmp/ipv6-bench.XXXXXX)
RESULTS=$WORK/results.txt
SERVICE_PID="" STUB_PID=""
cleanup() {
    radius_stop
    [ -n "$STUB_PID" ] && kill "$STUB_PID" 2>/dev/null && wait "$STUB_PID" 2>/dev/null || true
    [ -n "$SERVICE_PID" ] && kill "$SERVICE_PID" 2>/dev/null && wait "$SERVICE_PID" 2>/dev/null || true
    pg_stop
    if [ "${KEEP_WORK:-0}" = 1 ] || [ $PROFILE = 1 ]; then echo "work directory kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }
result() { echo "$1 $2" >> "$RESULTS"; }

JAR=${SERVICE_JAR:-$ROOT/server/target/ipv6-lifecycle.jar}
[ -n "${SERVICE_JAR:-}" ] && BUILD=0
if [ $BUILD = 1 ]; then
    log "building the service"
    (cd "$ROOT" && { mvn -q -o -DskipTests package -pl server -am || mvn -q -DskipTests package -pl server -am; })
fi
LOADGEN="java -XX:+UseSerialGC -Xss256k $BENCH_DIR/loadgen/LoadGen.java"
KEY=$(head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 48) # the service wants 32 to 512 characters

result started "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
result commit "$(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- . ':!BENCHMARKS.md' || echo '+changes')"
result quick $QUICK
result label "${LABEL:-}"
result cores "$(nproc)"
result cpu "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
result memory "$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
result jdk "$(java -version 2>&1 | head -n 1)"
result load_before "$(cut -d' ' -f1-3 /proc/loadavg)"

log "starting PostgreSQL in $WORK/pg"
pg_start "$WORK/pg"
result postgres "$(psql -d ipv6 -tAc 'SHOW server_version')"
result pg_settings "$(grep -v '^#' "$WORK/pg/extra.conf" | grep . | tr '\n' ';' | sed 's/;$//; s/;/; /g')"

# --- 1. pgbench: a single-row INSERT per transaction, on the same database, at 1 and 64 clients ------------
psql -q -d ipv6 -c "CREATE TABLE pgbench_single (id bigserial PRIMARY KEY, v int NOT NULL, at timestamptz NOT NULL DEFAULT now())"
printf '\\set v random(1, 1000000)\nINSERT INTO pgbench_single (v) VALUES (:v);\n' > "$WORK/insert.sql"
for c in 1 64; do
    log "pgbench, $c clients, ${PGBENCH_S}s"
    out=$("$PG_BIN/pgbench" -n -c $c -j $([ $c = 1 ] && echo 1 || echo 2) -T $PGBENCH_S -f "$WORK/insert.sql" ipv6 2>&1)
    tps=$(echo "$out" | sed -n 's/^tps = \([0-9.]*\) (without initial connection time)/\1/p')
    lat=$(echo "$out" | sed -n 's/^latency average = \([0-9.]*\) ms/\1/p')
    result "pgbench_c${c}_tps" "$tps"
    result "pgbench_c${c}_latency_avg_ms" "$lat"
done
psql -q -d ipv6 -c "DROP TABLE pgbench_single"

# --- the service -----------------------------------------------------------------------------------------
PORT=$(free_port)
BASE=http://127.0.0.1:$PORT
start_service() {
    local jfr=""
    [ $PROFILE = 1 ] && jfr="-XX:StartFlightRecording=filename=$WORK/service-$1.jfr,settings=profile,dumponexit=true"
    env SPRING_DATASOURCE_URL="jdbc:postgresql://127.0.0.1:$PGPORT/ipv6" SPRING_DATASOURCE_USERNAME=postgres \
        SPRING_DATASOURCE_PASSWORD=bench IPV6_ADMIN_API_KEY="$KEY" PORT=$PORT ${SERVICE_ENV:-} \
        java ${SERVICE_JAVA_OPTS:-} $jfr -jar "$JAR" > "$WORK/service-$1.log" 2>&1 &
    SERVICE_PID=$!
    for _ in $(seq 300); do
        curl -sf -H "Authorization: Bearer $KEY" "$BASE/actuator/health" > /dev/null 2>&1 && return 0
        kill -0 $SERVICE_PID 2>/dev/null || { tail -n 50 "$WORK/service-$1.log" >&2; exit 1; }
        sleep 1
    done
    echo "service did not start" >&2; exit 1
}
stop_service() {
    kill "$SERVICE_PID"; wait "$SERVICE_PID" 2>/dev/null || true; SERVICE_PID=""
}
api() { curl -sS -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' "$@"; }
loadgen() { $LOADGEN "$1" base=$BASE key=$KEY "${@:2}" | tee -a "$WORK/loadgen.txt"; }
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }

# --- RADIUS authorization (after 3): Access-Requests through a real FreeRADIUS with the shipped configuration
# FreeRADIUS (thread pool, not -X) calls the service through rlm_rest. A first pass over AAA_USERS new
# subscribers allocates on first sight; the measured passes ask for the same subscribers for AAA_S seconds each:
# closed loop at 64 clients (the most the path answers), then open loop at AAA_RATE a second (the latency a BNG
# sees at that rate). Then the same FreeRADIUS answers from a static rlm_rest stub: the ceiling of the path on
# this machine.
aaa_phase() {
    if [ ! -x /usr/sbin/freeradius ] || [ ! -f /usr/lib/freeradius/rlm_rest.so ]; then
        log "RADIUS phase skipped: apt-get install freeradius freeradius-rest"
        result radius "not installed"
        return
    fi
    local radload="java -XX:+UseSerialGC $BENCH_DIR/loadgen/RadiusLoad.java" key out phase
    api -X POST "$BASE/api/v1/pools" -d '{"name": "bench-aaa", "prefix": "3fff::/32", "delegatedLengths": [56], "defaultLength": 56, "allocateOnFirstSight": true}' > /dev/null
    key=$(api -X POST "$BASE/api/v1/admin/api-keys" -d '{"role": "aaa", "name": "bench"}' | grep -o '"key":"[^"]*"' | cut -d'"' -f4)
    result radius_users "$AAA_USERS"
    result radius_rate "$AAA_RATE"
    radius_start "$WORK/radius-service" "$BASE" "$key"
    for phase in first_sight service at_rate; do
        log "RADIUS through FreeRADIUS: $phase"
        case $phase in
            first_sight) out=$($radload port=$RADIUS_PORT secret=$RADIUS_SECRET clients=16 users=$AAA_USERS once=true) ;;
            service) out=$($radload port=$RADIUS_PORT secret=$RADIUS_SECRET clients=64 users=$AAA_USERS seconds=$AAA_S) ;;
            at_rate) out=$($radload port=$RADIUS_PORT secret=$RADIUS_SECRET clients=64 users=$AAA_USERS seconds=$AAA_S rate=$AAA_RATE) ;;
        esac
        echo "radius $phase $out" | tee -a "$WORK/loadgen.txt"
        for f in per_s p50_ms p99_ms requests with_prefix errors late; do result "radius_${phase}_$f" "$(field "$out" $f)"; done
    done
    radius_stop
    local stub_port
    stub_port=$(free_port)
    java -XX:+UseSerialGC "$BENCH_DIR/loadgen/RestStub.java" "$stub_port" > "$WORK/stub.log" 2>&1 &
    STUB_PID=$!
    for _ in $(seq 100); do grep -q listening "$WORK/stub.log" && break; sleep 0.2; done
    radius_start "$WORK/radius-stub" "http://127.0.0.1:$stub_port" "$key"
    log "RADIUS through FreeRADIUS: static stub"
    out=$($radload port=$RADIUS_PORT secret=$RADIUS_SECRET clients=64 users=$AAA_USERS seconds=$AAA_S)
    echo "radius stub $out" | tee -a "$WORK/loadgen.txt"
    for f in per_s p50_ms p99_ms requests with_prefix errors; do result "radius_stub_$f" "$(field "$out" $f)"; done
    radius_stop
    kill "$STUB_PID"; wait "$STUB_PID" 2>/dev/null || true; STUB_PID=""
}

# What one allocation costs PostgreSQL, whatever the machine's load: transactions and statements (everything
# the service ran, background work included) per allocation of the 1-client phase.
db_work() { psql -d ipv6 -tAc "SELECT (SELECT xact_commit FROM pg_stat_database WHERE datname = 'ipv6') || ' ' || (SELECT sum(calls) FROM pg_stat_statements WHERE query NOT ILIKE '%pg_stat%')"; }
# per_alloc NAME BEFORE AFTER N: transactions and statements per allocation between two db_work readings.
per_alloc() {
    result "alloc_$1_commits_per_alloc" "$(echo "scale=2; (${3% *} - ${2% *}) / $4" | bc)"
    result "alloc_$1_statements_per_alloc" "$(echo "scale=1; (${3#* } - ${2#* }) / $4" | bc)"
}
psql -q -d ipv6 -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements"
# --- 10. scale: SCALE_RESERVATIONS live /64 reservations in one pool of the tenant, then allocations there -----
# Written straight into the command side's tables while the service is stopped, in address order (as the best-fit
# allocator places them) and in chunks of a million, each timed: the constraint's cost per row as the table
# grows. The pool's free space becomes the rest of the /32, as maximal aligned blocks.
scale_phase() {
    start_service scale-setup
    SCALE_POOL=$(api -X POST "$BASE/api/v1/pools" -d '{"name": "bench-scale", "prefix": "2a02::/32", "delegatedLengths": [56, 64], "defaultLength": 56}' \
        | grep -o '"id":"[^"]*"' | head -n 1 | cut -d'"' -f4)
    stop_service
    log "seeding $SCALE_RESERVATIONS reservations into pool 2a02::/32"
    psql -q -d ipv6 -c "DELETE FROM free_block WHERE pool_id = '$SCALE_POOL'"
    chunk=1000000; seeded=0; chunk_us=""; seed_t0=$(date +%s)
    while [ $seeded -lt $SCALE_RESERVATIONS ]; do
        if [ $(( $(date +%s) - seed_t0 )) -gt "${SCALE_SEED_TIMEOUT_S:-1500}" ]; then
            log "  seeding stopped after ${SCALE_SEED_TIMEOUT_S:-1500}s at $seeded reservations"; break
        fi
        n=$(( SCALE_RESERVATIONS - seeded < chunk ? SCALE_RESERVATIONS - seeded : chunk ))
        t0=$(date +%s.%N)
        psql -q -d ipv6 -c "INSERT INTO prefix_reservation (tenant_id, pool_id, prefix, delegation_id, subscriber_id)
            SELECT 'default', '$SCALE_POOL', ('2a02:0:' || substr(h, 1, 4) || ':' || substr(h, 5, 4) || '::/64')::cidr,
                   gen_random_uuid(), 'scale-' || i
            FROM generate_series($seeded, $(( seeded + n - 1 ))) i, lpad(to_hex(i), 8, '0') h"
        us=$(echo "($(date +%s.%N) - $t0) * 1000000 / $n" | bc)
        chunk_us="$chunk_us${chunk_us:+,}$us"
        seeded=$(( seeded + n ))
        log "  $seeded reserved ($us us a row)"
    done
    python3 - "$seeded" "$SCALE_POOL" <<'PY' | psql -q -d ipv6
import sys
n, pool = int(sys.argv[1]), sys.argv[2]
x, end = n, 1 << 32  # in /64s of the /32
while x < end:
    k = 0
    while k < 32 and x % (1 << (k + 1)) == 0 and x + (1 << (k + 1)) <= end:
        k += 1
    print(f"INSERT INTO free_block (pool_id, prefix, length) VALUES ('{pool}', '2a02:0:{x >> 16:x}:{x & 0xffff:x}::/{64 - k}', {64 - k});")
    x += 1 << k
PY
    psql -q -d ipv6 -c "VACUUM ANALYZE prefix_reservation" -c "VACUUM ANALYZE free_block"
    result scale_reservations "$(psql -d ipv6 -tAc "SELECT count(*) FROM prefix_reservation WHERE tenant_id = 'default'")"
    result scale_seed_us_per_row "$chunk_us"
    start_service scale
    log "allocations at $seeded seeded reservations, 64 clients, ${ALLOC_S}s"
    loadgen allocate pool=$SCALE_POOL clients=16 seconds=$WARMUP_S warmup=0 > /dev/null
    before=$(db_work)
    out=$(loadgen allocate pool=$SCALE_POOL clients=64 seconds=$ALLOC_S warmup=2 ids=$WORK/ids-scale.txt)
    sleep 2
    per_alloc scale "$before" "$(db_work)" "$(wc -l < "$WORK/ids-scale.txt")"
    for f in per_s p50_ms p99_ms errors; do result "scale_$f" "$(field "$out" $f)"; done
    stop_service
}

# --- 3. lifecycle transitions: activate, suspend, resume, revoke, 64 clients, over $WORK/ids-lifecycle.txt ----
# From wrk (bench/wrk/lifecycle.lua), which keeps each delegation's steps in order: bench/loadgen's JVM client
# took a third of a core at 340 transitions/s. PostgreSQL's work is counted until the last revocation saga has
# ended (its network steps and completion come after the answer): the whole cost of a transition.
lifecycle_phase() {
    local before out f i TIMEFORMAT='%U %S'
    log "lifecycle transitions, 64 clients, wrk, ${LIFECYCLE_S}s"
    before=$(db_work)
    { time wrk -t2 -c64 -d${LIFECYCLE_S}s --timeout 10s -s "$BENCH_DIR/wrk/lifecycle.lua" "$BASE" \
        -- "$WORK/ids-lifecycle.txt" "$KEY" 2 > "$WORK/wrk-lifecycle.txt"; } 2> "$WORK/wrk-lifecycle-time.txt"
    out=$(grep '^mode=' "$WORK/wrk-lifecycle.txt"); echo "$out" >> "$WORK/loadgen.txt"
    for f in per_s p50_ms p99_ms errors delegations; do result "lifecycle_$f" "$(field "$out" $f)"; done
    result lifecycle_wrk_cpu_s "$(awk '{printf "%.1f", $1 + $2}' "$WORK/wrk-lifecycle-time.txt")"
    for i in $(seq 60); do
        [ "$(psql -d ipv6 -tAc "SELECT count(*) FROM saga_entry")" = 0 ] && break
        sleep 1
    done
    per_alloc lifecycle "$before" "$(db_work)" "$(field "$out" ok)"
}
# --- 4. bulk allocation: batches of 1,000 through POST /api/v1/delegations/bulk, one client (an import) --------
bulk_phase() {
    local pool before out f
    pool=$(api -X POST "$BASE/api/v1/pools" -d '{"name": "bench-bulk", "prefix": "2001:db9::/32", "delegatedLengths": [56, 64], "defaultLength": 64}' \
        | grep -o '"id":"[^"]*"' | head -n 1 | cut -d'"' -f4)
    log "bulk allocations, batches of 1000, 1 client, ${ALLOC_S}s"
    before=$(db_work)
    out=$(loadgen bulk pool=$pool clients=1 batch=1000 seconds=$ALLOC_S warmup=${BULK_WARMUP_S:-2})
    sleep 2
    per_alloc bulk "$before" "$(db_work)" "$(psql -d ipv6 -tAc "SELECT count(*) FROM prefix_reservation WHERE pool_id = '$pool'")"
    for f in per_s items item_errors batches_per_s p50_ms p99_ms batch_errors loadgen_cpu_s; do result "bulk_$f" "$(field "$out" $f)"; done
}

log "starting the service"
start_service live
touch "$WORK/loadgen.txt"
if [ "${ONLY_AAA:-0}" = 1 ]; then
    aaa_phase
    stop_service
    python3 "$BENCH_DIR/lib/report.py" "$RESULTS" "$WORK/loadgen.txt" "bench/run.sh $ARGS" | grep -i 'radius\|^##\|^| figure'
    exit 0
fi
if [ "${ONLY_BULK:-0}" = 1 ]; then
    bulk_phase
    stop_service
    python3 "$BENCH_DIR/lib/report.py" "$RESULTS" "$WORK/loadgen.txt" "bench/run.sh $ARGS" | grep -i 'bulk\|^##\|^| figure'
    exit 0
fi
POOL=$(api -X POST "$BASE/api/v1/pools" -d '{"name": "bench-live", "prefix": "2001:db8::/32", "delegatedLengths": [48, 56, 64], "defaultLength": 56}' \
    | grep -o '"id":"[^"]*"' | head -n 1 | cut -d'"' -f4)
if [ "${ONLY_SCALE:-0}" = 1 ]; then
    log "warm-up: allocations at 16 clients for ${WARMUP_S}s"
    loadgen allocate pool=$POOL clients=16 seconds=$WARMUP_S warmup=0 > /dev/null
    log "allocations, 64 clients, ${ALLOC_S}s (the rate on an almost empty table)"
    out=$(loadgen allocate pool=$POOL clients=64 seconds=$ALLOC_S warmup=2)
    for f in per_s p50_ms p99_ms errors loadgen_cpu_s; do result "alloc_c64_$f" "$(field "$out" $f)"; done
    stop_service
    scale_phase
    python3 "$BENCH_DIR/lib/report.py" "$RESULTS" "$WORK/loadgen.txt" "bench/run.sh $ARGS" | grep -i 'live reservations\|seeding\|^##\|^| figure'
    exit 0
fi
if [ "${ONLY_LIFECYCLE:-0}" = 1 ]; then
    log "warm-up: allocations at 16 clients for ${WARMUP_S}s"
    loadgen allocate pool=$POOL clients=16 seconds=$WARMUP_S warmup=0 ids=$WORK/ids-lifecycle.txt > /dev/null
    lifecycle_phase
    stop_service
    python3 "$BENCH_DIR/lib/report.py" "$RESULTS" "$WORK/loadgen.txt" "bench/run.sh $ARGS" | grep -i 'lifecycle\|^##\|^| figure'
    exit 0
fi

if [ "${ONLY_REBUILD:-0}" != 1 ] && [ "${ONLY_SEEDED:-0}" != 1 ]; then
# --- 2. allocations at 1, 16 and 64 clients; 4. read-side lag under the 64-client load ----------------------
# Long enough for the JIT: on two cores its compiler threads still used as much CPU as the request threads after
# 90 s of allocations (JFR's per-thread CPU, 2026-12-02), so a short warm-up measures the compiler. With the
# read-side probe, so that its reads are compiled too before the 64-client phase measures the lag with them.
log "warm-up: allocations at 16 clients for ${WARMUP_S}s"
loadgen allocate pool=$POOL clients=16 seconds=$WARMUP_S warmup=0 ids=$WORK/ids-warmup.txt lagProbe=true > /dev/null
for c in 1 16 64; do
    log "allocations, $c clients, ${ALLOC_S}s"
    before=$(db_work)
    out=$(loadgen allocate pool=$POOL clients=$c seconds=$ALLOC_S warmup=2 ids=$WORK/ids-$c.txt lagProbe=$([ $c = 64 ] && echo true || echo false))
    sleep 2 # the projections' batches of the last allocations
    per_alloc c$c "$before" "$(db_work)" "$(wc -l < "$WORK/ids-$c.txt")"
    for f in per_s p50_ms p99_ms errors loadgen_cpu_s; do result "alloc_c${c}_$f" "$(field "$out" $f)"; done
    if [ $c = 64 ]; then
        for f in lag_ok lag_errors lag_p50_ms lag_p99_ms lag_p99_first_half_ms lag_p99_second_half_ms; do result "$f" "$(field "$out" $f)"; done
    fi
done

# The same load from wrk, a C client that leaves the cores to the service (bench/wrk/allocate.lua); its CPU
# seconds are reported beside the figure.
log "allocations, 64 clients, wrk, ${ALLOC_S}s"
before=$(db_work)
TIMEFORMAT='%U %S'
{ time wrk -t2 -c64 -d${ALLOC_S}s --timeout 10s -s "$BENCH_DIR/wrk/allocate.lua" "$BASE" -- "$POOL" "$KEY" > "$WORK/wrk.txt"; } 2> "$WORK/wrk-time.txt"
sleep 2
out=$(grep '^mode=' "$WORK/wrk.txt"); echo "$out" >> "$WORK/loadgen.txt"
per_alloc wrk64 "$before" "$(db_work)" "$(field "$out" ok)"
for f in per_s p50_ms p99_ms errors socket_errors; do result "wrk64_$f" "$(field "$out" $f)"; done
result wrk64_cpu_s "$(awk '{printf "%.1f", $1 + $2}' "$WORK/wrk-time.txt")"

# --- what the capacity trend (the exhaustion forecast's history, V15) costs the allocations: the same
# 64-client load with delegation_view's trend triggers off, then on again, one after the other
trend_triggers() {
    psql -q -d ipv6 -c "ALTER TABLE delegation_view $1 TRIGGER capacity_trend_insert, $1 TRIGGER capacity_trend_update, $1 TRIGGER capacity_trend_delete"
}
for trend in off on; do
    trend_triggers "$([ $trend = off ] && echo DISABLE || echo ENABLE)"
    log "allocations, 64 clients, capacity trend $trend, ${ALLOC_S}s"
    out=$(loadgen allocate pool=$POOL clients=64 seconds=$ALLOC_S warmup=2)
    for f in per_s p99_ms; do result "trend_${trend}_$f" "$(field "$out" $f)"; done
done

# --- 3. lifecycle transitions: activate, suspend, resume, revoke, 64 clients --------------------------------
cat "$WORK"/ids-64.txt "$WORK"/ids-16.txt "$WORK"/ids-1.txt > "$WORK/ids-lifecycle.txt"
lifecycle_phase

bulk_phase
aaa_phase
fi
stop_service

# --- the large data set, written into the event store while the service is stopped -----------------------
log "seeding $POOLS pools ($BIG_POOL delegations in the first, $PER_POOL in each other) into the event store"
t0=$(date +%s.%N)
psql -q -d ipv6 -v pools=$POOLS -v per_pool=$PER_POOL -v big_pool=$BIG_POOL -v reservations=${SEED_RESERVATIONS:-1} -f "$BENCH_DIR/seed.sql"
result seed_reservations "${SEED_RESERVATIONS:-1}"
result seed_s "$(echo "$(date +%s.%N) - $t0" | bc)"
EVENTS=$(psql -d ipv6 -tAc "SELECT count(*) FROM domain_event_entry")
DELEGATIONS=$(psql -d ipv6 -tAc "SELECT count(DISTINCT aggregate_identifier) FROM domain_event_entry WHERE type = 'Delegation'")
result events "$EVENTS"
result delegations "$DELEGATIONS"

# --- 5. rebuilding every projection from the whole event store ---------------------------------------------
start_service seeded
log "replaying every projection over $EVENTS events"
t0=$(date +%s.%N)
for p in delegations pools assignment-history; do api -X POST -o /dev/null "$BASE/api/v1/admin/projections/$p/replay"; done
sleep 1
REPLAYED=$EVENTS
while :; do
    status=$(api "$BASE/api/v1/admin/projections")
    # done when no processor replays any more and every position reached the head
    if ! echo "$status" | grep -q '"replaying":true' && \
       [ "$(echo "$status" | grep -o '"progressPercent":[0-9.]*' | grep -vc ':100.0$')" = 0 ]; then break; fi
    if [ "$(echo "$(date +%s.%N) - $t0 > $REPLAY_TIMEOUT_S" | bc)" = 1 ]; then
        # Too slow to wait for: the rate so far, from the slowest processor's position (global index; the
        # sequence has increment 1, so it counts events up to a few gaps).
        REPLAYED=$(echo "$status" | grep -o '"position":[0-9-]*' | cut -d: -f2 | sort -n | head -n 1)
        result replay_stopped_after_s "$REPLAY_TIMEOUT_S"
        break
    fi
    sleep 0.5
done
elapsed=$(echo "$(date +%s.%N) - $t0" | bc)
result replay_s "$elapsed"
result replayed_events "$REPLAYED"
result replay_events_per_s "$(echo "$REPLAYED / $elapsed" | bc)"
result history_rows "$(psql -d ipv6 -tAc 'SELECT count(*) FROM assignment_history')"
result delegation_rows "$(psql -d ipv6 -tAc 'SELECT count(*) FROM delegation_view')"
result pools "$(psql -d ipv6 -tAc 'SELECT count(*) FROM pool_view')"
# Thirty days of capacity trend for every pool and length, as a pool that has served for a month has: the
# forecast in the pool pages below reads them. After the rebuild, which starts the trend afresh from the events.
psql -q -d ipv6 -c "INSERT INTO capacity_trend (pool_id, length, day, taken, returned)
    SELECT pool_id, length, day, 1000, 100 FROM pool_registry, unnest(delegated_lengths) AS length,
           generate_series(current_date - 30, current_date - 1, interval '1 day') AS day
    ON CONFLICT DO NOTHING"
sleep 6 # one gauge refresh after the replay

if [ "${ONLY_REBUILD:-0}" = 1 ]; then
    stop_service
    python3 "$BENCH_DIR/lib/report.py" "$RESULTS" "$WORK/loadgen.txt" "bench/run.sh $ARGS" | grep -i 'rebuild\|^##\|^| figure'
    exit 0
fi

# --- 6. the sweep --------------------------------------------------------------------------------------------
log "sweep"
code=$(api -o "$WORK/sweep.json" -w '%{http_code} %{time_total}' -X POST "$BASE/api/v1/maintenance/sweep")
if [ "${code%% *}" = 404 ]; then result sweep "not available in this build"; else
    result sweep "${code#* }s (HTTP ${code%% *}: $(cat "$WORK/sweep.json"))"; fi

# --- 7. the Prometheus scrape; 8. attribution queries; 9. heap ----------------------------------------------
# Each read is timed by wrk on one connection, one request after another, for READ_S seconds (bench/wrk/get.lua
# says why not by bench/loadgen).
read_pass() { # RESULT_PREFIX SCRIPT ARGUMENTS...; RESULT_PREFIX - for an unmeasured pass
    local prefix=$1 script=$2 out f v
    shift 2
    out=$(wrk -t1 -c1 -d${READ_S}s --timeout 10s -s "$BENCH_DIR/wrk/$script" "$BASE" -- "$@" | tail -n 1)
    [ "$prefix" = - ] && return 0
    echo "$out" >> "$WORK/loadgen.txt"
    for f in p50_ms p99_ms max_ms errors ok bytes found; do
        v=$(field "$out" $f)
        if [ -n "$v" ]; then result "${prefix}_$f" "$v"; fi
    done
}
AT=$(date -u +%Y-%m-%dT%H:%M:%SZ)
log "prometheus scrape"
read_pass prometheus get.lua /actuator/prometheus "$KEY"
log "pool pages"
BIG=$(psql -d ipv6 -tAc "SELECT pool_id FROM pool_view WHERE name = 'seed-0'")
# The service has just restarted for the rebuild: the same reads first, unmeasured, so that the figures are those
# of a running service and not of the JIT compiling their code paths.
ATTRIBUTION="$KEY $POOLS $PER_POOL $BIG_POOL $AT"
read_pass - get.lua /api/v1/pools/$BIG "$KEY"
read_pass - get.lua "/api/v1/pools?size=50" "$KEY"
read_pass - attribution.lua $ATTRIBUTION
read_pass pool_get get.lua /api/v1/pools/$BIG "$KEY"
read_pass pool_list get.lua "/api/v1/pools?size=50" "$KEY"
result pool_big_delegations "$(psql -d ipv6 -tAc "SELECT count(*) FROM delegation_view WHERE pool_id = '$BIG'")"
# The console's page of that pool with its map (aggregated blocks, never one per delegation), signed in as a
# browser is: the time curl takes for the whole page, 20 times.
COOKIES=$WORK/console-cookies
csrf=$(curl -sS -c "$COOKIES" -b "$COOKIES" "$BASE/console/sign-in" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -n 1)
curl -sS -o /dev/null -c "$COOKIES" -b "$COOKIES" --data-urlencode "apiKey=$KEY" --data-urlencode "_csrf=$csrf" "$BASE/console/sign-in"
for _ in $(seq 20); do curl -sS -o /dev/null -w '%{http_code} %{time_total}\n' -b "$COOKIES" "$BASE/console/pools/$BIG"; done > "$WORK/map.txt"
result console_map_ok "$(grep -c '^200 ' "$WORK/map.txt")"
result console_map_p50_ms "$(awk '{print $2 * 1000}' "$WORK/map.txt" | sort -n | sed -n '10p')"
result console_map_max_ms "$(awk '{print $2 * 1000}' "$WORK/map.txt" | sort -n | tail -n 1)"
log "attribution queries"
read_pass attribution attribution.lua $ATTRIBUTION
log "heap"
jcmd $SERVICE_PID GC.run > /dev/null
sleep 1
result heap_used_mb "$(jcmd $SERVICE_PID GC.heap_info | sed -n 's/.*used \([0-9]*\)K.*/\1/p' | head -n 1 | awk '{printf "%d", $1/1024}')"
result rss_mb "$(awk '/VmRSS/ {printf "%d", $2/1024}' /proc/$SERVICE_PID/status)"
result load_after "$(cut -d' ' -f1-3 /proc/loadavg)"
stop_service

[ "${ONLY_SEEDED:-0}" = 1 ] || scale_phase

cp "$WORK/loadgen.txt" "$WORK/raw.txt"
section=$(python3 "$BENCH_DIR/lib/report.py" "$RESULTS" "$WORK/loadgen.txt" "bench/run.sh $ARGS")
if [ $WRITE = 1 ]; then
    [ -f "$ROOT/BENCHMARKS.md" ] || printf '# Benchmarks\n\nMeasured by `bench/run.sh` (see bench/README.md) against the targets in docs/performance.md. Newest run last.\n' > "$ROOT/BENCHMARKS.md"
    printf '\n%s\n' "$section" >> "$ROOT/BENCHMARKS.md"
    log "appended to BENCHMARKS.md"
fi
echo "$section"
