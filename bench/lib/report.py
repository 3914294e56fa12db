"""Turns the harness's results (one "name value" a line) into the BENCHMARKS.md section of one run."""
import sys

results_file, raw_file, command = sys.argv[1], sys.argv[2], sys.argv[3]
r = {}
with open(results_file) as f:
    for line in f:
        name, _, value = line.rstrip("\n").partition(" ")
        r[name] = value
with open(raw_file) as f:
    raw = f.read().strip()


def num(name):
    try:
        return float(r.get(name, ""))
    except ValueError:
        return None


def verdict(ok):
    if ok is None:
        return "not measured"
    return "met" if ok else "**not met**"


def cmp(name, op, target):
    v = num(name)
    if v is None:
        return None
    return v >= target if op == ">=" else v < target


pg64 = num("pgbench_c64_tps")
alloc64 = num("alloc_c64_per_s")
ratio = alloc64 / pg64 if alloc64 is not None and pg64 else None
quick = r.get("quick") == "1"

rows = [
    ("PostgreSQL baseline: pgbench, single-row INSERT per transaction, 1 client",
     f"{r.get('pgbench_c1_tps')} tps (avg {r.get('pgbench_c1_latency_avg_ms')} ms)", "(reference)", ""),
    ("PostgreSQL baseline: pgbench, single-row INSERT per transaction, 64 clients",
     f"{r.get('pgbench_c64_tps')} tps (avg {r.get('pgbench_c64_latency_avg_ms')} ms)", "(reference)", ""),
]
for c in (1, 16):
    rows.append((f"allocations via REST, {c} client{'s' if c > 1 else ''}",
                 f"{r.get(f'alloc_c{c}_per_s')}/s, p50 {r.get(f'alloc_c{c}_p50_ms')} ms, p99 {r.get(f'alloc_c{c}_p99_ms')} ms, "
                 f"{r.get(f'alloc_c{c}_errors')} errors", "", ""))
if r.get("alloc_c1_commits_per_alloc"):
    rows.append(("PostgreSQL work per allocation (1-client phase, background work included)",
                 f"{r.get('alloc_c1_commits_per_alloc')} transactions, {r.get('alloc_c1_statements_per_alloc')} statements",
                 "", ""))
rows.append(("allocations via REST, 64 clients (bench/loadgen, with the read-side probe)",
             f"{r.get('alloc_c64_per_s')}/s, p50 {r.get('alloc_c64_p50_ms')} ms, p99 {r.get('alloc_c64_p99_ms')} ms, "
             f"{r.get('alloc_c64_errors')} errors; {ratio:.3f} x pgbench; load generator {r.get('alloc_c64_loadgen_cpu_s')} CPU s"
             if ratio is not None else "n/a", "", ""))
wrk64 = num("wrk64_per_s")
wrk_ratio = wrk64 / pg64 if wrk64 is not None and pg64 else None
ok64 = None
if wrk64 is not None:
    ok64 = wrk64 >= 3000 and (wrk_ratio or 0) >= 0.2 and (num("wrk64_p99_ms") or 1e9) < 50
rows.append(("allocations via REST, 64 clients (wrk)",
             f"{r.get('wrk64_per_s')}/s, p50 {r.get('wrk64_p50_ms')} ms, p99 {r.get('wrk64_p99_ms')} ms, "
             f"{r.get('wrk64_errors')} errors, {r.get('wrk64_socket_errors')} socket errors; **{wrk_ratio:.3f} x pgbench**; "
             f"wrk {r.get('wrk64_cpu_s')} CPU s" if wrk_ratio is not None else "not measured",
             ">= 3,000/s, >= 0.2 x pgbench(64), p99 < 50 ms", verdict(ok64)))
work64 = None
if num("alloc_wrk64_commits_per_alloc") is not None:
    work64 = num("alloc_wrk64_commits_per_alloc") <= 1.5 and num("alloc_wrk64_statements_per_alloc") <= 10
rows.append(("PostgreSQL work per allocation (64 clients, background work included)",
             f"wrk phase: {r.get('alloc_wrk64_commits_per_alloc')} transactions, {r.get('alloc_wrk64_statements_per_alloc')} "
             f"statements; bench/loadgen phase: {r.get('alloc_c64_commits_per_alloc')} and {r.get('alloc_c64_statements_per_alloc')}",
             "<= 1.5 transactions, <= 10 statements", verdict(work64)))
trend_off, trend_on = num("trend_off_per_s"), num("trend_on_per_s")
trend_cost = (1 - trend_on / trend_off) * 100 if trend_off and trend_on is not None else None
rows.append(("what the capacity trend (the exhaustion forecast) costs allocations, 64 clients",
             f"trend off {r.get('trend_off_per_s')}/s (p99 {r.get('trend_off_p99_ms')} ms), on {r.get('trend_on_per_s')}/s "
             f"(p99 {r.get('trend_on_p99_ms')} ms): **{trend_cost:.1f} % less**" if trend_cost is not None else "not measured",
             "< 5 %", verdict(None if trend_cost is None else trend_cost < 5)))
scale64 = num("scale_per_s")
scale_ratio = scale64 / alloc64 if scale64 is not None and alloc64 else None  # both bench/loadgen, 64 clients
rows.append((f"allocations via REST, 64 clients, at {r.get('scale_reservations')} live reservations in the tenant",
             f"{r.get('scale_per_s')}/s, p50 {r.get('scale_p50_ms')} ms, p99 {r.get('scale_p99_ms')} ms, "
             f"{r.get('scale_errors')} errors; {r.get('alloc_scale_commits_per_alloc')} transactions and "
             f"{r.get('alloc_scale_statements_per_alloc')} statements per allocation; **{scale_ratio:.2f} x the rate on an "
             f"almost empty table**" if scale_ratio is not None else "not measured",
             ">= 0.8 x the rate on an empty pool", verdict(None if scale_ratio is None else scale_ratio >= 0.8)))
rows.append(("seeding those reservations: time per row, per chunk of a million (the constraint's cost as the table grows)",
             f"{r.get('scale_seed_us_per_row')} us", "flat", ""))
rows.append(("bulk allocation: batches of 1,000 through POST /api/v1/delegations/bulk, 1 client",
             f"{r.get('bulk_per_s')} allocations/s ({r.get('bulk_items')} allocated, {r.get('bulk_item_errors')} refused; "
             f"batch p50 {r.get('bulk_p50_ms')} ms, p99 {r.get('bulk_p99_ms')} ms, {r.get('bulk_batch_errors')} failed batches); "
             f"{r.get('alloc_bulk_commits_per_alloc')} transactions and {r.get('alloc_bulk_statements_per_alloc')} statements per allocation",
             ">= 20,000/s", verdict(cmp("bulk_per_s", ">=", 20000))))
rows.append(("lifecycle transitions (activate, suspend, resume, revoke), 64 clients",
             f"{r.get('lifecycle_per_s')}/s, p50 {r.get('lifecycle_p50_ms')} ms, p99 {r.get('lifecycle_p99_ms')} ms, "
             f"{r.get('lifecycle_errors')} errors ({r.get('lifecycle_delegations')} delegations); "
             f"{r.get('alloc_lifecycle_commits_per_alloc')} transactions and "
             f"{r.get('alloc_lifecycle_statements_per_alloc')} statements per transition, background work included; "
             f"wrk {r.get('lifecycle_wrk_cpu_s')} CPU s",
             ">= 3,000/s", verdict(cmp("lifecycle_per_s", ">=", 3000))))
if r.get("radius") == "not installed":
    rows.append(("RADIUS authorization through FreeRADIUS", "not measured: freeradius, freeradius-rest missing",
                 ">= 3,000/s, p99 < 20 ms", verdict(None)))
else:
    def radius(phase):
        return (f"{r.get(f'radius_{phase}_per_s')}/s, p50 {r.get(f'radius_{phase}_p50_ms')} ms, "
                f"p99 {r.get(f'radius_{phase}_p99_ms')} ms, {r.get(f'radius_{phase}_errors')} errors, "
                f"{r.get(f'radius_{phase}_with_prefix')} of {r.get(f'radius_{phase}_requests')} with a prefix")
    service_ok = None
    if num("radius_service_per_s") is not None and num("radius_service_p99_ms") is not None:
        # An answer without the prefix is the policy's fallback after rlm_rest's timeout: not a success.
        # The rate from the closed loop (the most it answers), the p99 from the open loop at AAA_RATE (what a
        # BNG sees at that rate: in a closed loop of 64 clients, p99 is mostly the 64 requests queued).
        service_ok = num("radius_service_per_s") >= 3000 and (num("radius_service_errors") or 0) == 0 \
            and num("radius_service_with_prefix") == num("radius_service_requests")
        if num("radius_at_rate_p99_ms") is not None:
            service_ok = service_ok and num("radius_at_rate_p99_ms") < 20 and num("radius_at_rate_per_s") >= 3000 * 0.98 \
                and (num("radius_at_rate_errors") or 0) == 0 \
                and num("radius_at_rate_with_prefix") == num("radius_at_rate_requests")
        else:
            service_ok = service_ok and num("radius_service_p99_ms") < 20
    stub = num("radius_stub_per_s")
    share = num("radius_service_per_s") / stub if stub and num("radius_service_per_s") is not None else None
    rows.append((f"allocation on first sight through FreeRADIUS, {r.get('radius_users')} new subscribers, "
                 f"16 clients", radius("first_sight"), "(reference)", ""))
    rows.append((f"RADIUS authorization through FreeRADIUS (shipped configuration), "
                 f"{r.get('radius_users')} subscribers, 64 clients",
                 radius("service") + (f"; **{share:.2f} x the stub**" if share is not None else ""),
                 ">= 3,000/s, p99 < 20 ms, >= 0.5 x the stub",
                 verdict(None if service_ok is None or share is None else service_ok and share >= 0.5)))
    if r.get("radius_at_rate_per_s") is not None:
        rows.append((f"RADIUS authorization at {r.get('radius_rate')} Access-Requests/s, open loop (latency from when each was due)",
                     radius("at_rate") + f", {r.get('radius_at_rate_late')} sent late", "(p99 of the target)", ""))
    rows.append(("the same FreeRADIUS on a static rlm_rest stub (the ceiling of the path), 64 clients",
                 radius("stub"), "(reference)", ""))
lag_ok = None
if num("lag_p99_ms") is not None:
    lag_ok = num("lag_p99_ms") < 100 and (num("lag_errors") or 0) == 0
rows.append(("read-side lag (allocation answered to visible in GET), under the 64-client allocations",
             f"p50 {r.get('lag_p50_ms')} ms, p99 {r.get('lag_p99_ms')} ms (first half p99 {r.get('lag_p99_first_half_ms')}, "
             f"second half {r.get('lag_p99_second_half_ms')}; {r.get('lag_ok')} probes, {r.get('lag_errors')} not seen in 30 s)",
             "p99 < 100 ms, not growing", verdict(lag_ok)))
partial = (f"; stopped waiting after {r['replay_stopped_after_s']} s, at event {r.get('replayed_events')} "
           "of the slowest processor") if r.get("replay_stopped_after_s") else ""
rows.append((f"rebuilding every projection from {r.get('events')} events",
             f"{r.get('replay_events_per_s')} events/s ({float(r.get('replay_s', 'nan')):.1f} s{partial})",
             ">= 25,000 events/s", verdict(cmp("replay_events_per_s", ">=", 25000))))
sweep = r.get("sweep", "")
sweep_ok = None
if sweep and not sweep.startswith("not available"):
    try:
        sweep_ok = float(sweep.split("s", 1)[0]) < 3
    except ValueError:
        pass
rows.append((f"sweep over {r.get('delegation_rows')} delegations", f"sweep: {sweep}", "< 3 s", verdict(sweep_ok)))
rows.append((f"`/actuator/prometheus` at {r.get('delegation_rows')} delegations, {r.get('pools')} pools",
             f"p50 {r.get('prometheus_p50_ms')} ms, p99 {r.get('prometheus_p99_ms')} ms, max {r.get('prometheus_max_ms')} ms, "
             f"{r.get('prometheus_errors')} errors, {r.get('prometheus_bytes')} bytes, {r.get('prometheus_ok')} scrapes",
             "< 50 ms", verdict(None if num("prometheus_p99_ms") is None
                                else num("prometheus_p99_ms") < 50 and num("prometheus_errors") == 0)))
rows.append((f"`GET /api/v1/pools/{{id}}` of a pool with {r.get('pool_big_delegations')} delegations, with its forecast from 30 days of trend",
             f"p50 {r.get('pool_get_p50_ms')} ms, p99 {r.get('pool_get_p99_ms')} ms, {r.get('pool_get_errors')} errors, {r.get('pool_get_ok')} requests",
             "p99 < 10 ms", verdict(cmp("pool_get_p99_ms", "<", 10))))
rows.append((f"`GET /api/v1/pools?size=50` ({r.get('pools')} pools, {r.get('delegation_rows')} delegations)",
             f"p50 {r.get('pool_list_p50_ms')} ms, p99 {r.get('pool_list_p99_ms')} ms, {r.get('pool_list_errors')} errors, {r.get('pool_list_ok')} requests",
             "p99 < 10 ms", verdict(cmp("pool_list_p99_ms", "<", 10))))
rows.append((f"console: the page of the pool with {r.get('pool_big_delegations')} delegations, with its map",
             f"p50 {r.get('console_map_p50_ms')} ms, max {r.get('console_map_max_ms')} ms ({r.get('console_map_ok')}/20 answered 200)",
             "< 1 s", verdict(None if num("console_map_max_ms") is None
                              else num("console_map_max_ms") < 1000 and num("console_map_ok") == 20)))
rows.append((f"attribution query at {r.get('history_rows')} history rows",
             f"p50 {r.get('attribution_p50_ms')} ms, p99 {r.get('attribution_p99_ms')} ms "
             f"({r.get('attribution_found')} found, {r.get('attribution_errors')} errors)",
             "p99 < 5 ms", verdict(cmp("attribution_p99_ms", "<", 5))))
rows.append((f"heap after {r.get('delegation_rows')} delegations (used, after a full GC)",
             f"{r.get('heap_used_mb')} MB (process RSS {r.get('rss_mb')} MB)", "< 512 MB",
             verdict(cmp("heap_used_mb", "<", 512))))

title = f"## Run of {r.get('started')}" + (f": {r['label']}" if r.get("label") else "") + (" (quick)" if quick else "")
out = [title, ""]
out.append(f"- command: `{command}` at commit `{r.get('commit')}`")
out.append(f"- machine: {r.get('cores')} cores ({r.get('cpu')}), {r.get('memory')}, {r.get('jdk')}, "
           f"PostgreSQL {r.get('postgres')} (Debian) on loopback, service and PostgreSQL on the same machine")
out.append(f"- PostgreSQL settings beyond the defaults: {r.get('pg_settings')}")
out.append(f"- load average before / after: {r.get('load_before')} / {r.get('load_after')}")
if quick:
    out.append("- **quick run**: small sizes and short phases; not a measurement against the targets")
out.append(f"- data set for the rebuild and later rows: {r.get('events')} events, seeded in {float(r.get('seed_s', 'nan')):.1f} s by `bench/seed.sql`"
           + ("" if r.get("seed_reservations") == "1" else " (without prefix_reservation rows, see bench/seed.sql)"))
out.append("")
out.append("| figure | measured | target | |")
out.append("| --- | --- | --- | --- |")
for name, measured, target, v in rows:
    out.append(f"| {name} | {measured} | {target} | {v} |")
out.append("")
out.append("<details><summary>load generator output</summary>")
out.append("")
out.append("```")
out.append(raw)
out.append("```")
out.append("</details>")
print("\n".join(out))
