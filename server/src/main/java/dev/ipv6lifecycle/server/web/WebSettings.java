package dev.ipv6lifecycle.server.web;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The HTTP API's limits and its idempotency keys.
 *
 * @param web         {@code ipv6.web.max-request-body}: the largest request body read; larger ones are 413;
 *                    {@code ipv6.web.max-bulk-request-body} likewise for bulk requests (paths ending in /bulk)
 * @param idempotency how long a key and its answer are kept, and when an unanswered claim is free again
 */
@ConfigurationProperties("ipv6")
record WebSettings(@DefaultValue Web web, @DefaultValue Idempotency idempotency) {

    record Web(@DefaultValue("64KB") DataSize maxRequestBody, @DefaultValue("2MB") DataSize maxBulkRequestBody) {
    }

    record Idempotency(@DefaultValue("P1D") Duration retention, @DefaultValue("PT1M") Duration claimTimeout) {
    }
}
