package dev.ipv6lifecycle.sagas.sweep;

/**
 * What one sweep found and did (docs/operations.md, The sweep).
 *
 * @param revokedPurged   read rows of delegations revoked longer than the retention, removed from the current
 *                        views (their history stays)
 * @param allocatedStale  delegations ALLOCATED for longer than their pool's stale threshold (reported, not
 *                        revoked: a static assignment may wait for its CPE for a long time)
 * @param revokingStuck   delegations REVOKING for longer than the threshold, whose revocation was driven again
 * @param leaksDetected   reservations without a live delegation, live delegations without a reservation, and
 *                        IPAM records of prefixes this service does not hold
 * @param leaksRepaired   those of the leaks the sweep could put right itself (both counts are also recorded per
 *                        tenant, in {@code sweep_run_tenant}: the latest run's detected less repaired is the
 *                        tenant's {@code leaks} in its stats)
 * @param errors          steps or items that failed; the next sweep tries them again
 */
public record SweepReport(long revokedPurged, long allocatedStale, long revokingStuck, long leaksDetected,
                          long leaksRepaired, long errors) {
}
