import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * A static rlm_rest answer: the same JSON for every request, no database. FreeRADIUS in front of it is the
 * ceiling of the AAA path on this machine, against which the service's rate is compared.
 *
 * <pre>java RestStub.java PORT</pre>
 */
public class RestStub {

    public static void main(String[] args) throws Exception {
        // Without it the JDK server waits for delayed ACKs (Nagle): about 40 ms on every answer with a body.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        byte[] answer = ("{\"reply:Delegated-IPv6-Prefix\":{\"op\":\":=\",\"value\":[\"2001:db8:ffff:ff00::/56\"],"
                + "\"do_xlat\":false}}").getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 1024);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(answer);
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.start();
        System.out.println("listening on " + args[0]);
    }
}
