package dev.ipv6lifecycle.server.web;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.core.MethodParameter;
import org.springframework.util.StringUtils;
import org.springframework.validation.Errors;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.annotation.HandlerMethodValidationException;

/**
 * Bean Validation failures as {@link FieldProblem}s, one per field and rule, named as the client wrote
 * them: body fields by their JSON path, parameters by their name in the URL.
 */
final class ValidationProblems {

    private static final Comparator<FieldProblem> BY_FIELD = Comparator
            .comparing((FieldProblem problem) -> problem.field() == null ? "" : problem.field())
            .thenComparing(FieldProblem::message);

    private ValidationProblems() {
    }

    /** A {@code @Valid @RequestBody} (or form object) that broke its constraints. */
    static List<FieldProblem> of(Errors result) {
        List<FieldProblem> problems = new ArrayList<>();
        for (ObjectError error : result.getAllErrors()) {
            problems.add(error instanceof FieldError field
                    ? new FieldProblem(field.getField(), message(field))
                    : new FieldProblem(null, message(error)));
        }
        return sorted(problems);
    }

    /** Spring MVC's own method validation: constraints on parameters, and {@code @Valid} bodies beside them. */
    static List<FieldProblem> of(HandlerMethodValidationException exception) {
        List<FieldProblem> problems = new ArrayList<>();
        for (ParameterValidationResult result : exception.getParameterValidationResults()) {
            if (result instanceof ParameterErrors errors) {
                problems.addAll(of((Errors) errors));
                continue;
            }
            String name = parameterName(result.getMethodParameter());
            if (result.getContainerIndex() != null) {
                name += "[" + result.getContainerIndex() + "]";
            } else if (result.getContainerKey() != null) {
                name += "[" + result.getContainerKey() + "]";
            }
            for (MessageSourceResolvable error : result.getResolvableErrors()) {
                problems.add(new FieldProblem(name, message(error)));
            }
        }
        for (MessageSourceResolvable error : exception.getCrossParameterValidationResults()) {
            problems.add(new FieldProblem(null, message(error)));
        }
        return sorted(problems);
    }

    /** Bean Validation outside Spring MVC, e.g. a {@code @Validated} service method. */
    static List<FieldProblem> of(Set<? extends ConstraintViolation<?>> violations) {
        List<FieldProblem> problems = new ArrayList<>();
        for (ConstraintViolation<?> violation : violations) {
            problems.add(new FieldProblem(field(violation.getPropertyPath()), violation.getMessage()));
        }
        return sorted(problems);
    }

    /** "Invalid request: a must not be blank; b must be at least 48" — the errors again, for a human reader. */
    static String detail(List<FieldProblem> problems) {
        if (problems.isEmpty()) {
            return "The request is invalid.";
        }
        StringBuilder detail = new StringBuilder("The request is invalid: ");
        for (Iterator<FieldProblem> each = problems.iterator(); each.hasNext(); ) {
            FieldProblem problem = each.next();
            detail.append(problem.field() == null ? problem.message() : problem.field() + " " + problem.message());
            detail.append(each.hasNext() ? "; " : ".");
        }
        return detail.toString();
    }

    // A method's path is method.parameter.field...: the client knows neither the method nor, for a body,
    // the parameter, only the field or the parameter's own name.
    private static String field(Path path) {
        List<Path.Node> nodes = new ArrayList<>();
        path.forEach(nodes::add);
        StringBuilder field = new StringBuilder();
        for (int i = 0; i < nodes.size(); i++) {
            Path.Node node = nodes.get(i);
            ElementKind kind = node.getKind();
            if (kind == ElementKind.METHOD || kind == ElementKind.CONSTRUCTOR
                    || kind == ElementKind.CROSS_PARAMETER || kind == ElementKind.RETURN_VALUE) {
                continue;
            }
            if (kind == ElementKind.PARAMETER && i < nodes.size() - 1) {
                continue;
            }
            if (node.getIndex() != null) {
                field.append('[').append(node.getIndex()).append(']');
            } else if (node.getKey() != null) {
                field.append('[').append(node.getKey()).append(']');
            }
            if (node.getName() != null && kind != ElementKind.CONTAINER_ELEMENT) {
                if (!field.isEmpty()) {
                    field.append('.');
                }
                field.append(node.getName());
            }
        }
        return field.isEmpty() ? null : field.toString();
    }

    private static String parameterName(MethodParameter parameter) {
        // value() and name() are aliases, but an annotation read off a parameter may not be synthesized.
        RequestParam requestParam = parameter.getParameterAnnotation(RequestParam.class);
        if (requestParam != null) {
            return named(parameter, requestParam.name(), requestParam.value());
        }
        PathVariable pathVariable = parameter.getParameterAnnotation(PathVariable.class);
        if (pathVariable != null) {
            return named(parameter, pathVariable.name(), pathVariable.value());
        }
        RequestHeader requestHeader = parameter.getParameterAnnotation(RequestHeader.class);
        if (requestHeader != null) {
            return named(parameter, requestHeader.name(), requestHeader.value());
        }
        return named(parameter, "", "");
    }

    private static String named(MethodParameter parameter, String name, String value) {
        if (StringUtils.hasText(name)) {
            return name;
        }
        if (StringUtils.hasText(value)) {
            return value;
        }
        String declared = parameter.getParameterName();
        return declared != null ? declared : "arg" + parameter.getParameterIndex();
    }

    private static String message(MessageSourceResolvable error) {
        return error.getDefaultMessage() != null ? error.getDefaultMessage() : "is invalid";
    }

    private static List<FieldProblem> sorted(List<FieldProblem> problems) {
        problems.sort(BY_FIELD);
        return List.copyOf(problems);
    }
}
