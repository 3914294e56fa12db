package dev.ipv6lifecycle.sagas.netbox;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The description this service writes on the NetBox prefixes it records, which is how it recognises its own
 * records among everyone else's: {@code ipv6-lifecycle delegation=<uuid> tenant=<tenant> subscriber=<subscriber>}.
 *
 * <p>The delegation comes first so that it is never truncated and parses unambiguously; the tenant is kept here
 * too because a record may have been made without a NetBox tenant. NetBox limits descriptions to 200 characters
 * (Python's count, i.e. code points), so a long subscriber id is cut to fit; the record still names its
 * delegation, which is what reconciliation keys on.
 */
record RecordDescription(UUID delegationId, String tenantId, String subscriberId) {

    /** Every description of ours starts with this; NetBox's {@code description__isw} finds them. */
    static final String MARKER = "ipv6-lifecycle ";
    static final int NETBOX_MAX_LENGTH = 200;

    private static final Pattern FORM = Pattern.compile(
            "ipv6-lifecycle delegation=([0-9a-fA-F-]{36})(?: tenant=(.*?))?(?: subscriber=(.*))?", Pattern.DOTALL);

    /** The text to write, at most {@value #NETBOX_MAX_LENGTH} code points long. */
    String text() {
        String head = MARKER + "delegation=" + delegationId + " tenant=" + tenantId + " subscriber=";
        int room = NETBOX_MAX_LENGTH - head.codePointCount(0, head.length());
        String subscriber = subscriberId == null ? "" : subscriberId;
        if (room <= 0) {
            return cut(head, NETBOX_MAX_LENGTH); // only a tenant id far longer than any NetBox slug gets here
        }
        return head + cut(subscriber, room);
    }

    /** Parses one of our descriptions; empty for anyone else's, or one of ours edited beyond recognition. */
    static Optional<RecordDescription> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher matcher = FORM.matcher(text);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        try {
            UUID delegation = UUID.fromString(matcher.group(1));
            return Optional.of(new RecordDescription(delegation, matcher.group(2), matcher.group(3)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String cut(String text, int codePoints) {
        if (text.codePointCount(0, text.length()) <= codePoints) {
            return text;
        }
        return text.substring(0, text.offsetByCodePoints(0, codePoints));
    }
}
