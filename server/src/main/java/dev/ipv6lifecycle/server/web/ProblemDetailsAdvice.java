package dev.ipv6lifecycle.server.web;

import dev.ipv6lifecycle.api.DomainRejection;
import dev.ipv6lifecycle.api.InvalidPrefixException;
import dev.ipv6lifecycle.api.delegation.AllocationRaceException;
import dev.ipv6lifecycle.api.delegation.LifecycleCommand;
import dev.ipv6lifecycle.api.delegation.LifecycleTransitionRejectedException;
import dev.ipv6lifecycle.api.quota.TenantQuotaExceededException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.ConstraintViolationException;
import java.lang.reflect.UndeclaredThrowableException;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.axonframework.messaging.HandlerExecutionException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import org.springframework.web.util.DisconnectedClientHelper;

/**
 * Every error of the API as an RFC 9457 problem ({@code application/problem+json}) with a stable URN type.
 * Domain refusals map by their {@link DomainRejection#kind() kind}; Spring MVC's own exceptions (unreadable
 * bodies, bad parameters, unknown paths, wrong methods and media types) come through the base class and get
 * the same shape, with {@code errors} naming each field at fault. Anything unforeseen is a 500 whose detail
 * says nothing about the cause: the cause goes to the log, with its stack trace.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    static final String UNEXPECTED = "The service failed to answer this request; the failure has been logged.";

    /** RFC 9457's "no type": Spring MVC's default, replaced by the type of the status. */
    private static final URI ABOUT_BLANK = URI.create("about:blank");

    @ExceptionHandler({DomainRejection.class, InvalidPrefixException.class, AggregateNotFoundException.class,
            AggregateStreamCreationException.class, AllocationRaceException.class, ConcurrencyException.class,
            ConstraintViolationException.class})
    ResponseEntity<Object> handleApplicationException(Exception exception) {
        return ProblemType.answer(describe(exception), HttpHeaders.EMPTY);
    }

    /** Path variables or query parameters with characters no text input may hold: refused before the handler. */
    @ExceptionHandler(ForbiddenCharactersException.class)
    ResponseEntity<Object> handleForbiddenCharacters(ForbiddenCharactersException refused, WebRequest request) {
        IdempotencyFilter.forget(request);
        ProblemDetail problem = ProblemType.INVALID_REQUEST.problem(refused.getMessage());
        problem.setProperty("errors", refused.errors());
        return ProblemType.answer(problem, HttpHeaders.EMPTY);
    }

    /** A rule a controller checks itself (whose keys an admin may create): 403, as the security filters answer. */
    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<Object> handleAccessDenied(AccessDeniedException denied) {
        return ProblemType.answer(ProblemType.FORBIDDEN.problem(
                "The caller may not do this: " + denied.getMessage() + "."), HttpHeaders.EMPTY);
    }

    /**
     * The last resort. An asynchronous answer (a command gateway's future) may arrive wrapped; what is inside
     * is answered as if thrown directly. Whatever is left is the service's own failure.
     */
    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> handleUnexpected(Exception exception, NativeWebRequest request) {
        Optional<ProblemDetail> application = applicationProblem(exception);
        if (application.isPresent()) {
            return ProblemType.answer(application.get(), HttpHeaders.EMPTY);
        }
        HttpServletRequest servletRequest = request.getNativeRequest(HttpServletRequest.class);
        String what = servletRequest != null ? servletRequest.getMethod() + " " + servletRequest.getRequestURI() : "?";
        if (DisconnectedClientHelper.isClientDisconnectedException(exception)) {
            // Nobody is left to answer, and nothing is wrong with the service.
            log.debug("Client went away during {}", what, exception);
            return null;
        }
        log.error("Unexpected failure answering {}", what, exception);
        HttpServletResponse servletResponse = request.getNativeResponse(HttpServletResponse.class);
        if (servletResponse != null && servletResponse.isCommitted()) {
            // Part of the answer is on its way (a stream): a problem document can no longer follow it.
            return null;
        }
        return ProblemType.answer(ProblemType.INTERNAL_ERROR.problem(UNEXPECTED), HttpHeaders.EMPTY);
    }

    /** Spring MVC's own exceptions: the base class chooses the status, this gives the problem its shape. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception exception, @Nullable Object body,
                                                             HttpHeaders headers, HttpStatusCode status,
                                                             WebRequest request) {
        ProblemDetail problem = body instanceof ProblemDetail given ? given
                : exception instanceof ErrorResponse response
                        ? response.updateAndGetBody(getMessageSource(), LocaleContextHolder.getLocale())
                        : ProblemDetail.forStatus(status);
        if (problem.getType() == null || ABOUT_BLANK.equals(problem.getType())) {
            ProblemType.describe(problem);
        }
        if (InvalidInput.hasForbiddenCharacters(exception)) {
            IdempotencyFilter.forget(request);
        }
        try {
            refine(exception, problem);
        } catch (RuntimeException unexplained) {
            // The status and type are right already; a missing field list is better than no problem at all.
            log.warn("Could not list the fields at fault for {}", exception, unexplained);
        }
        if (status.is5xxServerError()) {
            log.error("Failure answering {}", request.getDescription(false), exception);
            problem.setDetail(status.value() == 503 ? "The service could not answer in time; retry later." : UNEXPECTED);
        }
        // Through the base class, which answers nothing at all once the response has been committed.
        return super.handleExceptionInternal(exception, problem, ProblemType.headers(headers), status, request);
    }

    // Details and field lists for the client mistakes that Spring MVC detects itself.
    private static void refine(Exception exception, ProblemDetail problem) {
        if (exception instanceof MethodArgumentNotValidException invalid) {
            withErrors(problem, ValidationProblems.of(invalid.getBindingResult()));
        } else if (exception instanceof HandlerMethodValidationException invalid) {
            withErrors(problem, ValidationProblems.of(invalid));
        } else if (exception instanceof HttpMessageNotReadableException unreadable) {
            InvalidInput.Unreadable explained = InvalidInput.unreadable(unreadable);
            problem.setDetail(explained.detail());
            if (!explained.errors().isEmpty()) {
                problem.setProperty("errors", explained.errors());
            }
        } else if (exception instanceof TypeMismatchException mismatch) {
            String name = mismatch instanceof MethodArgumentTypeMismatchException argument
                    ? argument.getName() : mismatch.getPropertyName();
            Optional<String> clientMessage = InvalidInput.clientMessage(mismatch);
            FieldProblem error = new FieldProblem(name,
                    clientMessage.orElseGet(() -> InvalidInput.expectation(mismatch.getRequiredType())));
            problem.setProperty("errors", List.of(error));
            problem.setDetail("Parameter " + InvalidInput.sentence(error, clientMessage.isPresent()) + ".");
        } else if (exception instanceof MissingServletRequestParameterException missing) {
            problem.setProperty("errors", List.of(new FieldProblem(missing.getParameterName(), "is required")));
        } else if (exception instanceof MissingRequestHeaderException missing) {
            problem.setProperty("errors", List.of(new FieldProblem(missing.getHeaderName(), "is required")));
        } else if (exception instanceof NoResourceFoundException notFound) {
            // Spring MVC says "no static resource": to a client of the API, there is simply nothing there.
            problem.setDetail("Nothing is at " + notFound.getHttpMethod() + " /" + notFound.getResourcePath() + ".");
        }
    }

    private static void withErrors(ProblemDetail problem, List<FieldProblem> errors) {
        problem.setDetail(ValidationProblems.detail(errors));
        problem.setProperty("errors", errors);
    }

    /** The problem a failed command is answered with when it is the client's or a race's; empty for the service's own. */
    static Optional<ProblemDetail> applicationProblem(Throwable failure) {
        return unwrap(failure) instanceof Exception cause && isApplicationException(cause)
                ? Optional.of(describe(cause)) : Optional.empty();
    }

    private static ProblemDetail describe(Exception exception) {
        if (exception instanceof LifecycleTransitionRejectedException rejection) {
            ProblemDetail problem = ProblemType.TRANSITION_NOT_ALLOWED.problem(rejection.getMessage());
            problem.setProperty("currentState", rejection.currentState().name());
            problem.setProperty("allowedCommands",
                    rejection.allowedCommands().stream().map(LifecycleCommand::wireName).toList());
            return problem;
        }
        if (exception instanceof TenantQuotaExceededException overQuota) {
            ProblemDetail problem = ProblemType.QUOTA_EXCEEDED.problem(overQuota.getMessage());
            problem.setProperty("tenant", overQuota.tenantId());
            problem.setProperty("quota", overQuota.quota());
            problem.setProperty("limit", overQuota.limit());
            problem.setProperty("used", overQuota.used());
            return problem;
        }
        if (exception instanceof DomainRejection rejection) {
            return switch (rejection.kind()) {
                case INVALID -> ProblemType.INVALID_REQUEST.problem(rejection.getMessage());
                case NOT_FOUND -> ProblemType.NOT_FOUND.problem(rejection.getMessage());
                case CONFLICT -> ProblemType.CONFLICT.problem(rejection.getMessage());
            };
        }
        if (exception instanceof InvalidPrefixException invalid) {
            return ProblemType.INVALID_REQUEST.problem(invalid.getMessage());
        }
        if (exception instanceof AggregateNotFoundException notFound) {
            // Axon's message names its event store; the client only needs to know the id is unknown.
            Object id = notFound.getAggregateIdentifier();
            return ProblemType.NOT_FOUND.problem(id != null ? DomainRejection.unknown(id).getMessage() : "Not found.");
        }
        if (exception instanceof AggregateStreamCreationException) {
            return ProblemType.CONFLICT.problem("It already exists: the id is taken.");
        }
        if (exception instanceof AllocationRaceException) {
            return ProblemType.CONFLICT.problem("Concurrent allocations took every prefix this request tried; "
                    + "nothing was stored, retry the request.");
        }
        if (exception instanceof ConcurrencyException) {
            return ProblemType.CONFLICT.problem("It was changed concurrently by another request; "
                    + "nothing was stored, retry the request.");
        }
        if (exception instanceof ConstraintViolationException invalid) {
            List<FieldProblem> errors = ValidationProblems.of(invalid.getConstraintViolations());
            ProblemDetail problem = ProblemType.INVALID_REQUEST.problem(ValidationProblems.detail(errors));
            problem.setProperty("errors", errors);
            return problem;
        }
        throw new IllegalArgumentException("not an application exception", exception);
    }

    private static boolean isApplicationException(Exception exception) {
        return exception instanceof DomainRejection || exception instanceof InvalidPrefixException
                || exception instanceof AggregateNotFoundException
                || exception instanceof AggregateStreamCreationException
                || exception instanceof AllocationRaceException || exception instanceof ConcurrencyException
                || exception instanceof ConstraintViolationException;
    }

    // Wrappers that say only "it failed elsewhere": a future's completion, a reflective call, Axon's handler.
    private static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        while ((current instanceof CompletionException || current instanceof ExecutionException
                || current instanceof UndeclaredThrowableException || current instanceof HandlerExecutionException)
                && current.getCause() != null && current.getCause() != current) {
            current = current.getCause();
        }
        return current;
    }
}
