-- wrk script: POST /api/v1/delegations with a new subscriber for every request, in one pool.
-- wrk -t2 -c64 -d20s -s bench/wrk/allocate.lua http://127.0.0.1:PORT -- POOL_ID KEY
-- Prints one line of name=value results (as bench/loadgen does): throughput, p50 and p99, non-201 answers.
-- wrk is a C event loop: at 3,000 requests/s it takes a small share of a core, where a JVM client takes
-- several times more, so the service is what is measured.

local threads = {}

function setup(thread)
    thread:set("id", #threads + 1)
    table.insert(threads, thread)
end

function init(args)
    pool = args[1]
    key = args[2]
    run = tostring(os.time())
    counter = 0
    errors = 0
    headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. key }
end

function request()
    counter = counter + 1
    local body = string.format('{"subscriberId":"wrk-%s-%d-%d","poolId":"%s"}', run, id, counter, pool)
    return wrk.format("POST", "/api/v1/delegations", headers, body)
end

function response(status, headers, body)
    if status ~= 201 then
        errors = errors + 1
    end
end

function done(summary, latency, requests)
    local failed = 0
    for _, thread in ipairs(threads) do
        failed = failed + thread:get("errors")
    end
    local seconds = summary.duration / 1e6
    local ok = summary.requests - failed
    io.write(string.format("mode=wrk-allocate ok=%d errors=%d per_s=%.1f p50_ms=%.1f p99_ms=%.1f socket_errors=%d\n",
        ok, failed, ok / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
        summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
