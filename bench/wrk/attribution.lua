-- wrk script: who held a random address of bench/seed.sql's delegations at AT, one request after another.
-- wrk -t1 -c1 -d10s -s bench/wrk/attribution.lua http://127.0.0.1:PORT -- KEY POOLS PER_POOL BIG_POOL AT
-- The seeded layout: pool p is 2a01:p::/32 and its delegation j the j-th /56; pool 0 has BIG_POOL of them.
-- Prints one line of name=value results: how many found their holder (200), other answers, p50, p99.

local threads = {}

function setup(thread)
    table.insert(threads, thread)
end

function init(args)
    headers = { ["Authorization"] = "Bearer " .. args[1] }
    pools, perPool, bigPool, at = tonumber(args[2]), tonumber(args[3]), tonumber(args[4]), args[5]
    found, errors = 0, 0
end

function request()
    local p = math.random(0, pools - 1)
    local j = math.random(0, (p == 0 and bigPool or perPool) - 1)
    local address = string.format("2a01:%x:%x:%x::%x", p, math.floor(j / 256), (j % 256) * 256,
        math.random(1, 0xffff))
    return wrk.format("GET", "/api/v1/attribution?address=" .. address .. "&at=" .. at, headers)
end

function response(status, headers, body)
    if status == 200 then found = found + 1 else errors = errors + 1 end
end

function done(summary, latency, requests)
    local ok, failed = 0, 0
    for _, thread in ipairs(threads) do
        ok = ok + thread:get("found")
        failed = failed + thread:get("errors")
    end
    io.write(string.format("mode=wrk-attribution found=%d/%d errors=%d per_s=%.1f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f\n",
        ok, ok + failed, failed, summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
        latency:percentile(99) / 1000, latency.max / 1000))
end
