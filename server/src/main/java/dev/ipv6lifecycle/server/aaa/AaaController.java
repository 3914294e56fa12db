package dev.ipv6lifecycle.server.aaa;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The endpoint that FreeRADIUS's {@code rlm_rest} calls from its authorize section ({@code body = 'json'}),
 * answered by {@link AaaAuthorization}. A well-formed call is answered by {@link AaaAuthorizeFilter} before Spring
 * MVC; this mapping answers the others, with the API's refusals (400, 406, 415), and documents the endpoint.
 */
@RestController
@RequestMapping("/api/v1/aaa")
class AaaController {

    private final AaaAuthorization authorization;

    AaaController(AaaAuthorization authorization) {
        this.authorization = authorization;
    }

    @PostMapping(path = "/authorize", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "RADIUS authorization (rlm_rest)", description = "Takes the request attributes as rlm_rest "
            + "sends them with body = 'json'. Answers reply:Delegated-IPv6-Prefix for an ALLOCATED or ACTIVE "
            + "delegation, and reply:Filter-Id besides for a SUSPENDED one; 204 without a live delegation. "
            + "Needs the role aaa. See radius/README.md.")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(type = "object",
            description = "The request's attributes as rlm_rest sends them: {\"User-Name\": {\"type\": \"string\", "
                    + "\"value\": [\"...\"]}, ...}")))
    @ApiResponse(responseCode = "200", description = "Attributes for the Access-Accept", content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(type = "object")))
    @ApiResponse(responseCode = "204", description = "No live delegation: nothing to add")
    void authorize(HttpServletRequest request, HttpServletResponse response) throws IOException {
        // Read before the answer's timer starts, as @RequestBody was: a body that is not JSON is the client's 400.
        authorization.answer(RlmRestRequest.userName(authorization.read(request, request.getInputStream().readAllBytes())),
                response);
    }
}
