package dev.ipv6lifecycle.query;

import dev.ipv6lifecycle.testsupport.SharedPostgres;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.responsetypes.ResponseType;
import org.axonframework.queryhandling.DefaultQueryGateway;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.queryhandling.SimpleQueryBus;
import org.axonframework.queryhandling.annotation.AnnotationQueryHandlerAdapter;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * The query side's projections and query handlers on a fresh, fully migrated PostgreSQL database, without
 * a processor: events go straight to the handler methods (through Axon's annotation adapters, so that
 * {@code @SequenceNumber}, {@code @ResetHandler} and the query handlers' response types are the real
 * ones), and queries go through a local query bus.
 */
public final class QuerySideFixture implements AutoCloseable {

    private final AnnotationConfigApplicationContext context;
    private final JdbcTemplate jdbc;
    private final Map<String, List<AnnotationEventHandlerAdapter>> projectionsByGroup = new HashMap<>();
    private final QueryGateway queries;
    private final Map<String, Long> nextSequence = new HashMap<>();

    private QuerySideFixture(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        context = new AnnotationConfigApplicationContext();
        context.registerBean(JdbcTemplate.class, () -> jdbc);
        context.registerBean(ProjectionWriter.class, () -> new ProjectionWriter(jdbc));
        // The feature packages only: the processor configuration needs a whole Axon application.
        context.scan("dev.ipv6lifecycle.query.delegation", "dev.ipv6lifecycle.query.pool", "dev.ipv6lifecycle.query.audit");
        context.refresh();

        SimpleQueryBus queryBus = SimpleQueryBus.builder().build();
        for (Object bean : context.getBeansOfType(Object.class).values()) {
            if (!bean.getClass().getPackageName().startsWith("dev.ipv6lifecycle.query")) {
                continue;
            }
            ProcessingGroup group = bean.getClass().getAnnotation(ProcessingGroup.class);
            if (group != null) {
                projectionsByGroup.computeIfAbsent(group.value(), name -> new ArrayList<>())
                        .add(new AnnotationEventHandlerAdapter(bean));
            }
            new AnnotationQueryHandlerAdapter<>(bean).subscribe(queryBus);
        }
        queries = DefaultQueryGateway.builder().queryBus(queryBus).build();
    }

    public static QuerySideFixture onFreshDatabase() {
        // One connection for the fixture's life: opening a PostgreSQL connection per statement would
        // cost more than the statements themselves.
        DataSource database = SharedPostgres.dataSource(SharedPostgres.freshDatabase());
        try {
            return new QuerySideFixture(new JdbcTemplate(new SingleConnectionDataSource(database.getConnection(), true)));
        } catch (SQLException e) {
            throw new IllegalStateException("could not connect to the test database", e);
        }
    }

    /**
     * Delivers each event as its aggregate would have published it, with the aggregate's next sequence
     * number, to every projection that handles it.
     *
     * @return the messages, so that a test can deliver one again
     */
    public List<DomainEventMessage<?>> apply(Object... events) {
        List<DomainEventMessage<?>> messages = new ArrayList<>();
        for (Object event : events) {
            String aggregate = aggregateIdOf(event);
            long sequence = nextSequence.merge(aggregate, 1L, Long::sum) - 1;
            DomainEventMessage<?> message = new GenericDomainEventMessage<>("test", aggregate, sequence, event);
            deliver(message);
            messages.add(message);
        }
        return messages;
    }

    /** Delivers the message to every projection that handles it, as a processor (re)delivers an event. */
    public void deliver(DomainEventMessage<?> message) {
        projectionsByGroup.values().stream().flatMap(List::stream).filter(projection -> projection.canHandle(message))
                .forEach(projection -> {
                    try {
                        projection.handle(message);
                    } catch (RuntimeException e) {
                        throw e;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
    }

    /** Runs the reset handlers of one processing group, as a processor's resetTokens() does. */
    public void reset(String group) {
        projectionsByGroup.getOrDefault(group, List.of()).forEach(AnnotationEventHandlerAdapter::prepareReset);
    }

    /** Asks the query through the query bus; a handler's exception is thrown as is. */
    public <R> R query(Object query, ResponseType<R> responseType) {
        try {
            return queries.query(query, responseType).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw e;
        }
    }

    public JdbcTemplate jdbc() {
        return jdbc;
    }

    @Override
    public void close() {
        context.close();
        ((SingleConnectionDataSource) jdbc.getDataSource()).destroy();
    }

    /** Every event of the api names its aggregate in a {@code delegationId} or {@code poolId} component. */
    private static String aggregateIdOf(Object event) {
        for (String accessor : List.of("delegationId", "poolId")) {
            try {
                return String.valueOf(event.getClass().getMethod(accessor).invoke(event));
            } catch (NoSuchMethodException e) {
                // try the next one
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalArgumentException(event.getClass().getSimpleName() + " names no aggregate");
    }
}
