package dev.ipv6lifecycle.server.axon;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The JSON format of everything Axon stores: events, snapshots, sagas, tokens and deadlines. It has a
 * mapper of its own, so that no setting meant for the REST API can change the stored format.
 * {@code axon.serializer.*=jackson} (application.yml) makes Axon build its serializers on this bean.
 */
@Configuration(proxyBeanMethods = false)
class AxonSerializationConfiguration {

    @Bean("defaultAxonObjectMapper")
    ObjectMapper defaultAxonObjectMapper() {
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                // Events only ever gain fields: an older reader must skip what it does not know.
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }
}
