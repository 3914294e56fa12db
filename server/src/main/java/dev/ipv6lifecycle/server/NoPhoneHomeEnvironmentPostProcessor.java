package dev.ipv6lifecycle.server;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Switches off Axon's outbound usage reporting and its console advertisement before any Axon class
 * starts. Both are read from system properties, so they are set here, ahead of the application context,
 * rather than left to a flag an operator must remember.
 */
class NoPhoneHomeEnvironmentPostProcessor implements EnvironmentPostProcessor {

    static final String UPDATE_CHECKER_DISABLED = "axoniq.update-checker.disabled";
    static final String CONSOLE_MESSAGE_DISABLED = "disable-axoniq-console-message";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        System.setProperty(UPDATE_CHECKER_DISABLED, "true");
        System.setProperty(CONSOLE_MESSAGE_DISABLED, "true");
    }
}
