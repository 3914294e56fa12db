package dev.ipv6lifecycle.server.aaa;

import dev.ipv6lifecycle.api.DomainRejection;
import dev.ipv6lifecycle.api.Ipv6Prefix;
import dev.ipv6lifecycle.command.aaa.RadiusSessions;
import dev.ipv6lifecycle.command.aaa.RadiusSessions.Session;
import dev.ipv6lifecycle.server.web.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The sessions RADIUS accounting reported, in the caller's tenant: what the network holds, for operators. */
@RestController
@RequestMapping("/api/v1")
class SessionController {

    private static final int MAX_SIZE = 1000;

    private final RadiusSessions sessions;
    private final Caller caller;

    SessionController(RadiusSessions sessions, Caller caller) {
        this.sessions = sessions;
        this.caller = caller;
    }

    @GetMapping("/sessions")
    @Operation(summary = "RADIUS sessions", description = "The sessions that accounting reported, newest first: "
            + "those carrying `prefix`, those of `userName`, only the open ones with `open=true`. A closed session "
            + "has stoppedAt and stopCause (the Acct-Terminate-Cause, accounting-on, accounting-off, stale, "
            + "superseded).")
    List<Session> sessions(
            @Parameter(example = "2001:db8:12:3400::/56") @RequestParam(required = false) Ipv6Prefix prefix,
            @Parameter(example = "sub-000123") @RequestParam(required = false) String userName,
            @RequestParam(defaultValue = "false") boolean open,
            @RequestParam(defaultValue = "100") int size) {
        if (prefix != null && prefix.length() > 64) {
            throw DomainRejection.invalid("prefix must be /64 or shorter: sessions carry delegated prefixes");
        }
        if (size < 1 || size > MAX_SIZE) {
            throw DomainRejection.invalid("size must be 1.." + MAX_SIZE);
        }
        return sessions.list(caller.tenantId(), prefix, userName, open, size);
    }
}
