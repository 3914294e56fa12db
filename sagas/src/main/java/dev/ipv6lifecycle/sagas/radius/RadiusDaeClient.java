package dev.ipv6lifecycle.sagas.radius;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import dev.ipv6lifecycle.api.delegation.NasSession;
import dev.ipv6lifecycle.sagas.network.NetworkAccessServer;
import dev.ipv6lifecycle.sagas.network.NetworkOutcome;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.aaa4j.radius.core.attribute.Attribute;
import org.aaa4j.radius.core.attribute.Ipv4AddrData;
import org.aaa4j.radius.core.attribute.Ipv6AddrData;
import org.aaa4j.radius.core.attribute.Ipv6PrefixData;
import org.aaa4j.radius.core.attribute.TextData;
import org.aaa4j.radius.core.attribute.attributes.AcctSessionId;
import org.aaa4j.radius.core.attribute.attributes.DelegatedIpv6Prefix;
import org.aaa4j.radius.core.attribute.attributes.FilterId;
import org.aaa4j.radius.core.attribute.attributes.MessageAuthenticator;
import org.aaa4j.radius.core.attribute.attributes.NasIpAddress;
import org.aaa4j.radius.core.attribute.attributes.NasIpv6Address;
import org.aaa4j.radius.core.attribute.attributes.UserName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The NAS reached by RADIUS Dynamic Authorization (RFC 5176) over UDP: CoA-Request to push a delegated prefix or
 * restrict a session, Disconnect-Request to end it.
 *
 * <p>Each call uses its own socket, bound to an ephemeral port, and a RADIUS identifier no other call in flight
 * holds. An unanswered request is sent again unchanged (same identifier and authenticator, so the NAS can
 * recognise the duplicate) {@code radius.dae.retries} times, waiting {@code radius.dae.timeout} after each. A
 * datagram that is not a valid answer (wrong identifier or code, bad Response Authenticator or
 * Message-Authenticator) is ignored and the wait goes on. Calls never throw for a network problem.
 */
public class RadiusDaeClient implements NetworkAccessServer {

    private static final Logger log = LoggerFactory.getLogger(RadiusDaeClient.class);
    private static final int MAX_DATAGRAM = 4096;

    private final RadiusProperties properties;
    private final Identifiers identifiers = new Identifiers();

    public RadiusDaeClient(RadiusProperties properties) {
        this.properties = Objects.requireNonNull(properties, "properties");
    }

    /** The two kinds of request and the answers that may come back to each (RFC 5176 §3). */
    enum Kind {
        COA(43, 44, 45, "CoA"),
        DISCONNECT(40, 41, 42, "Disconnect");

        final int requestCode;
        final int ackCode;
        final int nakCode;
        final String label;

        Kind(int requestCode, int ackCode, int nakCode, String label) {
            this.requestCode = requestCode;
            this.ackCode = ackCode;
            this.nakCode = nakCode;
            this.label = label;
        }
    }

    @Override
    public boolean enabled() {
        return properties.enabled();
    }

    @Override
    public NetworkOutcome pushPrefix(NasSession session, Ipv6Prefix prefix) {
        Objects.requireNonNull(prefix, "prefix");
        return call(Kind.COA, "push " + prefix, session, List.of(new DelegatedIpv6Prefix(delegatedPrefix(prefix))));
    }

    @Override
    public NetworkOutcome restrict(NasSession session) {
        return call(Kind.COA, "restrict", session, List.of(new FilterId(new TextData(properties.suspendFilterId()))));
    }

    @Override
    public NetworkOutcome disconnect(NasSession session) {
        // RFC 5176 §3: a Disconnect-Request carries session identification only.
        return call(Kind.DISCONNECT, "disconnect", session, List.of());
    }

    private NetworkOutcome call(Kind kind, String action, NasSession session, List<Attribute<?>> changes) {
        NetworkOutcome outcome = exchange(kind, session, changes);
        String who = session == null ? "no session" : "user=" + session.username() + " session=" + session.sessionId()
                + " nas=" + session.nasIp();
        if (outcome.result() == NetworkOutcome.Result.UNREACHABLE) {
            log.warn("RADIUS {} {} for {}: {} ({})", kind.label, action, who, outcome.result(), outcome.detail());
        } else {
            log.debug("RADIUS {} {} for {}: {} ({})", kind.label, action, who, outcome.result(), outcome.detail());
        }
        return outcome;
    }

    private NetworkOutcome exchange(Kind kind, NasSession session, List<Attribute<?>> changes) {
        if (!properties.enabled()) {
            return NetworkOutcome.skipped("RADIUS dynamic authorization is not configured (no radius.dae.secret)");
        }
        if (session == null || (isBlank(session.username()) && isBlank(session.sessionId()))) {
            return NetworkOutcome.skipped("no NAS session known (neither User-Name nor Acct-Session-Id)");
        }
        if (isBlank(session.nasIp())) {
            return NetworkOutcome.skipped("no NAS address known for the session");
        }
        InetAddress nas = addressLiteral(session.nasIp());
        if (nas == null) {
            // Asking again will not turn the session's record into an address.
            return NetworkOutcome.rejected("NAS address '" + session.nasIp() + "' is not an IPv4 or IPv6 address");
        }
        Optional<String> secret = properties.secretFor(session.nasIp());
        if (secret.isEmpty()) {
            return NetworkOutcome.skipped("no RADIUS shared secret for NAS " + session.nasIp());
        }
        InetSocketAddress peer = new InetSocketAddress(nas, properties.port());
        int identifier;
        try {
            identifier = identifiers.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return NetworkOutcome.unreachable("interrupted before sending to " + show(peer));
        }
        try {
            byte[] secretBytes = secret.get().getBytes(StandardCharsets.UTF_8);
            byte[] request;
            try {
                List<Attribute<?>> attributes = new ArrayList<>(identification(session, nas));
                attributes.addAll(changes);
                attributes.add(new MessageAuthenticator());
                request = DaePackets.encodeRequest(kind.requestCode, identifier, attributes, secretBytes);
            } catch (IllegalArgumentException e) {
                // Data that does not fit RADIUS (an attribute over 253 octets): sending again will not help.
                return NetworkOutcome.rejected("cannot encode the " + kind.label + "-Request: " + e.getMessage());
            }
            return send(kind, peer, request, secretBytes);
        } finally {
            identifiers.release(identifier);
        }
    }

    /** User-Name, Acct-Session-Id and the NAS's own address: what RFC 5176 §3 calls session identification. */
    private static List<Attribute<?>> identification(NasSession session, InetAddress nas) {
        List<Attribute<?>> attributes = new ArrayList<>();
        if (!isBlank(session.username())) {
            attributes.add(new UserName(new TextData(session.username())));
        }
        if (nas instanceof Inet4Address ipv4) {
            attributes.add(new NasIpAddress(new Ipv4AddrData(ipv4)));
        } else {
            attributes.add(new NasIpv6Address(new Ipv6AddrData((Inet6Address) nas)));
        }
        if (!isBlank(session.sessionId())) {
            attributes.add(new AcctSessionId(new TextData(session.sessionId())));
        }
        return attributes;
    }

    /**
     * Delegated-IPv6-Prefix as RFC 4818 §3 encodes it: a reserved zero octet, the prefix length, then only the
     * octets the length covers (aaa4j's Ipv6PrefixData truncates to them).
     */
    static Ipv6PrefixData delegatedPrefix(Ipv6Prefix prefix) {
        String canonical = prefix.canonical();
        IPAddress network = new IPAddressString(canonical.substring(0, canonical.indexOf('/'))).getAddress();
        return new Ipv6PrefixData(prefix.length(), (Inet6Address) network.toInetAddress());
    }

    private NetworkOutcome send(Kind kind, InetSocketAddress peer, byte[] request, byte[] secret) {
        int attempts = properties.retries() + 1;
        long timeoutNanos = properties.timeout().toNanos();
        boolean portUnreachable = false;
        try (DatagramSocket socket = new DatagramSocket()) {
            // Connected: the kernel drops datagrams from anyone but the NAS's address and port.
            socket.connect(peer);
            DatagramPacket outgoing = new DatagramPacket(request, request.length);
            byte[] buffer = new byte[MAX_DATAGRAM];
            for (int attempt = 1; attempt <= attempts; attempt++) {
                socket.send(outgoing);
                long deadline = System.nanoTime() + timeoutNanos;
                for (long left = timeoutNanos; left > 0; left = deadline - System.nanoTime()) {
                    DatagramPacket incoming = new DatagramPacket(buffer, buffer.length);
                    try {
                        socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000)));
                        socket.receive(incoming);
                    } catch (SocketTimeoutException e) {
                        break;
                    } catch (PortUnreachableException e) {
                        // Nothing listens (yet): the NAS may be restarting. Wait out this attempt, then resend.
                        portUnreachable = true;
                        sleepNanos(deadline - System.nanoTime());
                        break;
                    }
                    byte[] response = Arrays.copyOf(incoming.getData(), incoming.getLength());
                    Optional<DaePackets.Answer> answer =
                            DaePackets.decodeResponse(response, request, secret, kind.ackCode, kind.nakCode);
                    if (answer.isPresent()) {
                        return outcome(kind, answer.get(), show(peer));
                    }
                    log.debug("RADIUS ignored an invalid {}-byte datagram from {} (identifier {})",
                            response.length, show(peer), DaePackets.identifier(request));
                }
            }
        } catch (IOException e) {
            return NetworkOutcome.unreachable("cannot send to " + show(peer) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return NetworkOutcome.unreachable("interrupted while waiting for " + show(peer));
        }
        return NetworkOutcome.unreachable("no answer from " + show(peer) + " after " + attempts
                + (attempts == 1 ? " attempt" : " attempts") + (portUnreachable ? " (port unreachable)" : ""));
    }

    /** What a verified answer means to the sagas. */
    static NetworkOutcome outcome(Kind kind, DaePackets.Answer answer, String peer) {
        if (answer.code() == kind.ackCode) {
            return NetworkOutcome.succeeded(kind.label + "-ACK from " + peer);
        }
        OptionalInt cause = answer.errorCause();
        String detail = kind.label + "-NAK from " + peer
                + (cause.isPresent() ? ": Error-Cause " + ErrorCauses.describe(cause.getAsInt()) : " without Error-Cause");
        if (kind == Kind.DISCONNECT && cause.isPresent() && cause.getAsInt() == ErrorCauses.SESSION_CONTEXT_NOT_FOUND) {
            // What a Disconnect wants is no session; the NAS says there is none.
            return NetworkOutcome.succeeded(detail + " (session already gone)");
        }
        return NetworkOutcome.rejected(detail);
    }

    /** An IP literal as an address, or null when it is none; never a DNS lookup. */
    private static InetAddress addressLiteral(String text) {
        String canonical = RadiusProperties.canonical(text);
        return canonical == null ? null : new IPAddressString(canonical).getAddress().toInetAddress();
    }

    private static String show(InetSocketAddress peer) {
        String host = RadiusProperties.canonical(peer.getAddress().getHostAddress());
        return (peer.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + peer.getPort();
    }

    private static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }

    private static void sleepNanos(long nanos) throws InterruptedException {
        if (nanos > 0) {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        }
    }

    /** RADIUS identifiers (one octet) handed to the requests in flight, each to one at a time. */
    static final class Identifiers {
        private final boolean[] inFlight = new boolean[256];
        private int next;

        synchronized int acquire() throws InterruptedException {
            while (true) {
                for (int i = 0; i < inFlight.length; i++) {
                    int candidate = (next + i) & 0xff;
                    if (!inFlight[candidate]) {
                        inFlight[candidate] = true;
                        next = (candidate + 1) & 0xff;
                        return candidate;
                    }
                }
                wait();
            }
        }

        synchronized void release(int identifier) {
            inFlight[identifier] = false;
            notifyAll();
        }
    }
}
