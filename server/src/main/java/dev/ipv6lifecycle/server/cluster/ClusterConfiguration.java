package dev.ipv6lifecycle.server.cluster;

import com.zaxxer.hikari.HikariDataSource;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.serialization.Serializer;
import org.axonframework.springboot.TokenStoreProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Several identical nodes on one PostgreSQL (docs/operations.md, Several nodes): each has an id of its own
 * ({@code ipv6.node-id}), claims event processor segments under it, and holds only its fair share of
 * each pooled processor's segments, so that the work spreads over the nodes and a dead node's segments
 * are taken over. Deadlines and recurring jobs need nothing more: db-scheduler picks each execution once.
 */
@Configuration(proxyBeanMethods = false)
// Axon's own token store settings (axon.eventhandling.tokenstore.*), read here for the JDBC token store.
@EnableConfigurationProperties({ClusterSettings.class, TokenStoreProperties.class})
class ClusterConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ClusterConfiguration.class);

    @Bean
    ClusterNode clusterNode(ClusterSettings settings) {
        return new ClusterNode(settings.nodeId());
    }

    @Bean
    ApplicationListener<ApplicationReadyEvent> logClusterNode(ClusterNode node, ClusterSettings settings) {
        return ready -> log.info("Node id {} (event processor claims, scheduler, database application_name {}); "
                + "segment balancing {}", node.id(), node.applicationName(),
                settings.cluster().balanceSegments() ? "on" : "off");
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

    /**
     * Axon's JDBC token store on V1's {@code token_entry}, claiming under this node's id. JDBC rather than JPA:
     * every batch of every processor stores its token, and Hibernate built an update statement afresh each
     * time (a large share of the processors' CPU in BENCHMARKS.md). It writes the same rows as the JPA store
     * did, in the processor's Spring transaction, so an upgraded installation keeps its tokens.
     */
    @Bean
    TokenStore tokenStore(Serializer serializer, ConnectionProvider connectionProvider, ClusterNode node,
                          TokenStoreProperties tokenStoreProperties) {
        return JdbcTokenStore.builder()
                .connectionProvider(connectionProvider)
                .serializer(serializer)
                .schema(TokenSchema.builder()
                        .setTokenTable("token_entry")
                        .setProcessorNameColumn("processor_name")
                        .setSegmentColumn("segment")
                        .setTokenColumn("token")
                        .setTokenTypeColumn("token_type")
                        .setTimestampColumn("timestamp")
                        .setOwnerColumn("owner")
                        .build())
                .contentType(byte[].class)
                .claimTimeout(tokenStoreProperties.getClaimTimeout())
                .nodeId(node.id())
                .build();
    }

    /**
     * Applies to every pooled processor (Axon keeps one default configuration, so both settings are made here);
     * the saga processors then set a segment count of their own ({@code ipv6.sagas.segments}). The segment
     * count only takes effect when a processor's tokens are first created; each segment is a work package with
     * transactions of its own, so on one node fewer segments mean fewer, larger commits (BENCHMARKS.md), while
     * more segments let more nodes share the work.
     */
    @Bean
    ConfigurerModule segmentsOfEveryProcessor(JdbcTemplate jdbc, ClusterSettings settings) {
        int segments = settings.cluster().segments();
        boolean balance = settings.cluster().balanceSegments();
        FairShareSegments fairShare = new FairShareSegments(jdbc);
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerPooledStreamingEventProcessorConfiguration((configuration, builder) -> balance
                        ? builder.initialSegmentCount(segments).maxSegmentProvider(fairShare)
                        : builder.initialSegmentCount(segments)));
    }
}
