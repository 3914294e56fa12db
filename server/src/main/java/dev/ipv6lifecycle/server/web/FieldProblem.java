package dev.ipv6lifecycle.server.web;

/**
 * One invalid input of a request, as listed in a problem's {@code errors}: the JSON path of a body field
 * (such as {@code nas.nasIp} or {@code delegatedLengths[1]}) or the name of a path or query parameter.
 * A rule about the whole body has no field.
 */
record FieldProblem(String field, String message) {

    @Override
    public String toString() {
        return field == null || field.isEmpty() ? message : field + ": " + message;
    }
}
