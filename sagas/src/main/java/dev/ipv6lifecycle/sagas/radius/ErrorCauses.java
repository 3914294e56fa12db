package dev.ipv6lifecycle.sagas.radius;

import java.util.Map;

/** The Error-Cause values of RFC 5176 §3.6, named as the RADIUS dictionaries (FreeRADIUS's among them) name them. */
final class ErrorCauses {

    /** The NAS has no session matching the identification attributes (RFC 5176 §3.6). */
    static final int SESSION_CONTEXT_NOT_FOUND = 503;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(201, "Residual-Context-Removed"),
            Map.entry(202, "Invalid-EAP-Packet"),
            Map.entry(401, "Unsupported-Attribute"),
            Map.entry(402, "Missing-Attribute"),
            Map.entry(403, "NAS-Identification-Mismatch"),
            Map.entry(404, "Invalid-Request"),
            Map.entry(405, "Unsupported-Service"),
            Map.entry(406, "Unsupported-Extension"),
            Map.entry(407, "Invalid-Attribute-Value"),
            Map.entry(501, "Administratively-Prohibited"),
            Map.entry(502, "Proxy-Request-Not-Routable"),
            Map.entry(SESSION_CONTEXT_NOT_FOUND, "Session-Context-Not-Found"),
            Map.entry(504, "Session-Context-Not-Removable"),
            Map.entry(505, "Proxy-Processing-Error"),
            Map.entry(506, "Resources-Unavailable"),
            Map.entry(507, "Request-Initiated"),
            Map.entry(508, "Multiple-Session-Selection-Unsupported"));

    private ErrorCauses() {
    }

    /** "503 Session-Context-Not-Found", or "999 (unknown)" for a value RFC 5176 does not define. */
    static String describe(int value) {
        return value + " " + NAMES.getOrDefault(value, "(unknown)");
    }
}
