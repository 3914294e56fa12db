-- wrk script: activate, suspend, resume and revoke each delegation of a file, in that order.
-- wrk -t2 -c64 -d20s -s bench/wrk/lifecycle.lua http://127.0.0.1:PORT -- IDS_FILE KEY 2
-- The last argument repeats -t: each wrk thread takes every n-th id of the file (wrk sets up and starts one
-- thread after the other, so a thread cannot count the others). A delegation's next step is sent only once the
-- answer to its previous one has come (the answer names the delegation), so its steps never overtake each other
-- on different connections, while the thread's connections keep other delegations going meanwhile.
-- Prints one line of name=value results, as bench/wrk/allocate.lua does; "delegations" counts the revoked.

local threads = {}
local STEPS = { "activate", "suspend", "resume", "revoke" }

function setup(thread)
    thread:set("id", #threads + 1)
    table.insert(threads, thread)
end

function init(args)
    key = args[2]
    local thread_count = tonumber(args[3])
    headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. key }
    ids = {}
    local n = 0
    for line in io.lines(args[1]) do
        if n % thread_count == id - 1 then
            table.insert(ids, line)
        end
        n = n + 1
    end
    nextNew = 1
    ready = {}      -- ids whose previous step was answered, in the order they were
    step = {}       -- id -> index into STEPS of its next step
    errors = 0
    completed = 0
    idle = 0
end

function request()
    local id = table.remove(ready, 1)
    if id == nil then
        id = ids[nextNew]
        if id == nil then
            idle = idle + 1 -- every id is under way or done: an answer that changes nothing
            return wrk.format("GET", "/actuator/health")
        end
        nextNew = nextNew + 1
        step[id] = 1
    end
    return wrk.format("POST", "/api/v1/delegations/" .. id .. "/" .. STEPS[step[id]], headers, "{}")
end

function response(status, headers, body)
    local id = body and string.match(body, '^{"id":"([%x-]+)"')
    if id == nil or step[id] == nil then
        if not (status == 200 and body and string.find(body, '"status"')) then
            errors = errors + 1 -- a refused step; that delegation goes no further
        end
        return
    end
    if status ~= 200 then
        errors = errors + 1
        step[id] = nil
        return
    end
    if step[id] == #STEPS then
        completed = completed + 1
        step[id] = nil
    else
        step[id] = step[id] + 1
        table.insert(ready, id)
    end
end

function done(summary, latency, requests)
    local failed, revoked, health = 0, 0, 0
    for _, thread in ipairs(threads) do
        failed = failed + thread:get("errors")
        revoked = revoked + thread:get("completed")
        health = health + thread:get("idle")
    end
    local seconds = summary.duration / 1e6
    local ok = summary.requests - failed - health
    io.write(string.format("mode=wrk-lifecycle ok=%d errors=%d per_s=%.1f p50_ms=%.1f p99_ms=%.1f delegations=%d idle=%d socket_errors=%d\n",
        ok, failed, ok / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000, revoked, health,
        summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
