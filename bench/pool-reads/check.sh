#!/usr/bin/env bash
# The pool reads' latency, sequentially over one connection at a time, as curl measures it (time_total):
# GET /api/v1/pools/{id} and GET /api/v1/pools?size=50, N times each; prints p50 and p99 in ms. Then, when
# PSQL is set (e.g. PSQL="psql -h 127.0.0.1 -p 5433 -U postgres ipv6"), the plans of the queries behind one
# pool read, to show that none of them reads delegation_view. Not a load test: one request at a time.
# Usage: API=http://127.0.0.1:8080 KEY=ipv6k_... POOL=<pool id> [N=1000] [PSQL=...] bench/pool-reads/check.sh
set -euo pipefail
: "${API:?API, e.g. http://127.0.0.1:8080}" "${KEY:?KEY, an API key of the tenant of the pool}" "${POOL:?POOL, a pool id}"
N=${N:-1000}

percentiles() { # $1: label; stdin: one time in seconds per line
    sort -n | awk -v label="$1" '{ t[NR] = $1 } END {
        p50 = t[int(NR * 0.50) > 0 ? int(NR * 0.50) : 1]; p99 = t[int(NR * 0.99) > 0 ? int(NR * 0.99) : 1]
        printf "%-24s n=%d p50=%.2f ms p99=%.2f ms\n", label, NR, p50 * 1000, p99 * 1000 }'
}

time_of() { # $1: path
    for _ in $(seq "$N"); do
        curl -sS -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $KEY" "$API$1"
    done
}

time_of "/api/v1/pools/$POOL" | percentiles "GET /pools/{id}"
time_of "/api/v1/pools?size=50" | percentiles "GET /pools?size=50"

if [ -n "${PSQL:-}" ]; then
    $PSQL -v pool="$POOL" <<'SQL'
SELECT count(*) AS delegations_in_the_pool FROM delegation_view WHERE pool_id = :'pool';
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT pool_id, length, count(*) FROM free_block WHERE pool_id = ANY (ARRAY[:'pool']::uuid[]) GROUP BY pool_id, length;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT pool_id, length, quarantined, sum(n)
FROM (SELECT pool_id, length, quarantined, n FROM held_count WHERE pool_id = ANY (ARRAY[:'pool']::uuid[])
      UNION ALL
      SELECT pool_id, length, quarantined, delta FROM held_count_delta WHERE pool_id = ANY (ARRAY[:'pool']::uuid[])) c
GROUP BY pool_id, length, quarantined;
SQL
fi
