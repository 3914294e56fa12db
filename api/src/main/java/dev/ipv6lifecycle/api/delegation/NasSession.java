package dev.ipv6lifecycle.api.delegation;

/**
 * The subscriber's session on the network access server, as RADIUS dynamic authorization needs it.
 *
 * @param username  the session's User-Name
 * @param nasIp     the NAS address that receives CoA and Disconnect requests
 * @param sessionId the Acct-Session-Id
 */
public record NasSession(String username, String nasIp, String sessionId) {
}
