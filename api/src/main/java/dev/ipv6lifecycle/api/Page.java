package dev.ipv6lifecycle.api;

import java.util.List;

/**
 * One page of a list, as every list of the REST API answers.
 *
 * @param content       the items of this page
 * @param page          the page number, from 0
 * @param size          the page size asked for
 * @param totalElements how many items all pages hold together
 */
public record Page<T>(List<T> content, int page, int size, long totalElements) {
}
