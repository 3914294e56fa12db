package dev.ipv6lifecycle.sagas.netbox;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where NetBox is and how to reach it ({@code netbox.*}). The IPAM is used only when both {@code url} and
 * {@code token} are set; otherwise every IPAM step of the sagas is skipped and recorded as skipped.
 *
 * @param url     NetBox's base URL, e.g. {@code https://netbox.example.net} (without {@code /api})
 * @param token   an API token: a v2 token {@code nbt_<key>.<secret>} (NetBox 4.5+) is sent as
 *                {@code Authorization: Bearer}, any other (a v1 40-hex token) as {@code Authorization: Token}.
 *                It needs view/add/change/delete on ipam.prefix and view on tenancy.tenant. Never logged.
 * @param timeout how long one HTTP request to NetBox may take, connecting included
 * @param vrfId   the NetBox VRF id new records are put in; null for the global table
 */
@ConfigurationProperties("netbox")
record NetBoxProperties(URI url, String token, @DefaultValue("PT5S") Duration timeout, Integer vrfId) {

    NetBoxProperties {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            timeout = Duration.ofSeconds(5);
        }
    }

    /** Whether both the URL and the token are set. */
    boolean configured() {
        return url != null && !url.toString().isBlank() && token != null && !token.isBlank();
    }

    /** Never prints the token: properties end up in logs and actuator output. */
    @Override
    public String toString() {
        return "NetBoxProperties[url=" + url + ", token=" + (token == null || token.isBlank() ? "(none)" : "(set)")
                + ", timeout=" + timeout + ", vrfId=" + vrfId + "]";
    }
}
