package dev.ipv6lifecycle.server.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.util.UriUtils;

/**
 * Path variables and query parameters with a {@link ForbiddenCharacters forbidden character}: refused before
 * the handler runs, with every parameter at fault named. Here rather than in a servlet filter because only
 * the handler's mapping knows a path variable's name. Every query parameter is checked, read or not, by name
 * and value, from the query string itself: asking the request for its parameters would read a form body.
 */
final class ForbiddenCharactersInterceptor implements HandlerInterceptor {

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        List<FieldProblem> errors = new ArrayList<>();
        if (request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE) instanceof Map<?, ?> variables) {
            variables.forEach((name, value) -> check(String.valueOf(name), String.valueOf(value), errors));
        }
        String query = request.getQueryString();
        if (query != null) {
            for (String pair : query.split("&")) {
                int equals = pair.indexOf('=');
                String name = decoded(equals < 0 ? pair : pair.substring(0, equals));
                check(name, name, errors);
                if (equals >= 0) {
                    check(name, decoded(pair.substring(equals + 1)), errors);
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new ForbiddenCharactersException(errors);
        }
        return true;
    }

    private static void check(String name, String value, List<FieldProblem> errors) {
        ForbiddenCharacters.refusal(value).ifPresent(refusal -> errors.add(new FieldProblem(name, refusal)));
    }

    // An escape that is not one (%zz) stays as it is: such a parameter is the servlet container's to refuse.
    private static String decoded(String encoded) {
        try {
            return UriUtils.decode(encoded, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notAnEscape) {
            return encoded;
        }
    }
}
