package dev.ipv6lifecycle.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipv6lifecycle.server.IntegrationTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Every error of the API is an RFC 9457 problem with a stable type, over real HTTP: domain refusals, Axon's
 * failures, Bean Validation, unreadable JSON, bad parameters, and what Spring MVC itself refuses.
 */
@IntegrationTest
class ProblemDetailsIntegrationTests {

    private static final String PROBLEMS = "/api/v1/test-only/problems";
    private static final String VALID_BODY = """
            {"name": "probe", "prefix": "2001:db8::/48", "delegatedLengths": [48, 56]}""";

    @LocalServerPort
    int port;

    Api api;

    @BeforeEach
    void connect() {
        api = new Api(port);
    }

    // ------------------------------------------------------------------ domain and Axon

    @Test
    void anInvalidDomainRequestIs400WithTheRejectionsMessage() {
        JsonNode problem = api.post(PROBLEMS + "/rejection/invalid", "").assertProblem(400, "invalid-request");

        assertThat(problem.path("detail").asString()).isEqualTo("prefixLength 40 is not one of the pool's delegated "
                + "lengths [48, 56]");
        assertThat(problem.path("title").asString()).isEqualTo("Invalid request");
    }

    @Test
    void anUnknownDelegationIs404() {
        JsonNode problem = api.post(PROBLEMS + "/rejection/not-found", "").assertProblem(404, "not-found");

        assertThat(problem.path("detail").asString()).isEqualTo("no delegation " + TestOnlyController.DELEGATION);
    }

    @Test
    void anExhaustedPoolIs409() {
        JsonNode problem = api.post(PROBLEMS + "/rejection/exhausted", "").assertProblem(409, "conflict");

        assertThat(problem.path("detail").asString()).isEqualTo("pool residential has no free /56 left");
    }

    @Test
    void aForbiddenTransitionIs409WithTheCurrentStateAndTheAllowedCommands() {
        JsonNode problem = api.post(PROBLEMS + "/transition", "").assertProblem(409, "transition-not-allowed");

        assertThat(problem.path("title").asString()).isEqualTo("Transition not allowed");
        assertThat(problem.path("detail").asString()).startsWith("cannot suspend delegation");
        assertThat(problem.path("currentState").asString()).isEqualTo("ALLOCATED");
        assertThat(strings(problem.path("allowedCommands"))).containsExactly("activate", "revoke", "fail");
        assertThat(problem.path("instance").asString()).isEqualTo(PROBLEMS + "/transition");
    }

    @Test
    void aRejectionThatCompletesAFutureIsAnsweredLikeOneThrownDirectly() {
        JsonNode problem = api.post(PROBLEMS + "/future-rejection", "").assertProblem(409, "transition-not-allowed");

        assertThat(problem.path("currentState").asString()).isEqualTo("REVOKED");
        assertThat(strings(problem.path("allowedCommands"))).containsExactly("revoke");
    }

    @Test
    void aWrappedRejectionIsAnsweredAsTheRejectionItself() {
        api.post(PROBLEMS + "/wrapped", "").assertProblem(404, "not-found");
    }

    @Test
    void aCommandForAnUnknownAggregateIs404WithoutAxonsWording() {
        JsonNode problem = api.post(PROBLEMS + "/unknown-aggregate", "").assertProblem(404, "not-found");

        assertThat(problem.path("detail").asString())
                .isEqualTo("Nothing with id " + TestOnlyController.DELEGATION + " exists.");
    }

    @Test
    void creatingWhatAlreadyExistsIs409WithoutNamingTheAggregateClass() {
        JsonNode problem = api.post(PROBLEMS + "/duplicate-aggregate", "").assertProblem(409, "conflict");

        assertThat(problem.path("detail").asString()).contains("already exists").doesNotContain("Delegation]");
    }

    @Test
    void anAllocationRaceThatOutlastedTheRetriesIs409AskingToRetry() {
        JsonNode problem = api.post(PROBLEMS + "/allocation-race", "").assertProblem(409, "conflict");

        assertThat(problem.path("detail").asString()).contains("retry");
    }

    @Test
    void aConcurrentChangeIs409AskingToRetry() {
        JsonNode problem = api.post(PROBLEMS + "/concurrent-change", "").assertProblem(409, "conflict");

        assertThat(problem.path("detail").asString()).contains("retry").doesNotContain("sequence");
    }

    @Test
    void anInvalidPrefixFromAHandlerIs400WithTheParsersExplanation() {
        JsonNode problem = api.post(PROBLEMS + "/invalid-prefix", "").assertProblem(400, "invalid-request");

        assertThat(problem.path("detail").asString()).isEqualTo("2001:db8::1/48 has host bits set below /48; "
                + "did you mean 2001:db8::/48?");
    }

    @Test
    void anUnexpectedFailureIs500WithoutItsCause() {
        Api.Answer answer = api.post(PROBLEMS + "/unexpected", "");

        JsonNode problem = answer.assertProblem(500, "internal-error");
        assertThat(problem.path("detail").asString()).isEqualTo(ProblemDetailsAdvice.UNEXPECTED);
        assertThat(answer.body()).doesNotContain("jdbc", "secret", "IllegalStateException", "trace");
    }

    @Test
    void anErrorRaisedOutsideAControllerIsAProblemToo() {
        Api.Answer answer = api.post(PROBLEMS + "/send-error", "");

        JsonNode problem = answer.assertProblem(410, "http-410");
        assertThat(problem.path("title").asString()).isEqualTo("Gone");
        assertThat(answer.body()).doesNotContain("tomcat internals");
    }

    // ------------------------------------------------------------------ Bean Validation

    @Test
    void anInvalidBodyListsEveryFieldThatBreaksAConstraint() {
        JsonNode problem = api.post(PROBLEMS + "/body", """
                {"name": " ", "delegatedLengths": [48, 99], "nas": {"username": ""}}""")
                .assertProblem(400, "invalid-request");

        assertThat(errors(problem)).containsExactly(
                "delegatedLengths[1]: must be less than or equal to 64",
                "name: must not be blank",
                "nas.username: must not be blank",
                "prefix: must not be null");
        assertThat(problem.path("detail").asString()).contains("name must not be blank");
    }

    @Test
    void anInvalidBodyAndAnInvalidParameterAreReportedTogether() {
        JsonNode problem = api.post(PROBLEMS + "/body/7", """
                {"name": "", "prefix": "2001:db8::/48", "delegatedLengths": [48]}""")
                .assertProblem(400, "invalid-request");

        assertThat(errors(problem)).containsExactly("copies: must be less than or equal to 3",
                "name: must not be blank");
    }

    @Test
    void constraintViolationsOutsideSpringMvcListEveryFieldToo() {
        JsonNode problem = api.post(PROBLEMS + "/constraint-violation", "").assertProblem(400, "invalid-request");

        assertThat(errors(problem)).containsExactly(
                "delegatedLengths[1]: must be less than or equal to 64",
                "name: must not be blank",
                "prefix: must not be null");
    }

    @Test
    void aParameterThatBreaksAConstraintIs400NamingTheParameter() {
        JsonNode problem = api.get(PROBLEMS + "/params/" + TestOnlyController.DELEGATION
                + "?state=ACTIVE&at=2026-03-14T10:00:00Z&page-size=1000").assertProblem(400, "invalid-request");

        assertThat(errors(problem)).containsExactly("page-size: must be less than or equal to 500");
    }

    @Test
    void aValidBodyIsAccepted() {
        Api.Answer answer = api.post(PROBLEMS + "/body", """
                {"name": "probe", "prefix": "2001:DB8:0::/48", "delegatedLengths": [48, 56],
                 "poolId": "0b5d3c1e-4f6a-4b7c-8d9e-0f1a2b3c4d5e", "state": "ACTIVE", "at": "2026-03-14T10:00:00Z",
                 "nas": {"username": "alice", "framedPrefix": "2001:db8:1::/56"}}""");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("prefix").asString()).isEqualTo("2001:db8::/48");
        assertThat(answer.json().path("at").asString()).isEqualTo("2026-03-14T10:00:00Z");
    }

    // ------------------------------------------------------------------ unreadable bodies

    @Test
    void malformedJsonIs400() {
        JsonNode problem = api.post(PROBLEMS + "/body", "{\"name\": ").assertProblem(400, "invalid-request");

        assertThat(problem.path("detail").asString()).startsWith("The request body is not well-formed JSON");
        assertThat(problem.has("errors")).isFalse();
    }

    @Test
    void aMissingBodyIs400() {
        api.post(PROBLEMS + "/body", "").assertProblem(400, "invalid-request");
    }

    @Test
    void anUnknownFieldIs400NamingTheField() {
        JsonNode problem = api.post(PROBLEMS + "/body", """
                {"name": "probe", "prefix": "2001:db8::/48", "delegatedLengths": [48], "colour": "red"}""")
                .assertProblem(400, "invalid-request");

        assertThat(errors(problem)).containsExactly("colour: is not a known field");
    }

    @Test
    void anUnknownNestedFieldIsNamedByItsPath() {
        JsonNode problem = api.post(PROBLEMS + "/body", """
                {"name": "probe", "prefix": "2001:db8::/48", "delegatedLengths": [48],
                 "nas": {"username": "alice", "password": "x"}}""")
                .assertProblem(400, "invalid-request");

        assertThat(errors(problem)).containsExactly("nas.password: is not a known field");
    }

    @Test
    void aValueOfTheWrongTypeIs400NamingTheField() {
        JsonNode problem = api.post(PROBLEMS + "/body", """
                {"name": "probe", "prefix": "2001:db8::/48", "delegatedLengths": [48, "many"]}""")
                .assertProblem(400, "invalid-request");

        assertThat(errors(problem)).containsExactly("delegatedLengths[1]: must be an integer");
    }

    @Test
    void anObjectWhereAListBelongsIs400NamingTheField() {
        JsonNode problem = api.post(PROBLEMS + "/body", """
                {"name": "probe", "prefix": "2001:db8::/48", "delegatedLengths": {"a": 1}}""")
                .assertProblem(400, "invalid-request");

        assertThat(errors(problem)).containsExactly("delegatedLengths: must be an array");
    }

    @Test
    void anInvalidUuidIs400NamingTheField() {
        JsonNode problem = api.post(PROBLEMS + "/body", """
                {"name": "probe", "prefix": "2001:db8::/48", "delegatedLengths": [48], "poolId": "pool-1"}""")
                .assertProblem(400, "invalid-request");

        assertThat(errors(problem)).containsExactly("poolId: must be a UUID");
    }

    @Test
    void anInvalidEnumValueIs400ListingTheValuesAllowed() {
        JsonNode problem = api.post(PROBLEMS + "/body", """
                {"name": "probe", "prefix": "2001:db8::/48", "delegatedLengths": [48], "state": "SLEEPING"}""")
                .assertProblem(400, "invalid-request");

        assertThat(errors(problem)).containsExactly("state: must be one of "
                + "[PENDING, ALLOCATED, ACTIVE, SUSPENDED, REVOKING, REVOKED, FAILED]");
    }

    @Test
    void anInvalidTimestampIs400NamingTheField() {
        JsonNode problem = api.post(PROBLEMS + "/body", """
                {"name": "probe", "prefix": "2001:db8::/48", "delegatedLengths": [48], "at": "yesterday"}""")
                .assertProblem(400, "invalid-request");

        assertThat(errors(problem)).containsExactly("at: must be an ISO-8601 timestamp such as 2026-03-14T10:00:00Z");
    }

    @Test
    void aPrefixThatDoesNotParseIs400WithTheParsersExplanation() {
        JsonNode problem = api.post(PROBLEMS + "/body", """
                {"name": "probe", "prefix": "2001:db8::1/48", "delegatedLengths": [48]}""")
                .assertProblem(400, "invalid-request");

        assertThat(errors(problem)).containsExactly(
                "prefix: 2001:db8::1/48 has host bits set below /48; did you mean 2001:db8::/48?");
    }

    @Test
    void aNestedPrefixThatDoesNotParseIsNamedByItsPath() {
        JsonNode problem = api.post(PROBLEMS + "/body", """
                {"name": "probe", "prefix": "2001:db8::/48", "delegatedLengths": [48],
                 "nas": {"username": "alice", "framedPrefix": "fe80::/64"}}""")
                .assertProblem(400, "invalid-request");

        assertThat(errors(problem)).containsExactly("nas.framedPrefix: fe80::/64 is link-local (inside fe80::/10)");
    }

    @Test
    void aPrefixOfTheWrongJsonTypeIs400NamingTheField() {
        JsonNode problem = api.post(PROBLEMS + "/body", """
                {"name": "probe", "prefix": ["2001:db8::/48"], "delegatedLengths": [48]}""")
                .assertProblem(400, "invalid-request");

        assertThat(errors(problem)).extracting(error -> error.substring(0, error.indexOf(':')))
                .containsExactly("prefix");
    }

    // ------------------------------------------------------------------ parameters

    @Test
    void aPathParameterThatIsNoUuidIs400NamingIt() {
        JsonNode problem = api.get(PROBLEMS + "/params/not-a-uuid?state=ACTIVE&at=2026-03-14T10:00:00Z")
                .assertProblem(400, "invalid-request");

        assertThat(errors(problem)).containsExactly("id: must be a UUID");
    }

    @Test
    void aQueryParameterWithAnUnknownEnumValueIs400NamingIt() {
        JsonNode problem = api.get(PROBLEMS + "/params/" + TestOnlyController.DELEGATION
                + "?state=SLEEPING&at=2026-03-14T10:00:00Z").assertProblem(400, "invalid-request");

        assertThat(errors(problem)).singleElement().asString().startsWith("state: must be one of [PENDING");
    }

    @Test
    void aQueryParameterThatIsNoInstantIs400NamingIt() {
        JsonNode problem = api.get(PROBLEMS + "/params/" + TestOnlyController.DELEGATION
                + "?state=ACTIVE&at=yesterday").assertProblem(400, "invalid-request");

        assertThat(errors(problem)).singleElement().asString().startsWith("at: must be an ISO-8601 timestamp");
    }

    @Test
    void aQueryParameterThatIsNoPrefixIs400WithTheParsersExplanation() {
        JsonNode problem = api.get(PROBLEMS + "/params/" + TestOnlyController.DELEGATION
                + "?state=ACTIVE&at=2026-03-14T10:00:00Z&prefix=10.0.0.0/8").assertProblem(400, "invalid-request");

        assertThat(errors(problem))
                .containsExactly("prefix: 10.0.0.0/8 is an IPv4 prefix; an IPv6 prefix is required");
    }

    @Test
    void aMissingRequiredParameterIs400NamingIt() {
        JsonNode problem = api.get(PROBLEMS + "/params/" + TestOnlyController.DELEGATION + "?state=ACTIVE")
                .assertProblem(400, "invalid-request");

        assertThat(errors(problem)).containsExactly("at: is required");
    }

    @Test
    void parametersThatAreRightAreAccepted() {
        Api.Answer answer = api.get(PROBLEMS + "/params/" + TestOnlyController.DELEGATION
                + "?state=ACTIVE&at=2026-03-14T10:00:00Z&prefix=2001:db8::/48&page-size=10");

        assertThat(answer.status()).isEqualTo(200);
    }

    // ------------------------------------------------------------------ what Spring MVC refuses

    @Test
    void anUnknownPathIs404() {
        JsonNode problem = api.get("/api/v1/no-such-thing").assertProblem(404, "not-found");

        assertThat(problem.path("detail").asString()).isEqualTo("Nothing is at GET /api/v1/no-such-thing.");
    }

    @Test
    void aWrongMethodIs405NamingTheMethodsAllowed() {
        Api.Answer answer = api.send("DELETE", PROBLEMS + "/transition", null, Map.of());

        answer.assertProblem(405, "method-not-allowed");
        assertThat(answer.header("Allow")).isEqualTo("POST");
    }

    @Test
    void anUnsupportedMediaTypeIs415() {
        api.send("POST", PROBLEMS + "/body", VALID_BODY, Map.of("Content-Type", "text/plain"))
                .assertProblem(415, "unsupported-media-type");
    }

    @Test
    void anUnacceptableMediaTypeIs406AndStillAProblem() {
        api.send("GET", PROBLEMS + "/time", null, Map.of("Accept", "application/xml"))
                .assertProblem(406, "not-acceptable");
    }

    @Test
    void theErrorPageItselfIsNoEndpoint() {
        api.get("/error").assertProblem(404, "not-found");

        assertThat(api.get("/v3/api-docs").json().path("paths").has("/error")).isFalse();
    }

    // ------------------------------------------------------------------ JSON conventions

    @Test
    void timesAndDurationsAreWrittenAsIso8601Text() {
        Api.Answer answer = api.get(PROBLEMS + "/time");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("at").isString()).isTrue();
        assertThat(answer.json().path("at").asString()).isEqualTo("2026-03-14T10:00:00Z");
        assertThat(answer.json().path("quarantine").asString()).isEqualTo("PT720H");
    }

    private static List<String> errors(JsonNode problem) {
        List<String> errors = new ArrayList<>();
        for (JsonNode error : problem.path("errors")) {
            errors.add(error.path("field").asString() + ": " + error.path("message").asString());
        }
        return errors;
    }

    private static List<String> strings(JsonNode array) {
        List<String> strings = new ArrayList<>();
        array.forEach(node -> strings.add(node.asString()));
        return strings;
    }
}
