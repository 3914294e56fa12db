package dev.ipv6lifecycle.query;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import dev.ipv6lifecycle.testsupport.SharedPostgres;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
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
        if (query.getClass().getPackageName().equals("dev.ipv6lifecycle.api.pool")) {
            standInForTheCommandSidesFreeSpace();
        }
        try {
            return queries.query(query, responseType).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw e;
        }
    }

    /**
     * The pool queries read free space from the command side's {@code free_block} (migration V14), which the
     * command side keeps in each event's own transaction. This fixture has no command side, so before a pool
     * query it writes what the command side would hold for the read model's held prefixes: each pool of
     * {@code pool_view} tiled into maximal aligned free blocks around them. Each registry row gets a tenant
     * of its own because tests reuse one prefix for many pools, which the registry refuses within a tenant.
     */
    private void standInForTheCommandSidesFreeSpace() {
        jdbc.update("DELETE FROM free_block");
        jdbc.update("""
                INSERT INTO pool_registry (pool_id, tenant_id, prefix, delegated_lengths, default_length, quarantine,
                                           state, created_at)
                SELECT pool_id, 'fixture ' || pool_id, prefix, delegated_lengths, default_length, quarantine, state, created_at
                FROM pool_view
                ON CONFLICT (pool_id) DO NOTHING""");
        List<Object[]> blocks = new ArrayList<>();
        jdbc.query("SELECT pool_id, prefix::text AS prefix FROM pool_view", (ResultSet pool) -> {
            UUID poolId = pool.getObject("pool_id", UUID.class);
            List<Ipv6Prefix> held = jdbc.queryForList("SELECT prefix::text FROM held_prefix WHERE pool_id = ?",
                    String.class, poolId).stream().map(Ipv6Prefix::parse).toList();
            tile(Ipv6Prefix.parse(pool.getString("prefix")), held,
                    block -> blocks.add(new Object[] {poolId, block.canonical(), block.length()}));
        });
        jdbc.batchUpdate("INSERT INTO free_block (pool_id, prefix, length) VALUES (?, ?::cidr, ?)", blocks);
    }

    /** The maximal free blocks of {@code block}: itself if nothing held overlaps it, else those of its halves. */
    private static void tile(Ipv6Prefix block, List<Ipv6Prefix> held, Consumer<Ipv6Prefix> free) {
        if (held.stream().noneMatch(block::overlaps)) {
            free.accept(block);
        } else if (held.stream().noneMatch(prefix -> prefix.contains(block))) {
            for (int half = 0; half < 2; half++) {
                tile(block.subPrefix(block.length() + 1, BigInteger.valueOf(half)), held, free);
            }
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
