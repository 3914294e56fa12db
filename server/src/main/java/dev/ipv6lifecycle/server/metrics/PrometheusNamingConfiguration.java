package dev.ipv6lifecycle.server.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Makes {@code /actuator/prometheus} pass {@code promtool check metrics} without a finding, so that a lint
 * failure always means a new problem. Axon's dimensional meters have camelCase names and tags
 * ({@code commandBus.successTimer{payloadType}}, {@code eventProcessor.latency{processorName}}); Prometheus
 * wants snake_case and no type in a name, so they come out as
 * {@code command_bus_success_duration_seconds{payload_type}}, {@code command_bus_success_messages_total} (from
 * {@code successCounter}) and {@code event_processor_latency{processor_name}}. Every meter gets a HELP text (its name when it has no
 * description), and the three JVM meters whose names the lint rejects for their units are not exported.
 */
@Configuration(proxyBeanMethods = false)
class PrometheusNamingConfiguration {

    /** {@code jvm_compilation_time_ms_total}, {@code process_cpu_time_ns_total}, {@code system_cpu_count}. */
    private static final Set<String> DENIED = Set.of("jvm.compilation.time", "process.cpu.time", "system.cpu.count");

    private static final Pattern CAMEL = Pattern.compile("([a-z0-9])([A-Z])");

    @Bean
    MeterFilter prometheusLintClean() {
        return new MeterFilter() {

            @Override
            public MeterFilterReply accept(Meter.Id id) {
                return DENIED.contains(id.getName()) ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
            }

            @Override
            public Meter.Id map(Meter.Id id) {
                String name = snake(withoutType(id.getName()));
                List<Tag> tags = id.getTags().stream().map(tag -> Tag.of(snake(tag.getKey()), tag.getValue())).toList();
                String description = id.getDescription() == null || id.getDescription().isBlank()
                        ? name.replace('.', ' ').replace('_', ' ') : id.getDescription();
                if (name.equals(id.getName()) && tags.equals(id.getTags()) && description.equals(id.getDescription())) {
                    return id;
                }
                return new Meter.Id(name, Tags.of(tags), id.getBaseUnit(), description, id.getType());
            }
        };
    }

    /** Axon's {@code xCounter} counts messages, its {@code xTimer} times them. */
    static String withoutType(String name) {
        if (name.endsWith("Counter")) {
            return name.substring(0, name.length() - "Counter".length()) + ".messages";
        }
        if (name.endsWith("Timer")) {
            return name.substring(0, name.length() - "Timer".length()) + ".duration";
        }
        return name;
    }

    static String snake(String name) {
        return CAMEL.matcher(name).replaceAll("$1_$2").toLowerCase();
    }
}
