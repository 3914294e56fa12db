package dev.ipv6lifecycle.server.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param adminApiKey an admin API key of tenant {@code default}, seeded at start-up (a changed value revokes
 *                    the one seeded before); empty, the first start creates one and writes it to the data
 *                    directory
 */
@ConfigurationProperties("ipv6.security")
record SecuritySettings(@DefaultValue("") String adminApiKey) {
}
