package dev.ipv6lifecycle.sagas.netbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import dev.ipv6lifecycle.sagas.network.Ipam.IpamRecord;
import dev.ipv6lifecycle.sagas.network.Ipam.IpamUnavailableException;
import dev.ipv6lifecycle.sagas.network.NetworkOutcome;
import dev.ipv6lifecycle.sagas.network.NetworkOutcome.Result;
import dev.ipv6lifecycle.testsupport.NetBoxEmulator;
import dev.ipv6lifecycle.testsupport.NetBoxEmulator.PrefixRecord;
import dev.ipv6lifecycle.testsupport.NetBoxEmulator.Request;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class NetBoxClientTests {

    private static final Ipv6Prefix PREFIX = Ipv6Prefix.parse("2001:db8:12:3400::/56");
    // Generous enough for a first request on a loaded two-core machine; the slow-NetBox tests delay longer.
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final JsonMapper json = JsonMapper.builder().build();
    private NetBoxEmulator netbox;
    private NetBoxClient client;

    @BeforeEach
    void startNetBox() {
        netbox = NetBoxEmulator.start();
        client = clientFor(netbox.url(), netbox.token(), TIMEOUT);
    }

    @AfterEach
    void stopNetBox() {
        netbox.close();
    }

    @Test
    void recordsExactlyOneActivePrefixWithTheTenantAndADescriptionMarkingItAsOurs() {
        netbox.seedTenant("acme", "ACME Broadband");
        UUID delegation = UUID.randomUUID();

        NetworkOutcome outcome = client.record("acme", PREFIX, "sub-42", delegation);

        assertThat(outcome.result()).isEqualTo(Result.SUCCEEDED);
        assertThat(outcome.detail()).contains("recorded 2001:db8:12:3400::/56 in NetBox as prefix #1")
                .doesNotContain("without tenant");
        assertThat(netbox.records()).containsExactly(new PrefixRecord(1, "2001:db8:12:3400::/56", "active", "acme",
                null, "ipv6-lifecycle delegation=" + delegation + " tenant=acme subscriber=sub-42"));
    }

    @Test
    void sendsTheV1TokenAsTokenAndAJsonBodyNetBoxUnderstands() {
        netbox.seedTenant("acme", "ACME Broadband");

        client.record("acme", PREFIX, "sub-42", UUID.randomUUID());

        List<Request> requests = netbox.requests();
        assertThat(requests).allSatisfy(request ->
                assertThat(request.authorization()).isEqualTo("Token " + NetBoxEmulator.DEFAULT_TOKEN));
        Request post = requests.stream().filter(r -> r.method().equals("POST")).findFirst().orElseThrow();
        assertThat(post.path()).isEqualTo("/api/ipam/prefixes/");
        JsonNode body = json.readTree(post.body());
        assertThat(body.path("prefix").asString()).isEqualTo("2001:db8:12:3400::/56");
        assertThat(body.path("status").asString()).isEqualTo("active");
        assertThat(body.path("tenant").asInt()).isEqualTo(1);
        assertThat(body.has("vrf")).isFalse();
    }

    @Test
    void sendsAV2TokenAsBearer() {
        String v2 = "nbt_abcdefABCDEF.0123456789abcdefghijABCDEFGHIJ0123456789abcd";
        try (NetBoxEmulator v2NetBox = NetBoxEmulator.start(v2)) {
            NetBoxClient v2Client = clientFor(v2NetBox.url(), v2, TIMEOUT);

            NetworkOutcome outcome = v2Client.record("acme", PREFIX, "sub-42", UUID.randomUUID());

            assertThat(outcome.result()).isEqualTo(Result.SUCCEEDED);
            assertThat(v2NetBox.requests()).extracting(Request::authorization).containsOnly("Bearer " + v2);
        }
    }

    @Test
    void recordingTheSameDelegationTwiceCreatesNothingTheSecondTime() {
        UUID delegation = UUID.randomUUID();
        client.record("acme", PREFIX, "sub-42", delegation);
        netbox.clearRequests();

        NetworkOutcome again = client.record("acme", PREFIX, "sub-42", delegation);

        assertThat(again.result()).isEqualTo(Result.SUCCEEDED);
        assertThat(again.detail()).startsWith("already recorded: NetBox prefix #1");
        assertThat(netbox.records()).hasSize(1);
        assertThat(netbox.requests()).extracting(Request::method).containsOnly("GET");
    }

    @Test
    void recordsWithoutTenantWhenNetBoxHasNoTenantWithThatSlugAndSaysSo() {
        NetworkOutcome outcome = client.record("globex", PREFIX, "sub-42", UUID.randomUUID());

        assertThat(outcome.result()).isEqualTo(Result.SUCCEEDED);
        assertThat(outcome.detail()).contains("recorded without tenant: NetBox has no tenant with slug 'globex'");
        assertThat(netbox.records()).singleElement().satisfies(record -> {
            assertThat(record.tenantSlug()).isNull();
            assertThat(record.description()).contains("tenant=globex");
        });
    }

    @Test
    void mapsEachTenantToTheNetBoxTenantWithItsSlugAndLooksEachUpOnlyOnce() {
        netbox.seedTenant("acme", "ACME Broadband");
        netbox.seedTenant("globex", "Globex Fibre");

        client.record("globex", PREFIX, "sub-1", UUID.randomUUID());
        client.record("acme", Ipv6Prefix.parse("2001:db8:12:3500::/56"), "sub-2", UUID.randomUUID());
        client.record("globex", Ipv6Prefix.parse("2001:db8:12:3600::/56"), "sub-3", UUID.randomUUID());

        assertThat(netbox.records()).extracting(PrefixRecord::prefix, PrefixRecord::tenantSlug).containsExactly(
                tuple("2001:db8:12:3400::/56", "globex"),
                tuple("2001:db8:12:3500::/56", "acme"),
                tuple("2001:db8:12:3600::/56", "globex"));
        assertThat(netbox.requests()).filteredOn(r -> r.path().equals("/api/tenancy/tenants/"))
                .extracting(Request::query).containsExactly("slug=globex&limit=1", "slug=acme&limit=1");
    }

    @Test
    void movesOurRecordToTheNewDelegationWhenTheSubscriberGetsThePrefixBackFromQuarantine() {
        netbox.seedTenant("acme", "ACME Broadband");
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        client.record("acme", PREFIX, "sub-42", first);

        NetworkOutcome outcome = client.record("acme", PREFIX, "sub-42", second);

        assertThat(outcome.result()).isEqualTo(Result.SUCCEEDED);
        assertThat(outcome.detail()).contains("moved from delegation " + first + " to " + second);
        assertThat(netbox.records()).singleElement().satisfies(record -> {
            assertThat(record.id()).isEqualTo(1);
            assertThat(record.description()).contains("delegation=" + second);
        });
        assertThat(netbox.requests()).extracting(Request::method).containsOnlyOnce("PATCH").containsOnlyOnce("POST");
    }

    @Test
    void releaseDeletesOurRecordOfThatDelegation() {
        UUID delegation = UUID.randomUUID();
        client.record("acme", PREFIX, "sub-42", delegation);

        NetworkOutcome outcome = client.release("acme", PREFIX, delegation);

        assertThat(outcome.result()).isEqualTo(Result.SUCCEEDED);
        assertThat(outcome.detail()).isEqualTo("deleted NetBox prefix #1 (2001:db8:12:3400::/56)");
        assertThat(netbox.records()).isEmpty();
        assertThat(netbox.requests()).filteredOn(r -> r.method().equals("DELETE"))
                .extracting(Request::path).containsExactly("/api/ipam/prefixes/1/");
    }

    @Test
    void releasingWhatNetBoxDoesNotHoldSucceedsAndDeletesNothing() {
        NetworkOutcome outcome = client.release("acme", PREFIX, UUID.randomUUID());

        assertThat(outcome.result()).isEqualTo(Result.SUCCEEDED);
        assertThat(outcome.detail()).startsWith("nothing to release");
        assertThat(netbox.requests()).extracting(Request::method).containsOnly("GET");
    }

    @Test
    void aRecordDeletedByHandJustBeforeTheReleaseCountsAsReleased() {
        UUID delegation = UUID.randomUUID();
        client.record("acme", PREFIX, "sub-42", delegation);
        netbox.failNext(1, 404, "DELETE");

        NetworkOutcome outcome = client.release("acme", PREFIX, delegation);

        assertThat(outcome.result()).isEqualTo(Result.SUCCEEDED);
        assertThat(netbox.requests()).extracting(Request::method).containsOnlyOnce("DELETE");
    }

    @Test
    void releaseLeavesRecordsOfOtherDelegationsAndOfOthersAlone() {
        netbox.seedPrefix("2001:db8:12:3500::/56", "customer LAN, managed by hand", null);
        UUID earlier = UUID.randomUUID();
        UUID current = UUID.randomUUID();
        client.record("acme", PREFIX, "sub-42", earlier);
        client.record("acme", PREFIX, "sub-42", current);

        NetworkOutcome stale = client.release("acme", PREFIX, earlier);
        NetworkOutcome foreign = client.release("acme", Ipv6Prefix.parse("2001:db8:12:3500::/56"), earlier);

        assertThat(stale.result()).isEqualTo(Result.SUCCEEDED);
        assertThat(stale.detail()).startsWith("nothing to release");
        assertThat(foreign.result()).isEqualTo(Result.SUCCEEDED);
        assertThat(netbox.records()).extracting(PrefixRecord::prefix)
                .containsExactly("2001:db8:12:3500::/56", "2001:db8:12:3400::/56");
    }

    @Test
    void aServerErrorIsUnreachableAndTheNextAttemptRecordsThePrefix() {
        UUID delegation = UUID.randomUUID();
        netbox.failNext(1, 500);

        NetworkOutcome failed = client.record("acme", PREFIX, "sub-42", delegation);
        NetworkOutcome retried = client.record("acme", PREFIX, "sub-42", delegation);

        assertThat(failed.result()).isEqualTo(Result.UNREACHABLE);
        assertThat(failed.detail()).isEqualTo("NetBox answered 500: Server Error (OperationalError)");
        assertThat(retried.result()).isEqualTo(Result.SUCCEEDED);
        assertThat(netbox.records()).hasSize(1);
    }

    @Test
    void aProxyErrorPageAndThrottlingAreUnreachable() {
        netbox.failNext(1, 503);
        NetworkOutcome proxy = client.release("acme", PREFIX, UUID.randomUUID());
        netbox.failNext(1, 429);
        NetworkOutcome throttled = client.record("acme", PREFIX, "sub-42", UUID.randomUUID());

        assertThat(proxy.result()).isEqualTo(Result.UNREACHABLE);
        assertThat(proxy.detail()).isEqualTo("NetBox answered 503: 503 Service Temporarily Unavailable");
        assertThat(throttled.result()).isEqualTo(Result.UNREACHABLE);
        assertThat(throttled.detail()).isEqualTo("NetBox answered 429: Request was throttled.");
    }

    @Test
    void aSlowNetBoxIsUnreachableWithinAboutTheConfiguredTimeout() {
        netbox.delay(Duration.ofSeconds(5));

        long started = System.nanoTime();
        NetworkOutcome outcome = client.record("acme", PREFIX, "sub-42", UUID.randomUUID());
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(outcome.result()).isEqualTo(Result.UNREACHABLE);
        assertThat(outcome.detail()).contains("did not answer GET /api/ipam/prefixes/ within 2000 ms");
        assertThat(took).isBetween(TIMEOUT.minusMillis(50), TIMEOUT.plusMillis(1500));
        assertThat(netbox.records()).isEmpty();
    }

    @Test
    void aNetBoxThatIsNotListeningIsUnreachable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        NetBoxClient nowhere = clientFor("http://127.0.0.1:" + closedPort, netbox.token(), TIMEOUT);

        NetworkOutcome recorded = nowhere.record("acme", PREFIX, "sub-42", UUID.randomUUID());
        NetworkOutcome released = nowhere.release("acme", PREFIX, UUID.randomUUID());

        assertThat(recorded.result()).isEqualTo(Result.UNREACHABLE);
        assertThat(recorded.detail()).startsWith("cannot connect to NetBox at http://127.0.0.1:" + closedPort);
        assertThat(released.result()).isEqualTo(Result.UNREACHABLE);
    }

    @Test
    void aPrefixSomeoneElseHoldsInNetBoxIsRejectedWithNetBoxsFieldMessage() {
        netbox.seedPrefix("2001:db8:12:3400::/56", "business customer, static", null);

        NetworkOutcome outcome = client.record("acme", PREFIX, "sub-42", UUID.randomUUID());

        assertThat(outcome.result()).isEqualTo(Result.REJECTED);
        assertThat(outcome.detail())
                .isEqualTo("NetBox answered 400: prefix: Duplicate prefix found in global table: 2001:db8:12:3400::/56");
        assertThat(netbox.records()).singleElement()
                .satisfies(record -> assertThat(record.description()).isEqualTo("business customer, static"));
    }

    @Test
    void aWrongTokenIsRejectedAndNeverShownInTheOutcome() {
        String wrong = "fedcba9876543210fedcba9876543210fedcba98";
        NetBoxClient impostor = clientFor(netbox.url(), wrong, TIMEOUT);

        NetworkOutcome recorded = impostor.record("acme", PREFIX, "sub-42", UUID.randomUUID());
        NetworkOutcome released = impostor.release("acme", PREFIX, UUID.randomUUID());

        assertThat(recorded.result()).isEqualTo(Result.REJECTED);
        assertThat(recorded.detail()).isEqualTo("NetBox answered 403: Invalid v1 token");
        assertThat(released.result()).isEqualTo(Result.REJECTED);
        assertThat(List.of(recorded.detail(), released.detail())).noneMatch(detail -> detail.contains(wrong));
        assertThatThrownBy(() -> impostor.recorded(0, 10)).isInstanceOf(IpamUnavailableException.class)
                .hasMessage("NetBox answered 403: Invalid v1 token");
    }

    @Test
    void theTokenAppearsInNoOutcomeWhateverHappens() {
        netbox.seedTenant("acme", "ACME Broadband");
        UUID delegation = UUID.randomUUID();
        List<NetworkOutcome> outcomes = new ArrayList<>();
        outcomes.add(client.record("acme", PREFIX, "sub-42", delegation));
        outcomes.add(client.record("acme", PREFIX, "sub-42", delegation));
        outcomes.add(client.record("acme", PREFIX, "sub-42", UUID.randomUUID()));
        netbox.failNext(1, 500);
        outcomes.add(client.release("acme", PREFIX, delegation));
        netbox.failNext(1, 502);
        outcomes.add(client.record("acme", PREFIX, "sub-42", delegation));
        outcomes.add(client.record("acme", Ipv6Prefix.parse("2001:db8::/48"), "x".repeat(300), delegation));
        netbox.delay(Duration.ofSeconds(5));
        outcomes.add(client.release("acme", PREFIX, delegation));

        assertThat(outcomes).extracting(NetworkOutcome::result).contains(Result.SUCCEEDED, Result.UNREACHABLE);
        assertThat(outcomes).allSatisfy(outcome ->
                assertThat(outcome.detail()).doesNotContain(NetBoxEmulator.DEFAULT_TOKEN));
        NetBoxProperties properties = new NetBoxProperties(URI.create(netbox.url()), NetBoxEmulator.DEFAULT_TOKEN,
                TIMEOUT, null);
        assertThat(properties.toString()).doesNotContain(NetBoxEmulator.DEFAULT_TOKEN).contains("token=(set)");
    }

    @Test
    void aLongSubscriberIdIsCutSoTheDescriptionFitsNetBoxsLimitAndTheRecordStaysOurs() {
        UUID delegation = UUID.randomUUID();
        String subscriber = "subscriber-" + "\uD83D\uDE80".repeat(250); // astral characters count once in NetBox

        NetworkOutcome outcome = client.record("acme", PREFIX, subscriber, delegation);

        assertThat(outcome.result()).isEqualTo(Result.SUCCEEDED);
        String description = netbox.records().get(0).description();
        assertThat(description.codePointCount(0, description.length())).isEqualTo(200);
        assertThat(client.recorded(0, 10)).containsExactly(new IpamRecord("acme", PREFIX, delegation));
    }

    @Test
    void recordedPagesThroughOurRecordsOnlyWithTheirTenantAndDelegation() {
        netbox.seedTenant("acme", "ACME Broadband");
        netbox.seedPrefix("2001:db8:ff00::/48", "aggregate, not ours", null);
        netbox.seedPrefix("2001:db8:fe00::/48", "ipv6-lifecycle-like but not ours", null);
        List<IpamRecord> expected = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Ipv6Prefix prefix = Ipv6Prefix.parse("2001:db8:12:3" + i + "00::/56");
            UUID delegation = UUID.randomUUID();
            String tenant = i % 2 == 0 ? "acme" : "initech"; // initech has no NetBox tenant
            assertThat(client.record(tenant, prefix, "sub-" + i, delegation).result()).isEqualTo(Result.SUCCEEDED);
            expected.add(new IpamRecord(tenant, prefix, delegation));
        }

        List<List<IpamRecord>> pages = new ArrayList<>();
        for (int offset = 0; offset <= 6; offset += 2) {
            pages.add(client.recorded(offset, 2));
        }

        assertThat(pages).extracting(List::size).containsExactly(2, 2, 1, 0);
        assertThat(pages.stream().flatMap(List::stream).collect(Collectors.toList()))
                .containsExactlyElementsOf(expected);
        assertThat(netbox.requests()).filteredOn(r -> r.query() != null && r.query().contains("offset=4"))
                .extracting(Request::query)
                .containsExactly("description__isw=ipv6-lifecycle+&limit=2&offset=4");
    }

    @Test
    void recordedSkipsDescriptionsEditedBeyondRecognitionYetOnlyAnEmptyPageMeansTheEnd() {
        netbox.seedPrefix("2001:db8:12:100::/56", "ipv6-lifecycle edited by an operator", null);
        netbox.seedPrefix("2001:db8:12:200::/56", "ipv6-lifecycle delegation=not-a-uuid", null);
        UUID delegation = UUID.randomUUID();
        client.record("acme", PREFIX, "sub-42", delegation);

        List<IpamRecord> first = client.recorded(0, 2);

        assertThat(first).containsExactly(new IpamRecord("acme", PREFIX, delegation));
        assertThat(client.recorded(3, 2)).isEmpty();
    }

    @Test
    void recordedThrowsWhenNetBoxFailsOrIsSlow() {
        netbox.failNext(1, 502);
        assertThatThrownBy(() -> client.recorded(0, 50)).isInstanceOf(IpamUnavailableException.class)
                .hasMessage("NetBox answered 502: 502 Bad Gateway");

        netbox.delay(Duration.ofSeconds(5));
        assertThatThrownBy(() -> client.recorded(0, 50)).isInstanceOf(IpamUnavailableException.class)
                .hasMessageContaining("within 2000 ms");
    }

    @Test
    void putsNewRecordsInTheConfiguredVrf() {
        int vrf = netbox.seedVrf("subscribers");
        NetBoxClient inVrf = new NetBoxClient(new NetBoxProperties(URI.create(netbox.url()), netbox.token(),
                TIMEOUT, vrf));
        UUID delegation = UUID.randomUUID();

        assertThat(inVrf.record("acme", PREFIX, "sub-42", delegation).result()).isEqualTo(Result.SUCCEEDED);
        assertThat(inVrf.record("acme", PREFIX, "sub-42", delegation).detail()).startsWith("already recorded");

        assertThat(netbox.records()).singleElement().satisfies(record -> assertThat(record.vrfId()).isEqualTo(vrf));
        assertThat(inVrf.release("acme", PREFIX, delegation).result()).isEqualTo(Result.SUCCEEDED);
        assertThat(netbox.records()).isEmpty();
    }

    @Test
    void acceptsABaseUrlWrittenWithApiOrATrailingSlash() {
        NetBoxClient withApi = clientFor(netbox.url() + "/api/", netbox.token(), TIMEOUT);

        assertThat(withApi.record("acme", PREFIX, "sub-42", UUID.randomUUID()).result()).isEqualTo(Result.SUCCEEDED);
        assertThat(netbox.requests()).extracting(Request::path).allMatch(path -> path.startsWith("/api/")
                && !path.startsWith("/api/api/"));
    }

    private static NetBoxClient clientFor(String url, String token, Duration timeout) {
        return new NetBoxClient(new NetBoxProperties(URI.create(url), token, timeout, null));
    }
}
