package dev.ipv6lifecycle.server.console;

import dev.ipv6lifecycle.api.DomainRejection;
import dev.ipv6lifecycle.api.InvalidPrefixException;
import dev.ipv6lifecycle.server.security.CallerIdentity;
import dev.ipv6lifecycle.server.security.Role;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * The console's refusals as a page, not as the API's problem document: the same refusal (a transition the
 * state does not allow, another tenant's id) with the same status, in words for a person.
 */
@ControllerAdvice(basePackageClasses = ConsoleAdvice.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class ConsoleAdvice {

    private static final Logger log = LoggerFactory.getLogger(ConsoleAdvice.class);

    /** Who is signed in, and what the pages may offer them: a viewer sees no button it cannot use. */
    @ModelAttribute
    void signedIn(Model model) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        CallerIdentity me = authentication != null && authentication.getPrincipal() instanceof CallerIdentity identity
                ? identity : null;
        model.addAttribute("me", me);
        // Named, not ordered: a role outside the hierarchy (such as a machine client's) may do neither.
        model.addAttribute("mayOperate", me != null && (me.role() == Role.OPERATOR || me.role() == Role.ADMIN));
        model.addAttribute("mayAdminister", me != null && me.role() == Role.ADMIN);
    }

    @ExceptionHandler(RuntimeException.class)
    String refused(RuntimeException failure, HttpServletResponse response, Model model) {
        DomainRejection rejection = rejection(failure);
        HttpStatus status;
        String message;
        if (rejection != null) {
            status = switch (rejection.kind()) {
                case INVALID -> HttpStatus.BAD_REQUEST;
                case NOT_FOUND -> HttpStatus.NOT_FOUND;
                case CONFLICT -> HttpStatus.CONFLICT;
            };
            message = rejection.getMessage();
        } else if (failure instanceof InvalidPrefixException invalid) {
            status = HttpStatus.BAD_REQUEST;
            message = invalid.getMessage();
        } else {
            log.error("Console request failed", failure);
            status = HttpStatus.INTERNAL_SERVER_ERROR;
            message = "The service failed; the log says why.";
        }
        response.setStatus(status.value());
        model.addAttribute("status", status);
        model.addAttribute("message", message);
        return "console/error";
    }

    /** Commands fail inside Axon's and the futures' wrappers; the refusal is their cause. */
    private static DomainRejection rejection(Throwable failure) {
        for (Throwable current = failure; current != null; current = current.getCause()) {
            if (current instanceof DomainRejection rejection) {
                return rejection;
            }
            if (current.getCause() == current) {
                break;
            }
        }
        return null;
    }
}
