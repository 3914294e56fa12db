#!/usr/bin/env bash
# Fault harness (docs/operations.md, Several nodes): PostgreSQL and three service nodes on loopback,
# allocation and lifecycle load across all three, and meanwhile
#   1. a node killed with SIGKILL every 20 s and restarted, five times (nodes in turn);
#   2. the RADIUS peer (FreeRADIUS as the DAS) not answering for two minutes while revocations run;
#   3. PostgreSQL restarted once.
# Then it checks: no overlapping live prefixes, every acknowledged allocation in the event store, every
# saga finished (nothing left REVOKING), every projection equal to a fresh replay, no segment unclaimed.
# It prints PASS or FAIL per check (VOID for the replay check when the event store moved while it ran, so
# that it could not compare like with like) and exits non-zero on any FAIL or VOID.
#
#   bench/fault-run.sh            # builds the jar when missing; about 6 minutes
#
# Needs: JDK 17, Debian's PostgreSQL 15 server (/usr/lib/postgresql/15/bin, package postgresql-15),
# psql, FreeRADIUS 3 (/usr/sbin/freeradius), python3 (free ports). As root, PostgreSQL runs as "postgres".
# Everything listens on 127.0.0.1 only and is stopped at the end; the work directory (logs) is removed on
# PASS and kept on FAIL (KEEP=1 keeps it always).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR=$ROOT/server/target/ipv6-lifecycle.jar
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
FREERADIUS=${FREERADIUS:-/usr/sbin/freeradius}
NODES=3
# The load runs until the last fault has passed and the DAS answers again (at least this long).
LOAD_SECONDS=${LOAD_SECONDS:-150}
SEGMENTS=4  # ipv6.cluster.segments, the default of application.yml

for tool in java psql python3 "$PGBIN/pg_ctl" "$FREERADIUS"; do
    command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 2; }
done
if [ ! -f "$JAR" ]; then
    echo "building $JAR"
    (cd "$ROOT" && mvn -q -DskipTests package)
fi

WORK=$(mktemp -d /tmp/ipv6-fault.XXXXXX)
chmod 755 "$WORK"
START=$(date +%s)
log() { printf '[%4ss] %s\n' "$(( $(date +%s) - START ))" "$*"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
free_udp_port() { python3 -c 'import socket; s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
random_hex() { python3 -c 'import secrets; print(secrets.token_hex(16))'; }

as_postgres() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- sh -c "$1"; else sh -c "$1"; fi
}

# ---------------------------------------------------------------- PostgreSQL
PGPORT=$(free_port)
PGDATA=$WORK/pg/data
DB_USER=ipv6
DB_PASSWORD=$(random_hex)
SUPER_PASSWORD=$(random_hex)
mkdir -p "$WORK/pg"
echo "$SUPER_PASSWORD" > "$WORK/pg/pw"
[ "$(id -u)" = 0 ] && chown -R postgres "$WORK/pg"
as_postgres "$PGBIN/initdb -D $PGDATA -U postgres -A scram-sha-256 --pwfile=$WORK/pg/pw -E UTF8 >$WORK/pg/initdb.log"
pg_start() {
    as_postgres "$PGBIN/pg_ctl -D $PGDATA -l $WORK/pg/log -w -o \"-p $PGPORT -k $WORK/pg -c listen_addresses=127.0.0.1 -c max_connections=200\" start >/dev/null"
}
pg_start
PGPASSWORD=$SUPER_PASSWORD psql -q -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres \
    -c "CREATE ROLE $DB_USER LOGIN PASSWORD '$DB_PASSWORD'" -c "CREATE DATABASE ipv6 OWNER $DB_USER"
sql() { PGPASSWORD=$DB_PASSWORD psql -X -q -A -t -h 127.0.0.1 -p "$PGPORT" -U "$DB_USER" -d ipv6 -v ON_ERROR_STOP=1 "$@"; }
log "PostgreSQL 15 on 127.0.0.1:$PGPORT"

# ---------------------------------------------------------------- RADIUS DAS (FreeRADIUS, always ACK)
RADIUS_PORT=$(free_udp_port)
RADIUS_SECRET=$(random_hex)
mkdir -p "$WORK/radius"
cat > "$WORK/radius/radiusd.conf" <<EOF
prefix = /usr
exec_prefix = /usr
sysconfdir = /etc
localstatedir = /var
sbindir = /usr/sbin
logdir = $WORK/radius
raddbdir = $WORK/radius
radacctdir = $WORK/radius
confdir = $WORK/radius
run_dir = $WORK/radius
libdir = /usr/lib/freeradius
pidfile = $WORK/radius/radiusd.pid
max_request_time = 5
cleanup_delay = 2
max_requests = 4096
hostname_lookups = no
log {
    destination = stdout
    colourise = no
}
security {
    allow_core_dumps = no
    max_attributes = 200
    reject_delay = 0
    status_server = no
}
client loopback4 {
    ipaddr = 127.0.0.1
    secret = "$RADIUS_SECRET"
}
modules {
    always ok {
        rcode = ok
    }
}
server nas {
    listen {
        type = coa
        ipaddr = 127.0.0.1
        port = $RADIUS_PORT
    }
    recv-coa {
        update reply {
            Message-Authenticator := 0x00000000000000000000000000000000
        }
        ok
    }
    send-coa {
        ok
    }
}
EOF
# -f foreground, -l the log file (not -X: its debug output would slow every answer down).
"$FREERADIUS" -f -d "$WORK/radius" -l "$WORK/radius/radiusd.log" &
RADIUS_PID=$!

# ---------------------------------------------------------------- nodes
API_KEY=$(random_hex)
declare -a PORT PID
for i in $(seq 1 $NODES); do PORT[$i]=$(free_port); done

start_node() {
    local i=$1
    IPV6_ADMIN_API_KEY=$API_KEY java -Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar "$JAR" \
        --server.port="${PORT[$i]}" --server.address=127.0.0.1 \
        --spring.datasource.url="jdbc:postgresql://127.0.0.1:$PGPORT/ipv6" \
        --spring.datasource.username=$DB_USER --spring.datasource.password="$DB_PASSWORD" \
        --ipv6.node-id="node-$i" \
        --radius.dae.secret="$RADIUS_SECRET" --radius.dae.port="$RADIUS_PORT" \
        --radius.dae.timeout=PT0.5S --radius.dae.retries=1 \
        --ipv6.sagas.first-retry=PT1S --ipv6.sagas.max-retry=PT4S --ipv6.sagas.step-timeout=PT15S \
        --ipv6.sagas.activation-attempts=4 --ipv6.api.activation-wait=PT1S \
        --ipv6.scheduler.polling-interval=PT0.5S \
        --ipv6.scheduler.heartbeat-interval=PT2S --ipv6.scheduler.missed-heartbeats-limit=4 \
        --ipv6.sweep.cron=- \
        >>"$WORK/node-$i.log" 2>&1 &
    PID[$i]=$!
}
node_up() { curl -fs -o /dev/null -H "Authorization: Bearer $API_KEY" "http://127.0.0.1:${PORT[$1]}/actuator/health"; }
wait_up() {
    local i=$1 deadline=$(( $(date +%s) + 600 ))
    until node_up "$i"; do
        if [ "$(date +%s)" -gt "$deadline" ] || ! kill -0 "${PID[$i]}" 2>/dev/null; then
            log "node-$i did not start; tail of its log:"; tail -n 40 "$WORK/node-$i.log"; return 1
        fi
        sleep 1
    done
}

cleanup() {
    local status=$?
    for i in $(seq 1 $NODES); do [ -n "${PID[$i]:-}" ] && kill -9 "${PID[$i]}" 2>/dev/null || true; done
    [ -n "${LOAD_PID:-}" ] && kill "$LOAD_PID" 2>/dev/null || true
    [ -n "${RADIUS_TIMELINE:-}" ] && kill "$RADIUS_TIMELINE" 2>/dev/null || true
    [ -n "${PG_TIMELINE:-}" ] && kill "$PG_TIMELINE" 2>/dev/null || true
    [ -n "${RADIUS_PID:-}" ] && { kill -CONT "$RADIUS_PID" 2>/dev/null; kill "$RADIUS_PID" 2>/dev/null; } || true
    wait 2>/dev/null || true
    as_postgres "$PGBIN/pg_ctl -D $PGDATA -m immediate -w stop >/dev/null 2>&1" || true
    if [ "$status" = 0 ] && [ "${KEEP:-0}" != 1 ]; then rm -rf "$WORK"; else echo "logs kept in $WORK"; fi
}
trap cleanup EXIT
trap 'exit 143' TERM INT

# The first node creates the schema; the others follow.
start_node 1
wait_up 1
for i in $(seq 2 $NODES); do start_node "$i"; done
for i in $(seq 2 $NODES); do wait_up "$i"; done
log "nodes up: $(for i in $(seq 1 $NODES); do printf 'node-%s=127.0.0.1:%s ' "$i" "${PORT[$i]}"; done)"

api() { # method path [body] -> body; against node $NODE (default 1)
    curl -fsS -X "$1" -H "Authorization: Bearer $API_KEY" -H 'Content-Type: application/json' \
        "http://127.0.0.1:${PORT[${NODE:-1}]}$2" ${3:+-d "$3"}
}
POOL=$(api POST /api/v1/pools '{"name": "fault", "prefix": "2001:db8::/32", "delegatedLengths": [56, 64],
    "defaultLength": 56, "quarantine": "PT20S"}' | grep -o '"id":"[^"]*"' | head -n 1 | cut -d'"' -f4)

# ---------------------------------------------------------------- load and faults
BASES=""
for i in $(seq 1 $NODES); do BASES="$BASES http://127.0.0.1:${PORT[$i]}"; done
java "$ROOT/bench/fault/FaultLoad.java" "$WORK/stop" "$POOL" "$WORK/acknowledged.txt" "$API_KEY" $BASES \
    >"$WORK/load.log" 2>&1 &
LOAD_PID=$!
LOAD_START=$(date +%s)
at() { local wait=$(( LOAD_START + $1 - $(date +%s) )); [ "$wait" -gt 0 ] && sleep "$wait"; return 0; }
log "load started over $NODES nodes (pool $POOL)"

NEXT_VICTIM=1
up_count() { local n=0; for j in $(seq 1 $NODES); do node_up "$j" && n=$((n + 1)); done; echo $n; }
# Kills the next node in turn that is up. It waits up to 30 s for a second node to be up, so as not to
# kill the last one (a restart takes a while on a busy machine), then kills anyway.
kill_and_restart() {
    local i="" waited=0
    while [ -z "$i" ]; do
        if [ "$(up_count)" -ge 2 ] || [ "$waited" -ge 30 ]; then
            for k in $(seq 0 $(( NODES - 1 ))); do
                local candidate=$(( (NEXT_VICTIM - 1 + k) % NODES + 1 ))
                if node_up "$candidate"; then i=$candidate; break; fi
            done
        fi
        [ -z "$i" ] && { sleep 1; waited=$((waited + 1)); }
    done
    NEXT_VICTIM=$(( i % NODES + 1 ))
    kill -9 "${PID[$i]}"
    wait "${PID[$i]}" 2>/dev/null || true
    log "SIGKILL node-$i ($(up_count) of $NODES nodes still up); restarting it"
    start_node "$i"
}
# The DAS and PostgreSQL faults run on timelines of their own, so that late kills do not stretch them.
( at 15; kill -STOP "$RADIUS_PID"; log "RADIUS DAS stopped (SIGSTOP) for 120 s"
  sleep 120; kill -CONT "$RADIUS_PID"; log "RADIUS DAS answering again (SIGCONT)" ) &
RADIUS_TIMELINE=$!
( at 50; as_postgres "$PGBIN/pg_ctl -D $PGDATA -m fast -w restart -o \"-p $PGPORT -k $WORK/pg -c listen_addresses=127.0.0.1 -c max_connections=200\" >/dev/null"
  log "PostgreSQL restarted" ) &
PG_TIMELINE=$!
for second in 20 40 60 80 100; do at "$second"; kill_and_restart; done
wait "$RADIUS_TIMELINE" "$PG_TIMELINE"
at "$LOAD_SECONDS"; touch "$WORK/stop"
wait "$LOAD_PID" || true; LOAD_PID=""
log "$(cat "$WORK/load.log")"
for i in $(seq 1 $NODES); do wait_up "$i"; done
log "load finished; all nodes up"

# ---------------------------------------------------------------- checks
FAILED=0
check() { # name ok(0/1) detail
    if [ "$2" = 0 ]; then printf 'PASS  %-44s %s\n' "$1" "$3"; else printf 'FAIL  %-44s %s\n' "$1" "$3"; FAILED=1; fi
}
await() { # seconds command...: polls until the command succeeds
    local deadline=$(( $(date +%s) + $1 )); shift
    until "$@"; do [ "$(date +%s)" -gt "$deadline" ] && return 1; sleep 2; done
}

ACKED=$(wc -l < "$WORK/acknowledged.txt")
sql -c "CREATE TABLE fault_acknowledged (delegation_id TEXT PRIMARY KEY)" >/dev/null
sql -c "\\copy fault_acknowledged FROM '$WORK/acknowledged.txt'"
MISSING=$(sql -c "SELECT count(*) FROM fault_acknowledged a WHERE NOT EXISTS (SELECT 1 FROM domain_event_entry e
    WHERE e.aggregate_identifier = a.delegation_id AND e.payload_type = 'dev.ipv6lifecycle.api.delegation.PrefixAllocatedEvent')")

OVERLAP_RESERVED=$(sql -c "SELECT count(*) FROM prefix_reservation a JOIN prefix_reservation b
    ON a.tenant_id = b.tenant_id AND a.delegation_id < b.delegation_id AND a.prefix && b.prefix")

# Sagas settle: revocations retry until the DAS answers; activations finish or compensate.
revoking() { sql -c "SELECT count(*) FROM delegation_view WHERE state = 'REVOKING'"; }
sagas_left() { sql -c "SELECT count(*) FROM saga_entry"; }
settled() { [ "$(revoking)" = 0 ] && [ "$(sagas_left)" = 0 ]; }
# Long enough for db-scheduler's retry of a failed execution: a saga deadline that fires while PostgreSQL
# restarts fails and runs again 5 minutes later (db-scheduler's default for one-time tasks), and its saga
# only then goes on. A shorter wait failed a correct run. Settled sagas end the wait at once.
await 420 settled || true
log "sagas settled (or gave up waiting)"
REVOKING=$(revoking)
SAGAS=$(sagas_left)
UNFINISHED_REVOCATIONS=$(sql -c "SELECT count(DISTINCT aggregate_identifier) FROM domain_event_entry s
    WHERE s.payload_type = 'dev.ipv6lifecycle.api.delegation.PrefixRevocationStartedEvent'
    AND NOT EXISTS (SELECT 1 FROM domain_event_entry r WHERE r.aggregate_identifier = s.aggregate_identifier
                    AND r.payload_type = 'dev.ipv6lifecycle.api.delegation.PrefixRevokedEvent')")
REVOKED=$(sql -c "SELECT count(*) FROM domain_event_entry WHERE payload_type = 'dev.ipv6lifecycle.api.delegation.PrefixRevokedEvent'")
UNREACHABLE=$(sql -c "SELECT count(*) FROM domain_event_entry WHERE payload_type LIKE '%NetworkCallRecordedEvent'
    AND convert_from(payload, 'UTF8') LIKE '%UNREACHABLE%'")
OVERLAP_LIVE=$(sql -c "SELECT count(*) FROM delegation_view a JOIN delegation_view b
    ON a.tenant_id = b.tenant_id AND a.delegation_id < b.delegation_id AND a.prefix && b.prefix
    WHERE a.state IN ('ALLOCATED','ACTIVE','SUSPENDED','REVOKING') AND b.state IN ('ALLOCATED','ACTIVE','SUSPENDED','REVOKING')")
TWICE_ENDED=$(sql -c "SELECT count(*) FROM (SELECT aggregate_identifier FROM domain_event_entry
    WHERE payload_type = 'dev.ipv6lifecycle.api.delegation.PrefixQuarantineEndedEvent'
    GROUP BY aggregate_identifier HAVING count(*) > 1) twice")

# Every segment of every pooled processor claimed by a live node, none above its fair share.
LIVE_OWNERS="'node-1','node-2','node-3'"
SHARE=$(( (SEGMENTS + NODES - 1) / NODES ))
unclaimed() { sql -c "SELECT count(*) FROM token_entry WHERE owner IS NULL OR owner NOT IN ($LIVE_OWNERS)"; }
over_share() { sql -c "SELECT count(*) FROM (SELECT 1 FROM token_entry GROUP BY processor_name, owner HAVING count(*) > $SHARE) o"; }
claims_settled() { [ "$(unclaimed)" = 0 ] && [ "$(over_share)" = 0 ]; }
await 60 claims_settled || true
UNCLAIMED=$(unclaimed)
OVER_SHARE=$(over_share)
PROCESSORS=$(sql -c "SELECT count(DISTINCT processor_name) FROM token_entry")
SEGMENT_ROWS=$(sql -c "SELECT count(*) FROM token_entry")
CLAIMS=$(sql -c "SELECT string_agg(owner || '=' || n, ' ' ORDER BY owner) FROM (SELECT owner, count(*) n FROM token_entry GROUP BY owner) c")

# Projections against a fresh replay, at one event-store position. A replay is compared with the read side
# of the same events only, so nothing may be appended between the two fingerprints. The sagas have settled
# above, but quarantines (20 s here) keep ending for a while after the load, each with an event: a
# fingerprint taken meanwhile would be compared with a replay that saw more events, and a correct read side
# would look divergent. So the comparison starts once no db-scheduler execution (quarantine end, saga
# deadline) is due within the window it takes, and the event store's size and head are recorded before the
# first fingerprint and checked after the second. Had they moved, the comparison would prove nothing either
# way: that is reported as a harness problem (VOID), never as a divergence.
WINDOW_MINUTES=10
due_soon() { sql -c "SELECT count(*) FROM scheduled_tasks WHERE execution_time < now() + interval '$WINDOW_MINUTES minutes'"; }
quiet() { [ "$(due_soon)" = 0 ] && [ "$(sagas_left)" = 0 ]; }
await 180 quiet || log "still due within $WINDOW_MINUTES min: $(sql -c "SELECT string_agg(task_name || ' at ' || execution_time, ', ') FROM scheduled_tasks WHERE execution_time < now() + interval '$WINDOW_MINUTES minutes'"), sagas $(sagas_left)"
DUE=$(due_soon)
# The number of events and the highest global index: a transaction that took its index earlier but commits
# late adds an event below the head, which only the count shows.
event_store() { sql -c "SELECT count(*) || ' events, head ' || coalesce(max(global_index), 0) FROM domain_event_entry"; }
# Replaying needs every segment of a processor on one node, so the other nodes stop (gracefully, releasing
# their claims) and node-1 replays each projection.
TABLES="delegation_view pool_view assignment_history"
fingerprint() { for t in $TABLES; do printf '%s:%s ' "$t" "$(sql -c "SELECT count(*) || '/' || coalesce(md5(string_agg(x::text, E'\n' ORDER BY x::text)), '-') FROM $t x")"; done; }
for i in $(seq 2 $NODES); do kill -TERM "${PID[$i]}"; done
for i in $(seq 2 $NODES); do wait "${PID[$i]}" 2>/dev/null || true; PID[$i]=""; done
projections() { api GET /api/v1/admin/projections; }
caught_up() { # every projection on node-1: all segments, not replaying, at the head
    projections | python3 -c '
import json, sys
status = json.load(sys.stdin)
sys.exit(0 if len(status) == 3 and all(p["segments"] == '$SEGMENTS' and not p["replaying"] and p["position"] == p["head"] for p in status) else 1)'
}
STORE_BEFORE=$(event_store)
await 90 caught_up || log "projections did not catch up: $(projections)"
BEFORE=$(fingerprint)
# The replay endpoint resets the tokens before it answers, so caught_up holds again only once the replay has
# reached the head.
for name in delegations pools assignment-history; do api POST "/api/v1/admin/projections/$name/replay" >/dev/null; done
await 120 caught_up || log "replay did not finish: $(projections)"
AFTER=$(fingerprint)
STORE_AFTER=$(event_store)

echo
echo "==================== fault harness summary ($(( $(date +%s) - START )) s) ===================="
echo "faults: 5 x SIGKILL+restart, RADIUS DAS silent 120 s, 1 x PostgreSQL restart"
cat "$WORK/load.log"
check "no overlapping live prefixes" $([ "$OVERLAP_RESERVED" = 0 ] && [ "$OVERLAP_LIVE" = 0 ]; echo $?) \
    "overlaps: reservations $OVERLAP_RESERVED, live delegations $OVERLAP_LIVE"
check "acknowledged allocations in the event store" $([ "$MISSING" = 0 ] && [ "$ACKED" -gt 0 ]; echo $?) \
    "$ACKED acknowledged, $MISSING missing"
check "every saga finished" $([ "$REVOKING" = 0 ] && [ "$SAGAS" = 0 ] && [ "$UNFINISHED_REVOCATIONS" = 0 ]; echo $?) \
    "REVOKING $REVOKING, sagas left $SAGAS, revocations without PrefixRevoked $UNFINISHED_REVOCATIONS ($REVOKED revoked, $UNREACHABLE unreachable calls recorded)"
check "deadlines ran once" "$([ "$TWICE_ENDED" = 0 ]; echo $?)" "quarantines ended twice: $TWICE_ENDED"
check "no segment unclaimed" $([ "$UNCLAIMED" = 0 ] && [ "$OVER_SHARE" = 0 ] && [ "$SEGMENT_ROWS" = $(( PROCESSORS * SEGMENTS )) ]; echo $?) \
    "$PROCESSORS processors x $SEGMENTS segments; unclaimed $UNCLAIMED, above share $OVER_SHARE; claims $CLAIMS"
if [ "$STORE_BEFORE" = "$STORE_AFTER" ]; then
    check "projections equal a fresh replay" $([ "$BEFORE" = "$AFTER" ]; echo $?) "$AFTER(at $STORE_AFTER)"
    [ "$BEFORE" = "$AFTER" ] || echo "      before replay: $BEFORE"
else
    printf 'VOID  %-44s %s\n' "projections equal a fresh replay" "not compared, a harness problem and not a divergence: \
the event store moved during the comparison ($STORE_BEFORE -> $STORE_AFTER; $DUE executions were due within \
$WINDOW_MINUTES min when it began)"
    FAILED=1
fi
if [ "$FAILED" = 0 ]; then echo "RESULT: PASS"; else echo "RESULT: FAIL"; fi
exit "$FAILED"
