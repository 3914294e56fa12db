import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * Access-Requests against a RADIUS server. Each client has its own socket and one request outstanding, so
 * latency is what a BNG would see per request. radclient counts answers but measures no latency, and p99 is
 * part of the target.
 *
 * <pre>java RadiusLoad.java host=127.0.0.1 port=1812 secret=s clients=64 users=1000 seconds=10 [once=true] [rate=3000]</pre>
 *
 * <p>Without {@code rate}, closed loop: every client sends its next request as soon as the last is answered, so
 * the run measures the most the path can answer, with 64 requests always queued somewhere. With {@code rate},
 * open loop, as subscribers arrive: request n is due at {@code n / rate} seconds after the start, whichever
 * client is free sends it, and its latency counts from when it was due, not from when it was sent. A server
 * that falls behind therefore shows its backlog in the latencies instead of slowing the senders down
 * (coordinated omission), as long as the clients suffice ({@code late=} counts requests sent more than a
 * millisecond after they were due). Requests due in the first second are sent but not counted.
 *
 * User-Names are {@code aaa-bench-<n>} for n in 0..users-1, in turn. With {@code once=true} every user is asked
 * exactly once (spread over the clients) and the run ends. Prints one line:
 * {@code per_s= p50_ms= p99_ms= requests= with_prefix= rejected= lost= errors=}. An answer whose Response
 * Authenticator does not verify counts as an error, as does a reject or a loss (3 s without an answer).
 */
public class RadiusLoad {

    public static void main(String[] args) throws Exception {
        Map<String, String> a = Arrays.stream(args).map(s -> s.split("=", 2))
                .collect(Collectors.toMap(p -> p[0], p -> p[1]));
        InetSocketAddress server = new InetSocketAddress(a.getOrDefault("host", "127.0.0.1"),
                Integer.parseInt(a.get("port")));
        byte[] secret = a.get("secret").getBytes(StandardCharsets.UTF_8);
        int clients = Integer.parseInt(a.getOrDefault("clients", "64"));
        int users = Integer.parseInt(a.getOrDefault("users", "1000"));
        boolean once = Boolean.parseBoolean(a.getOrDefault("once", "false"));
        double rate = Double.parseDouble(a.getOrDefault("rate", "0"));
        long deadline = System.nanoTime() + (long) (Double.parseDouble(a.getOrDefault("seconds", "10")) * 1e9);

        AtomicLong next = new AtomicLong();
        AtomicLong withPrefix = new AtomicLong(), rejected = new AtomicLong(), lost = new AtomicLong(),
                bad = new AtomicLong(), late = new AtomicLong();
        List<long[]> latencies = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long started = System.nanoTime();
        long warm = started + 1_000_000_000L;
        for (int c = 0; c < clients; c++) {
            long[][] mine = {new long[1 << 16]};
            int[] count = {0};
            Thread thread = new Thread(() -> {
                try (DatagramSocket socket = new DatagramSocket()) {
                    socket.connect(server);
                    socket.setSoTimeout(3000);
                    byte[] answer = new byte[4096];
                    int id = 0;
                    while (true) {
                        long n = next.getAndIncrement();
                        if (once ? n >= users : System.nanoTime() >= deadline) {
                            break;
                        }
                        long due = rate > 0 ? started + (long) (n * 1e9 / rate) : 0;
                        if (rate > 0 && due >= deadline) {
                            break;
                        }
                        id = (id + 1) & 0xff;
                        byte[] request = accessRequest(id, "aaa-bench-" + (n % users));
                        while (rate > 0 && System.nanoTime() < due) {
                            LockSupport.parkNanos(due - System.nanoTime());
                        }
                        long t0 = System.nanoTime();
                        if (rate > 0) {
                            late.addAndGet(due >= warm && t0 - due > 1_000_000 ? 1 : 0);
                            t0 = due;
                        }
                        socket.send(new DatagramPacket(request, request.length));
                        DatagramPacket reply = new DatagramPacket(answer, answer.length);
                        try {
                            do {
                                socket.receive(reply);
                            } while ((answer[1] & 0xff) != id); // a late answer to an earlier, lost request
                        } catch (SocketTimeoutException timeout) {
                            lost.incrementAndGet();
                            continue;
                        }
                        long took = System.nanoTime() - t0;
                        if (rate > 0 && due < warm) {
                            continue; // the generator's own start: threads, sockets, a cold JIT
                        }
                        if (!verifies(answer, reply.getLength(), request, secret)) {
                            bad.incrementAndGet();
                        } else if (answer[0] != 2) {
                            rejected.incrementAndGet();
                        } else if (hasAttribute(answer, reply.getLength(), 123)) {
                            withPrefix.incrementAndGet();
                        }
                        if (count[0] == mine[0].length) {
                            mine[0] = Arrays.copyOf(mine[0], mine[0].length * 2);
                        }
                        mine[0][count[0]++] = took;
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                synchronized (latencies) {
                    latencies.add(Arrays.copyOf(mine[0], count[0]));
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double elapsed = (System.nanoTime() - (rate > 0 ? warm : started)) / 1e9;
        long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        long requests = all.length + lost.get();
        System.out.printf("per_s=%.0f p50_ms=%.2f p99_ms=%.2f requests=%d with_prefix=%d rejected=%d lost=%d errors=%d late=%d%n",
                all.length / elapsed, percentile(all, 0.50), percentile(all, 0.99), requests, withPrefix.get(),
                rejected.get(), lost.get(), rejected.get() + lost.get() + bad.get(), late.get());
    }

    /** RFC 2865 §3: code 1, identifier, length, a random Request Authenticator, then User-Name. */
    static byte[] accessRequest(int id, String userName) {
        byte[] name = userName.getBytes(StandardCharsets.UTF_8);
        byte[] packet = new byte[20 + 2 + name.length];
        packet[0] = 1;
        packet[1] = (byte) id;
        packet[2] = (byte) (packet.length >> 8);
        packet[3] = (byte) packet.length;
        byte[] authenticator = new byte[16];
        ThreadLocalRandom.current().nextBytes(authenticator);
        System.arraycopy(authenticator, 0, packet, 4, 16);
        packet[20] = 1;
        packet[21] = (byte) (2 + name.length);
        System.arraycopy(name, 0, packet, 22, name.length);
        return packet;
    }

    /** Response Authenticator = MD5(Code+ID+Length+RequestAuth+Attributes+Secret), RFC 2865 §3. */
    static boolean verifies(byte[] answer, int length, byte[] request, byte[] secret) throws Exception {
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        md5.update(answer, 0, 4);
        md5.update(request, 4, 16);
        md5.update(answer, 20, length - 20);
        md5.update(secret);
        return MessageDigest.isEqual(md5.digest(), Arrays.copyOfRange(answer, 4, 20));
    }

    static boolean hasAttribute(byte[] packet, int length, int type) {
        for (int i = 20; i + 1 < length && packet[i + 1] >= 2; i += packet[i + 1] & 0xff) {
            if ((packet[i] & 0xff) == type) {
                return true;
            }
        }
        return false;
    }

    static double percentile(long[] sorted, double p) {
        return sorted.length == 0 ? Double.NaN : sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] / 1e6;
    }
}
