package dev.ipv6lifecycle.testsupport;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Pool prefixes for tests that share one database and one tenant ({@link SharedPostgres#jdbcUrl()}, tenant
 * default), where two overlapping pools are refused: every call in this JVM gets a /48 no other call got.
 * A random pick among 2^16 collided about once in 200 runs. A plain counter suffices because the shared
 * database lives exactly as long as the JVM. The /48s come from 2001:db8:8000::/33, which no fixed prefix of
 * the tests uses.
 */
public final class TestPrefixes {

    private static final int FIRST = 0x8000;
    private static final AtomicInteger NEXT = new AtomicInteger(FIRST);

    private TestPrefixes() {
    }

    /** A /48 of its own, such as {@code 2001:db8:8000::/48}. */
    public static String uniqueSlash48() {
        int third = NEXT.getAndIncrement();
        if (third > 0xffff) {
            throw new IllegalStateException("more than " + (0x10000 - FIRST) + " pools asked for in one JVM");
        }
        return String.format("2001:db8:%x::/48", third);
    }
}
