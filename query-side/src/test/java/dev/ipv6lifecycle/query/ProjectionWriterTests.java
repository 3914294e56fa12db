package dev.ipv6lifecycle.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ipv6lifecycle.testsupport.SharedPostgres;
import java.sql.SQLException;
import java.util.List;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/** The projections' writes: at once outside a unit of work, in order and batched at its commit inside one. */
class ProjectionWriterTests {

    private JdbcTemplate jdbc;
    private ProjectionWriter writes;

    @BeforeEach
    void freshDatabase() throws SQLException {
        jdbc = new JdbcTemplate(new SingleConnectionDataSource(
                SharedPostgres.dataSource(SharedPostgres.freshDatabase()).getConnection(), true));
        jdbc.execute("CREATE TABLE note (id int PRIMARY KEY, text text NOT NULL)");
        writes = new ProjectionWriter(jdbc);
    }

    @AfterEach
    void close() {
        ((SingleConnectionDataSource) jdbc.getDataSource()).destroy();
    }

    @Test
    void writesAtOnceOutsideAUnitOfWork() {
        writes.update("INSERT INTO note VALUES (?, ?)", 1, "one");

        assertThat(notes()).containsExactly("1:one");
    }

    @Test
    void writesNothingBeforeTheUnitOfWorkCommitsAndEverythingInOrderWhenItDoes() {
        UnitOfWork<?> batch = DefaultUnitOfWork.startAndGet(null);
        writes.update("INSERT INTO note VALUES (?, ?)", 1, "one");
        writes.update("INSERT INTO note VALUES (?, ?)", 2, "two");
        writes.update("UPDATE note SET text = ? WHERE id = ?", "first", 1);
        writes.update("INSERT INTO note VALUES (?, ?)", 3, "three");
        writes.update("DELETE FROM note WHERE id = ?", 2);
        assertThat(notes()).isEmpty();

        batch.commit();

        // The update saw the row inserted before it, the delete the row inserted two statements earlier.
        assertThat(notes()).containsExactly("1:first", "3:three");
    }

    @Test
    void writesNothingWhenTheUnitOfWorkRollsBack() {
        UnitOfWork<?> batch = DefaultUnitOfWork.startAndGet(null);
        writes.update("INSERT INTO note VALUES (?, ?)", 1, "one");

        batch.rollback();

        assertThat(notes()).isEmpty();
    }

    @Test
    void failsTheCommitWhenAStatementFails() {
        UnitOfWork<?> batch = DefaultUnitOfWork.startAndGet(null);
        writes.update("INSERT INTO note VALUES (?, ?)", 1, "one");
        writes.update("INSERT INTO note VALUES (?, ?)", 1, "the same key again");

        assertThatThrownBy(batch::commit).isInstanceOf(DataAccessException.class);
    }

    @Test
    void writesInTheOuterUnitOfWorkWhenCalledFromANestedOne() {
        UnitOfWork<?> batch = DefaultUnitOfWork.startAndGet(null);
        UnitOfWork<?> nested = DefaultUnitOfWork.startAndGet(null);
        writes.update("INSERT INTO note VALUES (?, ?)", 1, "one");
        nested.commit();
        assertThat(notes()).isEmpty();

        batch.commit();

        assertThat(notes()).containsExactly("1:one");
    }

    private List<String> notes() {
        return jdbc.queryForList("SELECT id || ':' || text FROM note ORDER BY id", String.class);
    }
}
