"""Where the service's threads wait, from a JFR recording: socket reads (PostgreSQL round trips) and parks
(mostly waiting for a pooled connection), summed by duration and put in a few categories.
Usage: python3 bench/lib/jfr_waits.py recording.jfr"""
import collections
import re
import subprocess
import sys

CATEGORIES = [
    ("waiting for a pooled connection", ["HikariPool.getConnection"]),
    ("dead-letter queue lookups", ["JpaSequencedDeadLetterQueue"]),
    ("projection statements", ["Projection.on(", "ProjectionWriter"]),
    ("answer read from the event store (DelegationEventLog)", ["DelegationEventLog"]),
    ("command-side tables (allocator, ledger)", ["PrefixAllocator", "ReservationLedger", "PoolRegistry"]),
    ("event append", ["appendEvents", "storeSnapshot"]),
    ("aggregate load", ["readEvents", "EventSourcingRepository"]),
    ("commits", ["commitTransaction", ".commit("]),
    ("event store reads by processors", ["fetchTrackedEvents", "EventProducer", "JpaEventStorageEngine",
                                         "JdbcEventStorageEngine"]),
    ("saga store", ["SagaStore", "SagaRepository"]),
    ("API key lookups", ["ApiKeys"]),
    ("gauge snapshot", ["ReadSideMetricsQueries"]),
    ("token store", ["TokenStore"]),
    ("idempotency keys", ["IdempotencyStore"]),
]

recording = sys.argv[1]
for event in ("jdk.SocketRead", "jdk.ThreadPark"):
    out = subprocess.run(["jfr", "print", "--events", event, "--stack-depth", "64", recording],
                         capture_output=True, text=True, check=True).stdout
    duration = collections.Counter()
    for block in out.split(event + " {")[1:]:
        m = re.search(r"duration = ([0-9.]+) (ms|s|us|ns)", block)
        d = float(m.group(1)) * {"s": 1000, "ms": 1, "us": 0.001, "ns": 0.000001}[m.group(2)] if m else 0
        if event == "jdk.ThreadPark" and "HikariPool.getConnection" not in block:
            continue  # idle pool threads park too; only connection waits are interesting here
        category = next((name for name, keys in CATEGORIES if any(k in block for k in keys)), "other")
        duration[category] += d
    total = sum(duration.values()) or 1
    print(f"{event}: {total / 1000:.1f} s in all")
    for name, d in duration.most_common():
        print(f"  {100 * d / total:5.1f}%  {d / 1000:8.1f} s  {name}")
