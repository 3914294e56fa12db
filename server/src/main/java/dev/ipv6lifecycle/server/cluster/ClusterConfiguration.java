package dev.ipv6lifecycle.server.cluster;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import org.axonframework.common.jpa.EntityManagerProvider;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jpa.JpaTokenStore;
import org.axonframework.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Several identical nodes on one PostgreSQL (DESIGN.md §9): each has an id of its own
 * ({@code ipv6.node-id}), claims event processor segments under it, and holds only its fair share of
 * each pooled processor's segments, so that the work spreads over the nodes and a dead node's segments
 * are taken over. Deadlines and recurring jobs need nothing more: db-scheduler picks each execution once.
 */
@Configuration(proxyBeanMethods = false)
class ClusterConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ClusterConfiguration.class);

    @Bean
    ClusterNode clusterNode(@Value("${ipv6.node-id}") String nodeId) {
        return new ClusterNode(nodeId);
    }

    @Bean
    ApplicationListener<ApplicationReadyEvent> logClusterNode(ClusterNode node,
                                                              @Value("${ipv6.cluster.balance-segments}") boolean balance) {
        return ready -> log.info("Node id {} (event processor claims, scheduler, database application_name {}); "
                + "segment balancing {}", node.id(), node.applicationName(), balance ? "on" : "off");
    }

    /**
     * Names every database connection after the node, which is how the nodes see each other. Hikari opens
     * its connections lazily, after this has run, whether the pool is the embedded database's or Boot's.
     */
    @Bean
    static BeanPostProcessor nodeApplicationName(Environment environment) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String beanName) {
                if (bean instanceof HikariDataSource) {
                    ClusterNode node = new ClusterNode(environment.getProperty(NodeIdEnvironmentPostProcessor.NODE_ID));
                    ((HikariDataSource) bean).addDataSourceProperty("ApplicationName", node.applicationName());
                }
                return bean;
            }
        };
    }

    /** Axon's JPA token store, as Spring Boot would build it, but claiming under this node's id. */
    @Bean
    TokenStore tokenStore(Serializer serializer, EntityManagerProvider entityManagerProvider, ClusterNode node,
                          @Value("${axon.eventhandling.tokenstore.claim-timeout:PT10S}") Duration claimTimeout) {
        return JpaTokenStore.builder()
                .entityManagerProvider(entityManagerProvider)
                .serializer(serializer)
                .claimTimeout(claimTimeout)
                .nodeId(node.id())
                .build();
    }

    /** Applies to every pooled processor, the projections' and the sagas' alike. */
    @Bean
    ConfigurerModule fairShareOfSegments(JdbcTemplate jdbc,
                                         @Value("${ipv6.cluster.balance-segments}") boolean balance) {
        return configurer -> {
            if (balance) {
                FairShareSegments fairShare = new FairShareSegments(jdbc);
                configurer.eventProcessing(processing -> processing.registerPooledStreamingEventProcessorConfiguration(
                        (configuration, builder) -> builder.maxSegmentProvider(fairShare)));
            }
        };
    }
}
