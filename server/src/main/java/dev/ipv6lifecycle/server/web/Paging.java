package dev.ipv6lifecycle.server.web;

/** Bounds on list paging, so no request can ask for an unbounded result. */
public final class Paging {

    public static final int MAX_SIZE = 500;
    public static final int MAX_PAGE = 1_000_000;

    private Paging() {
    }
}
