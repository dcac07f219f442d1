package dev.ebb.core.plan;

import dev.ebb.core.plan.sql.ExtractionSql;
import dev.ebb.core.state.EncodedRows;
import dev.ebb.core.state.KeyedRows;
import dev.ebb.core.state.StateException;
import dev.ebb.spi.SourceException;
import dev.ebb.spi.SqlEngine;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.List;
import java.util.Optional;

/**
 * Streams the rows of {@code ExtractionSql}'s rows query, run by the source's own engine, into a store that cannot
 * read the source itself: only the narrow texts travel (key, match value, reason, the mapped fields' canonical texts),
 * so the JVM converts no value; it takes each row's fingerprint from the texts (SHA-256 over a few hundred bytes costs
 * less here than in PostgreSQL's or DuckDB's SQL), and the store marks duplicates. Where the source hashes rows too
 * ({@link #passes}), first only every row's key and quick hash travel, then the texts of the rows whose hash is not the
 * snapshot's. The queries run as models do: in a read-only transaction, forward-only, {@link SqlEngine#fetchSize()}
 * rows per round trip (PostgreSQL's driver then reads through a server-side cursor), so a result never sits whole in
 * memory. Stateless.
 */
final class SourceEncoded {
    private SourceEncoded() {
    }

    /**
     * Runs {@code query} (columns {@code key, match, invalid, v_0 … v_n-1}) on the source and adds its rows, with
     * their fingerprints, to {@code rows}; returns how many.
     *
     * @param fields the mapped fields of the {@code v_*} columns, in order
     * @param tags   their values' type tags (see {@code Fingerprint#ofTexts})
     */
    static long stream(SqlEngine engine, String query, List<String> fields, String tags, EncodedRows rows)
            throws SourceException, StateException {
        int values = fields.size();
        try (Connection connection = engine.connect()) {
            startReadOnly(connection);
            try (PreparedStatement statement = prepare(connection, query, engine)) {
                long count = 0;
                try (ResultSet result = statement.executeQuery()) {
                    while (result.next()) {
                        String[] texts = texts(result, fields, tags);
                        String invalid = result.getString(3);
                        rows.add(result.getString(1), invalid == null ? Fingerprint.ofTexts(fields, tags, texts)
                                : null, result.getString(2), invalid, texts);
                        count++;
                    }
                }
                return count;
            } finally {
                if (!connection.getAutoCommit()) connection.rollback();
            }
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /**
     * Runs {@code passes} on the source, in one transaction that reads the model as of one moment: every row's key,
     * match value, reason and quick hash into {@code rows}, then the encoded rows of the keys it wants (or of every
     * row, when it wants too many to name them), with their fingerprints.
     */
    static void passes(SqlEngine engine, ExtractionSql.Passes passes, List<String> fields, String tags,
                       KeyedRows rows) throws SourceException, StateException {
        try (Connection connection = engine.connect()) {
            // Both passes read the model as of one moment: the second's rows are those the first one diffed.
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            startReadOnly(connection);
            try {
                try (PreparedStatement statement = prepare(connection, passes.keys(), engine);
                     ResultSet result = statement.executeQuery()) {
                    while (result.next()) {
                        rows.key(result.getString(1), result.getString(2), result.getString(3), result.getLong(4));
                    }
                }
                Optional<List<String>> wanted = rows.wanted();
                try (PreparedStatement statement = prepare(connection, wanted.isPresent() ? passes.rowsOf()
                        : passes.every(), engine)) {
                    if (wanted.isPresent()) {
                        statement.setArray(1, connection.createArrayOf("text", wanted.get().toArray()));
                    }
                    try (ResultSet result = statement.executeQuery()) {
                        int quick = 4 + fields.size();
                        while (result.next()) {
                            String[] texts = texts(result, fields, tags);
                            String invalid = result.getString(3);
                            rows.add(result.getString(1), invalid == null ? Fingerprint.ofTexts(fields, tags, texts)
                                    : null, result.getString(2), invalid, result.getLong(quick), texts);
                        }
                    }
                }
            } finally {
                if (!connection.getAutoCommit()) connection.rollback();
            }
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /** A forward-only query, fetched {@link SqlEngine#fetchSize()} rows per round trip. */
    private static PreparedStatement prepare(Connection connection, String query, SqlEngine engine)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(query, ResultSet.TYPE_FORWARD_ONLY,
                ResultSet.CONCUR_READ_ONLY);
        statement.setFetchSize(engine.fetchSize());
        return statement;
    }

    /** The mapped fields' texts of the current row ({@code v_0 …}, from the fourth column on). */
    private static String[] texts(ResultSet result, List<String> fields, String tags)
            throws SQLException, SourceException {
        String[] texts = new String[fields.size()];
        for (int i = 0; i < texts.length; i++) {
            texts[i] = result.getString(4 + i);
            if (tags.charAt(i) == 'D' && texts[i] != null && !isFinite(texts[i])) {
                throw new SourceException("field '" + fields.get(i) + "' would be sent " + texts[i]
                        + ", which is not a number a destination can take; filter it out in the"
                        + " model, or map it (CASE WHEN x = 'NaN' THEN NULL ELSE x END)", null);
            }
        }
        return texts;
    }

    private static SourceException failed(SQLException e) {
        String state = e.getSQLState();
        return new SourceException("the source could not run Ebb's encoding of the model: " + e.getMessage(), e,
                state != null && state.startsWith("08"));
    }

    /** PostgreSQL's numeric has NaN and infinities, which the source connector refuses too. */
    private static boolean isFinite(String number) {
        return !number.equals("NaN") && !number.endsWith("Infinity");
    }

    /**
     * Auto-commit off (PostgreSQL's driver fetches the whole result at once without it) and read-only, which
     * PostgreSQL's driver turns into {@code BEGIN READ ONLY}; a driver that supports neither is left as it is.
     */
    private static void startReadOnly(Connection connection) throws SQLException {
        try {
            connection.setAutoCommit(false);
        } catch (SQLFeatureNotSupportedException e) {
            // A driver without transactions streams without one; the role's grants keep it read-only.
        }
        try {
            connection.setReadOnly(true);
        } catch (SQLFeatureNotSupportedException e) {
            // A hint some drivers do not take.
        }
    }
}
