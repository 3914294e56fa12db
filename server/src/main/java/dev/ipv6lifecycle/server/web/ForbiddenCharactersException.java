package dev.ipv6lifecycle.server.web;

import java.util.List;

/** Path variables or query parameters refused for their {@link ForbiddenCharacters characters}; a 400. */
final class ForbiddenCharactersException extends RuntimeException {

    private final transient List<FieldProblem> errors;

    ForbiddenCharactersException(List<FieldProblem> errors) {
        super(ValidationProblems.detail(errors));
        this.errors = List.copyOf(errors);
    }

    List<FieldProblem> errors() {
        return errors;
    }
}
