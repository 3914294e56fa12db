package dev.ipv6lifecycle.server.aaa;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import dev.ipv6lifecycle.command.aaa.RadiusSessions.AccountingRecord;
import dev.ipv6lifecycle.command.aaa.RadiusSessions.Status;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Reads an Accounting-Request from the JSON body {@code rlm_rest} sends ({@code body = 'json'}: every attribute as
 * {@code {"type": ..., "value": [...]}}, enumerated values by name). Anything it cannot use gives no record at all,
 * never an exception: the endpoint then answers as if it had stored it, since a refusal would only make the
 * FreeRADIUS in front of it resend the same record forever.
 */
final class AccountingRecords {

    // rlm_rest prints a date as FreeRADIUS does ("%b %e %Y %H:%M:%S %Z"): "Nov 24 2025 16:00:00 UTC", the day
    // padded with a space. Spaces are collapsed before parsing.
    private static final DateTimeFormatter FREERADIUS_DATE = DateTimeFormatter.ofPattern("MMM d yyyy HH:mm:ss z",
            Locale.ENGLISH);

    private AccountingRecords() {
    }

    /** The record, or empty when it has no status this service handles, or no NAS or session to key it on. */
    static Optional<AccountingRecord> read(String tenantId, JsonNode body, Instant received) {
        Status status = status(text(body, "Acct-Status-Type"));
        String nasIp = text(body, "NAS-IP-Address");
        if (nasIp == null) {
            nasIp = text(body, "NAS-IPv6-Address");
        }
        String nasIdentifier = text(body, "NAS-Identifier");
        String nas = nasIp != null ? nasIp : nasIdentifier;
        if (status == null || nas == null) {
            return Optional.empty();
        }
        String sessionId = text(body, "Acct-Session-Id");
        String uniqueId = text(body, "Acct-Unique-Session-Id");
        boolean nasWide = status == Status.ACCOUNTING_ON || status == Status.ACCOUNTING_OFF;
        if (!nasWide && sessionId == null && uniqueId == null) {
            return Optional.empty();
        }
        // Without an Event-Timestamp, the time FreeRADIUS received the record (its detail reader adds it), so that
        // a record delivered late from the buffer is not dated by its delivery.
        Instant at = timestamp(text(body, "Event-Timestamp"))
                .or(() -> timestamp(text(body, "Packet-Original-Timestamp"))).orElse(received);
        return Optional.of(new AccountingRecord(tenantId, status, nas, nasIp, nasIdentifier, sessionId, uniqueId,
                text(body, "User-Name"), prefix(body), at, integer(text(body, "Acct-Interim-Interval")),
                longValue(text(body, "Acct-Session-Time")), text(body, "Acct-Terminate-Cause")));
    }

    static Status status(String value) {
        if (value == null) {
            return null;
        }
        return switch (value) {
            case "Start", "1" -> Status.START;
            case "Stop", "2" -> Status.STOP;
            // The dictionary names 3 both Interim-Update and Alive.
            case "Interim-Update", "Alive", "3" -> Status.INTERIM;
            case "Accounting-On", "7" -> Status.ACCOUNTING_ON;
            case "Accounting-Off", "8" -> Status.ACCOUNTING_OFF;
            default -> null;
        };
    }

    /** An Event-Timestamp as rlm_rest formats it, as epoch seconds ({@code raw_value}), or ISO-8601. */
    static Optional<Instant> timestamp(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String text = value.trim().replaceAll("\\s+", " ");
        try {
            if (text.chars().allMatch(Character::isDigit) && !text.isEmpty() && text.length() <= 12) {
                return Optional.of(Instant.ofEpochSecond(Long.parseLong(text)));
            }
            return Optional.of(ZonedDateTime.parse(text, FREERADIUS_DATE).toInstant());
        } catch (DateTimeParseException | NumberFormatException notFreeRadius) {
            try {
                return Optional.of(Instant.parse(text));
            } catch (DateTimeParseException unreadable) {
                return Optional.empty();
            }
        }
    }

    /** The first Delegated-IPv6-Prefix this service can keep (a /32 to /64), if any. */
    private static Ipv6Prefix prefix(JsonNode body) {
        for (JsonNode value : body.path("Delegated-IPv6-Prefix").path("value")) {
            if (value.isString()) {
                try {
                    Ipv6Prefix prefix = Ipv6Prefix.parse(value.asString().trim());
                    if (prefix.length() >= 32 && prefix.length() <= 64) {
                        return prefix;
                    }
                } catch (IllegalArgumentException notAPrefix) {
                    // Try the next value.
                }
            }
        }
        return null;
    }

    /** The first value of the attribute as text, when it is one a RADIUS attribute can hold (1..253 octets). */
    static String text(JsonNode body, String attribute) {
        JsonNode value = body.path(attribute).path("value").path(0);
        if (value.isMissingNode() || value.isNull() || value.isContainer()) {
            return null;
        }
        String text = value.asString();
        int octets = text.getBytes(StandardCharsets.UTF_8).length;
        if (octets == 0 || octets > 253 || text.chars().anyMatch(Character::isISOControl)) {
            return null;
        }
        return text;
    }

    private static Integer integer(String value) {
        Long parsed = longValue(value);
        return parsed == null || parsed > Integer.MAX_VALUE ? null : parsed.intValue();
    }

    private static Long longValue(String value) {
        if (value == null || value.isEmpty() || value.length() > 10 || !value.chars().allMatch(Character::isDigit)) {
            return null;
        }
        return Long.parseLong(value);
    }
}
