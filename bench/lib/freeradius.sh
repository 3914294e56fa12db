# FreeRADIUS for the benchmark's AAA phase: Debian's freeradius with the repository's shipped module and
# policy, from the configuration template the tests use too (FreeRadiusAaa). Sourced by run.sh; needs
# free_port (postgres.sh) and ROOT.

RADIUS_SECRET=bench-radius-secret

# radius_start DIR URL KEY: starts it on a free port (RADIUS_PORT) with IPV6_LIFECYCLE_URL=URL and
# IPV6_LIFECYCLE_API_KEY=KEY; RADIUS_PID is its process.
radius_start() {
    local dir=$1
    mkdir -p "$dir"
    RADIUS_PORT=$(free_port)
    sed -e "s|@DIR@|$dir|g" -e "s|@SECRET@|$RADIUS_SECRET|g" -e "s|@PORT@|$RADIUS_PORT|g" -e "s|@ACCT_PORT@|$((RADIUS_PORT + 1))|g" \
        -e "s|@SHIPPED@|$ROOT/radius/freeradius|g" -e "s|@THREADS_START@|32|g" -e "s|@THREADS_MAX@|64|g" \
        "$ROOT/test-support/src/main/resources/dev/ipv6lifecycle/testsupport/freeradius-aaa.conf" > "$dir/radiusd.conf"
    IPV6_LIFECYCLE_URL=$2 IPV6_LIFECYCLE_API_KEY=$3 /usr/sbin/freeradius -f -l stdout -d "$dir" > "$dir/radiusd.out" 2>&1 &
    RADIUS_PID=$!
    for _ in $(seq 100); do
        grep -q "Ready to process requests" "$dir/radiusd.out" 2>/dev/null && return 0
        kill -0 $RADIUS_PID 2>/dev/null || { tail -n 30 "$dir/radiusd.out" >&2; exit 1; }
        sleep 0.2
    done
    echo "FreeRADIUS did not start" >&2; exit 1
}

radius_stop() {
    [ -n "${RADIUS_PID:-}" ] && kill "$RADIUS_PID" 2>/dev/null && wait "$RADIUS_PID" 2>/dev/null || true
    RADIUS_PID=""
}
