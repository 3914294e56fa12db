-- wrk script: the same GET, one request after another, for the reads' latencies.
-- wrk -t1 -c1 -d10s -s bench/wrk/get.lua http://127.0.0.1:PORT -- PATH KEY
-- A JVM client started for the measurement adds its own cold JIT to every answer: the same pool page took
-- p50 2.8 ms from bench/loadgen and 1.0 ms from wrk on 2026-12-04, so the service is measured from wrk.
-- Prints one line of name=value results: answers, non-200 answers, p50, p99, the slowest, the body's bytes.

local threads = {}

function setup(thread)
    table.insert(threads, thread)
end

function init(args)
    path = args[1]
    req = wrk.format("GET", path, { ["Authorization"] = "Bearer " .. args[2] })
    errors = 0
    bytes = 0
end

function request()
    return req
end

function response(status, headers, body)
    if status == 200 then bytes = #body else errors = errors + 1 end
end

function done(summary, latency, requests)
    local failed, size = 0, 0
    for _, thread in ipairs(threads) do
        failed = failed + thread:get("errors")
        size = thread:get("bytes")
    end
    local ok = summary.requests - failed
    io.write(string.format("mode=wrk-get path=%s bytes=%d ok=%d errors=%d per_s=%.1f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f\n",
        threads[1]:get("path"), size, ok, failed, ok / (summary.duration / 1e6), latency:percentile(50) / 1000,
        latency:percentile(99) / 1000, latency.max / 1000))
end
