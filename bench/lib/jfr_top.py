"""Where the service's CPU goes, from a JFR recording: the top self frames and the top frames of the
project's, Axon's, Hibernate's and the JDBC driver's code, by share of execution samples.
Usage: python3 bench/lib/jfr_top.py recording.jfr [jdk.ExecutionSample | jdk.SocketRead | jdk.ThreadPark ...]"""
import collections
import subprocess
import sys

recording = sys.argv[1]
event = sys.argv[2] if len(sys.argv) > 2 else "jdk.ExecutionSample"
out = subprocess.run(["jfr", "print", "--events", event, "--stack-depth", "64", recording],
                     capture_output=True, text=True, check=True).stdout
samples = []
for block in out.split(event + " {")[1:]:
    body = block.split("stackTrace = [", 1)[-1].split("\n  ]", 1)[0]
    frames = [line.strip().split(" line:")[0] for line in body.splitlines() if "(" in line]
    if frames:
        samples.append(frames)
total = len(samples)
print(f"{total} {event} events")
self_frames = collections.Counter(s[0] for s in samples)
print("\ntop self frames:")
for frame, n in self_frames.most_common(15):
    print(f"  {100 * n / total:5.1f}%  {frame}")
for label, prefix in [("project", "dev.ipv6lifecycle."), ("axon", "org.axonframework."),
                      ("hibernate", "org.hibernate."), ("jdbc driver", "org.postgresql."),
                      ("spring", "org.springframework."), ("jackson", "com.fasterxml.jackson.")]:
    inclusive = collections.Counter()
    for s in samples:
        for frame in set(f for f in s if f.startswith(prefix)):
            inclusive[frame] += 1
    print(f"\n{label}: inclusive share of the most frequent frames")
    for frame, n in inclusive.most_common(12):
        print(f"  {100 * n / total:5.1f}%  {frame}")
