package dev.ipv6lifecycle.aaa;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipv6lifecycle.server.IntegrationTest;
import dev.ipv6lifecycle.server.web.Api;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Once a revocation's command has committed, no authorization answers its prefix: revocations and authorizations
 * of the same subscribers run concurrently on real PostgreSQL, and every authorization sent after a revocation's
 * answer arrived (the command had committed by then) must come back without that prefix.
 */
@IntegrationTest
class AaaRevocationConsistencyIntegrationTests {

    private static final int SUBSCRIBERS = 40;

    @LocalServerPort
    int port;

    /** One authorization: when it was sent, for whom, and whether the answer held a prefix. */
    private record Authorization(long sentAt, String userName, int status) {
    }

    @Test
    void noAuthorizationSentAfterARevocationCommittedAnswersItsPrefix() throws Exception {
        AaaTenant tenant = AaaTenant.create(new Api(port));
        tenant.pool("2001:db8:400::/40", false);
        List<String> ids = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < SUBSCRIBERS; i++) {
            String name = "line-" + i + "@isp";
            ids.add(tenant.allocate("sub-" + i, ", \"radiusUserName\": \"" + name + "\"").get("id").asString());
            names.add(name);
        }
        Map<String, Long> committedAt = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<Authorization> seen = new ConcurrentLinkedQueue<>();
        AtomicBoolean revoking = new AtomicBoolean(true);
        AtomicInteger next = new AtomicInteger();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < SUBSCRIBERS; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new java.util.Random(16));
        // Each subscriber is asked once before any revocation: the prefix is there to be withdrawn.
        for (String name : names) {
            seen.add(new Authorization(System.nanoTime(), name, tenant.authorize(name).status()));
        }

        // A revocation may commit before its answer arrives: "before" is before the first one was sent.
        long firstRevocationSent = System.nanoTime();
        ExecutorService threads = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                workers.add(threads.submit(() -> {
                    for (int i; (i = next.getAndIncrement()) < SUBSCRIBERS; ) {
                        int subscriber = order.get(i);
                        tenant.transition(ids.get(subscriber), "revoke");
                        committedAt.put(names.get(subscriber), System.nanoTime());
                    }
                    return null;
                }));
            }
            for (int a = 0; a < 4; a++) {
                int offset = a;
                threads.submit(() -> {
                    for (int round = 0; revoking.get(); round++) {
                        String name = names.get((round * 7 + offset * 11) % SUBSCRIBERS);
                        long sentAt = System.nanoTime();
                        seen.add(new Authorization(sentAt, name, tenant.authorize(name).status()));
                    }
                    return null;
                });
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } finally {
            revoking.set(false);
            threads.shutdown();
            threads.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
        }
        // After every revocation, each subscriber is asked once more: the sample is never empty.
        for (String name : names) {
            seen.add(new Authorization(System.nanoTime(), name, tenant.authorize(name).status()));
        }

        List<Authorization> afterCommit = seen.stream().filter(a -> a.sentAt() > committedAt.get(a.userName())).toList();
        List<Authorization> beforeAnyRevocation = seen.stream().filter(a -> a.sentAt() < firstRevocationSent).toList();
        assertThat(afterCommit).hasSizeGreaterThanOrEqualTo(SUBSCRIBERS);
        assertThat(afterCommit).allSatisfy(a -> assertThat(a.status()).as(a.userName()).isEqualTo(204));
        // Not a test that passes because nothing ever answers a prefix: before the revocations they all did.
        assertThat(beforeAnyRevocation).hasSizeGreaterThanOrEqualTo(SUBSCRIBERS)
                .allSatisfy(a -> assertThat(a.status()).isEqualTo(200));
        assertThat(seen).allSatisfy(a -> assertThat(a.status()).isIn(200, 204));
    }
}
