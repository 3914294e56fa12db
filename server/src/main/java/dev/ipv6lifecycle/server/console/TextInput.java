package dev.ipv6lifecycle.server.console;

import dev.ipv6lifecycle.api.DomainRejection;
import dev.ipv6lifecycle.server.web.ForbiddenCharacters;

/** The console's text inputs follow the API's rules: the same characters are refused. */
final class TextInput {

    private TextInput() {
    }

    static String checked(String field, String text) {
        ForbiddenCharacters.refusal(text).ifPresent(refusal -> {
            throw DomainRejection.invalid(field + " " + refusal);
        });
        return text.strip();
    }
}
