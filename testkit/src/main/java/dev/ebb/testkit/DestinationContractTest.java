package dev.ebb.testkit;

import dev.ebb.spi.ConnectorContext;
import dev.ebb.spi.ConnectorOption;
import dev.ebb.spi.Destination;
import dev.ebb.spi.DestinationConnector;
import dev.ebb.spi.DestinationException;
import dev.ebb.spi.DestinationException.PermanentException;
import dev.ebb.spi.DestinationException.ThrottledException;
import dev.ebb.spi.DestinationException.TransientException;
import dev.ebb.spi.FieldSpec;
import dev.ebb.spi.FieldType;
import dev.ebb.spi.Mode;
import dev.ebb.spi.ObjectCapabilities;
import dev.ebb.spi.ObjectSchema;
import dev.ebb.spi.Operation;
import dev.ebb.spi.OutboundRecord;
import dev.ebb.spi.RecordResult;
import dev.ebb.spi.RemoteRecord;
import dev.ebb.spi.RemovalBehaviour;
import dev.ebb.spi.WriteBatch;
import dev.ebb.spi.WriteResult;
import dev.ebb.spi.WriteStep;
import dev.ebb.testkit.RecordInspector.StoredRecord;
import dev.ebb.sandbox.Fault;
import dev.ebb.sandbox.LoggedRequest;
import dev.ebb.sandbox.SandboxServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The conformance suite every destination connector extends, run against the connector's sandbox (or a real
 * local server). A connector's test supplies the sandbox, the object, its match field, a few fields with their
 * types, a value the destination refuses, and a {@link RecordInspector}; the suite checks what the SPI promises.
 *
 * <p>Gaps are data: a connector that cannot do something overrides {@link #unsupported()} with the
 * {@link Behavior}s it lacks, and the tests that need them are skipped (the capabilities must agree). Deleting
 * records whose vendor id is unknown is the one gap the suite checks both ways: a connector without it must
 * reject such records one by one, not fail the batch.
 *
 * <p>Every write goes through {@link Destination#start} and then {@link Destination#resume} until the step is
 * {@link WriteStep.Done}, as the runtime writes; a step's wait is handed to {@link #await} (which moves a
 * {@link ManualClock} forward) instead of being slept. A connector whose writes take several steps (Zendesk jobs,
 * Salesforce Bulk API 2.0 jobs for a batch larger than the usual limit) passes the same tests as one whose writes
 * answer at once, and {@link #aTransientFailureBeforeEachStepIsRetriedAndWritesEveryRecordOnce} fails every step
 * once on the way.
 *
 * <p>Lifecycle per test: {@link #newSandbox()}, start it, open the destination with {@link #settings()}, run, close
 * the destination and the sandbox. Every test starts from an empty sandbox.
 *
 * <p>A destination without a sandbox (a database) runs the suite against a real local server: its {@code S} is a
 * per-test handle on that server (a fresh table, dropped on close), started by the test itself (e.g. with
 * {@link EmbeddedPostgresExtension}); calls are counted by {@link RecordInspector#apiCalls()}, and it declares the
 * sandbox faults it cannot inject unsupported (or overrides {@link #inject}).
 *
 * @param <S> the vendor's sandbox, or a handle on the real server of one test
 */
public abstract class DestinationContractTest<S extends AutoCloseable> {

    /** What a destination may be unable to do; declared by {@link #unsupported()}. */
    public enum Behavior {
        /** {@link Operation#UPSERT}: create or update by match value. */
        UPSERT,
        /** {@link Operation#CREATE}: create new records; an existing match value is rejected per record. */
        INSERT,
        /** {@link Operation#UPDATE}: update by match value; an unknown match value is rejected per record. */
        UPDATE,
        /** {@link Operation#DELETE} by the vendor's id from an earlier write. */
        DELETE,
        /** {@link Operation#DELETE} of a record whose vendor id is unknown, by its match value alone. */
        DELETE_BY_MATCH_VALUE,
        /** A {@code null} field value empties the field. */
        CLEAR_WITH_NULL,
        /** One invalid record is refused alone; the rest of its batch is written. */
        PER_RECORD_REJECTION,
        /** {@link Destination#read} returns current values. */
        READ_BACK,
        /** The sandbox can answer with a 5xx ({@link Fault.Kind#STATUS}). */
        SERVER_ERROR_FAULT,
        /** The sandbox can throttle ({@link Fault.Kind#THROTTLE}). */
        THROTTLE_FAULT,
        /** The sandbox can drop a connection ({@link Fault.Kind#DROP}). */
        DROPPED_CONNECTION_FAULT,
        /**
         * The vendor documents request windows or a daily quota, and {@link Destination#rateLimits()} declares them.
         * A database has neither (only {@link dev.ebb.spi.RateLimits#maxConcurrency()}), and declares it unsupported.
         */
        RATE_LIMITS,
        /** The destination checks credentials (a wrong one is refused). */
        BAD_CREDENTIALS,
        /**
         * A write of {@link #asynchronousBatchSize()} records takes more than one step ({@link Destination#start}
         * answers {@link WriteStep.Pending}). Without it, every write must be answered by {@code start} alone.
         */
        ASYNCHRONOUS_WRITE,
        /**
         * {@link Destination#describe} asks the vendor, in one call. Without it the fields come from the entry's own
         * settings (a generic webhook has no vendor to ask), and describe must make no call at all.
         */
        DESCRIBE_CALL
    }

    /** Records written per test, besides the batch at the maximum size. */
    private static final int SMALL_BATCH = 3;

    private S sandbox;
    private Destination destination;
    private ObjectSchema schema;

    // ---- what a connector's test supplies -----------------------------------------------------------------

    /**
     * A new sandbox for one test, with whatever the test's object needs (custom fields, a record that must exist)
     * but not started: the suite starts it before the test and closes it after, also when the test failed.
     */
    protected abstract S newSandbox() throws Exception;

    /** The connector under test. */
    protected abstract DestinationConnector connector();

    /** Settings that point at the running sandbox with valid credentials. */
    protected abstract Map<String, String> settings();

    /** The settings to change in {@link #settings()} for credentials the sandbox refuses ({@code token: wrong}). */
    protected abstract Map<String, String> badCredentials();

    /** What the suite writes to: the object, the field that identifies its records, and their match values. */
    protected abstract Subject subject();

    /**
     * What the suite writes to.
     *
     * @param object      the object under test ({@code contacts})
     * @param matchField  the field that identifies records ({@code email})
     * @param matchValues the {@code n}th distinct match value, valid for the match field
     *                    ({@code n -> "contract-" + n + "@example.com"})
     */
    public record Subject(String object, String matchField, IntFunction<String> matchValues) {
        public Subject {
            Objects.requireNonNull(object, "object");
            Objects.requireNonNull(matchField, "matchField");
            Objects.requireNonNull(matchValues, "matchValues");
        }
    }

    /** The object under test. */
    protected final String object() {
        return subject().object();
    }

    /** The field that identifies records. */
    protected final String matchField() {
        return subject().matchField();
    }

    /** The {@code n}th distinct match value. */
    protected final String matchValue(int n) {
        return subject().matchValues().apply(n);
    }

    /** A few writable fields of the object with their types, besides the match field; at least one. */
    protected abstract Map<String, FieldType> fields();

    /** Field values that make a record invalid for the destination (e.g. a word in a number field). */
    protected abstract Map<String, Object> invalidFields();

    /** Reads the sandbox's state. */
    protected abstract RecordInspector inspector();

    /** The running sandbox of the current test, for settings, inspection and fault injection. */
    protected final S sandbox() {
        return sandbox;
    }

    /**
     * Whether a request the sandbox logged is one the vendor counts as an API call (and so the runtime's rate budget
     * must see). A sign-in at an OAuth token endpoint, which the vendor does not count, is not. Default: every
     * request.
     */
    protected boolean isApiRequest(LoggedRequest request) {
        return true;
    }

    /**
     * The fault that makes the next API call fail with a transient server error. Default: one 503; a sandbox that
     * also signs in through the same server narrows it to the API's paths, so that it hits the step under test and
     * not the token request before it.
     */
    protected Fault transientFault() {
        return Fault.status(503, 1);
    }

    /**
     * Records in the batch that {@link #aTransientFailureBeforeEachStepIsRetriedAndWritesEveryRecordOnce} writes.
     * Default: one more than the usual batch limit when the object declares a bulk path (the runtime builds batches
     * that large only for the bulk path, and the connector takes it for them), else a few.
     */
    protected int asynchronousBatchSize() {
        return capabilities().bulk().map(bulk -> capabilities().limits().maxRecords() + 1).orElse(SMALL_BATCH);
    }

    /**
     * Lets {@code after} pass before the next step of a write, without sleeping: the default moves a
     * {@link ManualClock} from {@link #clock()} forward (a sandbox whose jobs run on that clock sees the time pass),
     * and does nothing for another clock.
     */
    protected void await(Duration after) {
        if (clock() instanceof ManualClock manual) manual.advance(after);
    }

    /** The behaviours this destination lacks. */
    protected Set<Behavior> unsupported() {
        return Set.of();
    }

    /** A word the reason of a refused invalid record contains (the vendor's error code), or {@code null}. */
    protected String rejectionReasonFragment() {
        return null;
    }

    /** The largest batch the suite writes in one call when the declared limit is higher. */
    protected int maxRecordsToTest() {
        return 1_000;
    }

    /** The clock handed to the connector. */
    protected Clock clock() {
        return Clock.systemUTC();
    }

    /** An object name the destination does not have. */
    protected String unknownObject() {
        return "ebb_contract_no_such_object";
    }

    /**
     * A valid value for {@code field} that differs for each {@code seed}. Enumerations take their options from
     * the described schema; override for fields with stricter rules.
     */
    protected Object sampleValue(String field, FieldType type, int seed) {
        return switch (type) {
            case STRING -> "value " + seed;
            case NUMBER -> BigDecimal.valueOf(seed).add(new BigDecimal("0.25"));
            case BOOLEAN -> seed % 2 == 0;
            case DATE -> LocalDate.of(2024, 1, 1).plusDays(seed);
            case DATETIME -> Instant.parse("2024-01-01T08:30:00.123Z").plusSeconds(3_661L * seed);
            case ENUMERATION -> {
                List<String> options = schema().field(field).map(FieldSpec::options).orElse(List.of());
                if (options.isEmpty()) fail("enumeration field " + field + " has no options to sample from");
                yield options.get(Math.floorMod(seed, options.size()));
            }
        };
    }

    /**
     * Whether a value the destination stores (in its text form) is the value that was written. Tolerates the
     * usual vendor renderings: numbers by value, dates as {@code YYYY-MM-DD} or epoch milliseconds, instants as
     * ISO-8601 or epoch milliseconds.
     */
    protected boolean sameValue(FieldType type, Object written, String stored) {
        if (written == null) return stored == null || stored.isBlank();
        if (stored == null) return false;
        try {
            return switch (type) {
                case STRING, ENUMERATION -> written.toString().equals(stored);
                case NUMBER -> new BigDecimal(written.toString()).compareTo(new BigDecimal(stored.trim())) == 0;
                case BOOLEAN -> written.toString().equalsIgnoreCase(stored.trim());
                case DATE -> written.equals(parseDate(stored.trim()));
                case DATETIME -> written.equals(parseInstant(stored.trim()));
            };
        } catch (NumberFormatException | DateTimeParseException e) {
            return false;
        }
    }

    // ---- lifecycle ----------------------------------------------------------------------------------------

    @BeforeEach
    final void openDestination() throws Exception {
        sandbox = newSandbox();
        if (sandbox instanceof SandboxServer server) server.start();
        destination = open(settings());
    }

    @AfterEach
    final void closeDestination() throws Exception {
        try {
            if (destination != null) destination.close();
        } finally {
            destination = null;
            schema = null;
            if (sandbox != null) sandbox.close();
            sandbox = null;
        }
    }

    /** The destination under test, opened on {@link #settings()}. */
    protected final Destination destination() {
        return destination;
    }

    /** Opens another destination of the connector under test; the caller closes it. */
    protected final Destination open(Map<String, String> settings) {
        return connector().open(new ConnectorContext("contract", settings, Path.of("").toAbsolutePath(), clock()));
    }

    // ---- declarations -------------------------------------------------------------------------------------

    @Test
    void capabilitiesAreDeclaredAsData() {
        ObjectCapabilities capabilities = capabilities();
        assertThat(capabilities.object()).isEqualTo(object());
        assertThat(capabilities.modes()).as("modes").isNotEmpty();
        assertThat(capabilities.removals()).as("removal behaviours").contains(RemovalBehaviour.IGNORE);
        assertThat(capabilities.limits().maxRecords()).as("max records per call").isPositive();
        assertThat(capabilities.limits().maxBytes()).as("max bytes per call").isPositive();
        assertThat(destination.rateLimits().maxConcurrency()).isPositive();
        assertThat(destination.rateLimits().windows().isEmpty() && destination.rateLimits().dailyQuota().isEmpty())
                .as("a destination declares at least one window or a daily quota, unless it declares RATE_LIMITS "
                        + "unsupported").isEqualTo(!supports(Behavior.RATE_LIMITS));
        assertThat(destination.object(unknownObject())).as("capabilities of an unknown object").isEmpty();

        // Declared modes and the behaviours the suite is told about agree, so a gap cannot hide.
        assertThat(capabilities.modes().contains(Mode.UPSERT)).as("UPSERT declared").isEqualTo(supports(Behavior.UPSERT));
        assertThat(capabilities.modes().contains(Mode.UPDATE)).as("UPDATE declared").isEqualTo(supports(Behavior.UPDATE));
        assertThat(capabilities.modes().contains(Mode.INSERT)).as("INSERT declared").isEqualTo(supports(Behavior.INSERT));
        if (capabilities.modes().contains(Mode.MIRROR) || capabilities.removals().contains(RemovalBehaviour.DELETE)) {
            assertThat(supports(Behavior.DELETE)).as("MIRROR or on_removed: delete needs DELETE").isTrue();
        }
        if (capabilities.removals().contains(RemovalBehaviour.CLEAR_FIELDS)) {
            assertThat(supports(Behavior.CLEAR_WITH_NULL)).as("on_removed: clear_fields needs null to clear").isTrue();
        }
        assertThat(capabilities.readBack()).as("readBack declared").isEqualTo(supports(Behavior.READ_BACK));
    }

    @Test
    void accountIdIsStableAndRevealsNoSecret() {
        String accountId = destination.accountId();
        assertThat(accountId).isNotBlank();
        try (Destination again = open(settings())) {
            assertThat(again.accountId()).as("the same settings give the same account").isEqualTo(accountId);
        }
        Set<String> secrets = connector().options().stream().filter(ConnectorOption::secret)
                .map(ConnectorOption::name).collect(Collectors.toSet());
        settings().forEach((name, value) -> {
            if (secrets.contains(name)) assertThat(accountId).as("account id vs secret " + name).doesNotContain(value);
        });
    }

    @Test
    void describeListsTheMappedFieldsWithTheirTypes() throws Exception {
        ObjectSchema described = destination.describe(object());
        assertThat(described.object()).isEqualTo(object());
        assertThat(described.field(matchField())).as("match field " + matchField()).isPresent();
        assertThat(capabilities().match().allows(matchField(), described))
                .as("the match rule allows " + matchField()).isTrue();
        fields().forEach((name, type) -> {
            FieldSpec spec = described.field(name).orElseThrow(() -> new AssertionError("field " + name + " missing"));
            assertThat(spec.type()).as("type of " + name).isEqualTo(type);
            assertThat(spec.readOnly()).as(name + " is writable").isFalse();
        });
    }

    @Test
    void describeOfAnUnknownObjectIsPermanent() {
        assertThatThrownBy(() -> destination.describe(unknownObject())).isInstanceOf(PermanentException.class);
    }

    // ---- writes -------------------------------------------------------------------------------------------

    @Test
    void upsertCreatesThenUpdatesWithoutDuplicates() throws Exception {
        assumeSupported(Behavior.UPSERT);
        int before = inspector().recordCount();
        List<OutboundRecord> first = records(0, SMALL_BATCH, 1);
        Map<String, RecordResult> created = write(Operation.UPSERT, first);
        assertAllAccepted(created);
        assertStored(first);
        assertThat(inspector().recordCount()).isEqualTo(before + SMALL_BATCH);

        List<OutboundRecord> second = records(0, SMALL_BATCH, 2);
        Map<String, RecordResult> updated = write(Operation.UPSERT, second);
        assertAllAccepted(updated);
        assertStored(second);
        assertThat(inspector().recordCount()).as("an upsert of existing records creates none")
                .isEqualTo(before + SMALL_BATCH);
        for (OutboundRecord record : second) {
            assertThat(updated.get(record.key()).destinationId()).as("id of " + record.key())
                    .isEqualTo(created.get(record.key()).destinationId());
        }
    }

    @Test
    void resultsCarryTheVendorsIds() throws Exception {
        Operation operation = supports(Behavior.UPSERT) ? Operation.UPSERT : Operation.CREATE;
        assumeTrue(supports(Behavior.UPSERT) || supports(Behavior.INSERT), "needs UPSERT or INSERT");
        List<OutboundRecord> records = records(0, SMALL_BATCH, 1);
        Map<String, RecordResult> results = write(operation, records);
        assertAllAccepted(results);
        Set<String> ids = new HashSet<>();
        for (OutboundRecord record : records) {
            String id = results.get(record.key()).destinationId();
            assertThat(id).as("destination id of " + record.key()).isNotBlank();
            assertThat(ids.add(id)).as("destination ids are distinct").isTrue();
            assertThat(inspector().find(record.matchValue()).map(StoredRecord::destinationId))
                    .as("the id is the stored record's").contains(id);
        }
    }

    @Test
    void aBatchAtTheDeclaredMaximumIsOneCall() throws Exception {
        assumeTrue(supports(Behavior.UPSERT) || supports(Behavior.INSERT), "needs UPSERT or INSERT");
        Operation operation = supports(Behavior.UPSERT) ? Operation.UPSERT : Operation.CREATE;
        int size = Math.min(capabilities().limits().maxRecords(), maxRecordsToTest());
        List<OutboundRecord> records = records(0, size, 1);
        long callsBefore = inspector().apiCalls();
        Map<String, RecordResult> results = write(operation, records);
        assertThat(inspector().apiCalls() - callsBefore).as("API calls for one batch of " + size).isEqualTo(1);
        assertAllAccepted(results);
        assertThat(inspector().recordCount()).isGreaterThanOrEqualTo(size);
        assertStored(List.of(records.getFirst(), records.getLast()));
    }

    @Test
    void oneInvalidRecordIsRejectedAloneWithTheVendorsReason() throws Exception {
        assumeSupported(Behavior.PER_RECORD_REJECTION);
        assumeTrue(supports(Behavior.UPSERT) || supports(Behavior.INSERT), "needs UPSERT or INSERT");
        Operation operation = supports(Behavior.UPSERT) ? Operation.UPSERT : Operation.CREATE;
        List<OutboundRecord> good = records(0, SMALL_BATCH, 1);
        OutboundRecord bad = invalid(SMALL_BATCH);
        List<OutboundRecord> batch = new ArrayList<>(good);
        batch.add(1, bad);

        Map<String, RecordResult> results = write(operation, batch);

        RecordResult rejection = results.get(bad.key());
        assertThat(rejection.accepted()).as("the invalid record is refused").isFalse();
        assertThat(rejection.reason()).isNotBlank();
        if (rejectionReasonFragment() != null) assertThat(rejection.reason()).contains(rejectionReasonFragment());
        for (OutboundRecord record : good) {
            assertThat(results.get(record.key()).accepted()).as(record.key() + " accepted despite its neighbour")
                    .isTrue();
        }
        assertStored(good);
        assertThat(inspector().find(bad.matchValue())).as("the invalid record is not written").isEmpty();
    }

    @Test
    void everyRecordGetsExactlyOneResultKeyedByItsKey() throws Exception {
        assumeTrue(supports(Behavior.UPSERT) || supports(Behavior.INSERT), "needs UPSERT or INSERT");
        Operation operation = supports(Behavior.UPSERT) ? Operation.UPSERT : Operation.CREATE;
        List<OutboundRecord> batch = new ArrayList<>(records(0, 5, 1));
        if (supports(Behavior.PER_RECORD_REJECTION)) batch.add(2, invalid(5));
        // write(…) asserts one result per key; the keys are exactly the batch's.
        Map<String, RecordResult> results = write(operation, batch);
        assertThat(results.keySet()).containsExactlyInAnyOrderElementsOf(
                batch.stream().map(OutboundRecord::key).toList());
    }

    @Test
    void insertCreatesNewRecordsAndRejectsExistingOnes() throws Exception {
        assumeSupported(Behavior.INSERT);
        List<OutboundRecord> records = records(0, 2, 1);
        assertAllAccepted(write(Operation.CREATE, records));
        assertStored(records);
        int count = inspector().recordCount();

        OutboundRecord again = record(0, 7);
        OutboundRecord fresh = record(2, 7);
        Map<String, RecordResult> results = write(Operation.CREATE, List.of(again, fresh));
        assertThat(results.get(again.key()).accepted()).as("creating an existing record is refused").isFalse();
        assertThat(results.get(again.key()).reason()).isNotBlank();
        assertThat(results.get(fresh.key()).accepted()).isTrue();
        assertThat(inspector().recordCount()).isEqualTo(count + 1);
        assertStored(List.of(records.getFirst(), fresh));
    }

    @Test
    void updateChangesKnownRecordsAndRejectsUnknownOnesOneByOne() throws Exception {
        assumeSupported(Behavior.UPDATE);
        seed(records(0, 1, 1));
        OutboundRecord known = record(0, 5);
        OutboundRecord unknown = record(900, 5);
        int count = inspector().recordCount();

        Map<String, RecordResult> results = write(Operation.UPDATE, List.of(known, unknown));

        assertThat(results.get(known.key()).accepted()).isTrue();
        assertStored(List.of(known));
        assertThat(results.get(unknown.key()).accepted()).as("an update of an unknown record is refused").isFalse();
        assertThat(results.get(unknown.key()).reason()).isNotBlank();
        assertThat(inspector().find(unknown.matchValue())).as("an update creates nothing").isEmpty();
        assertThat(inspector().recordCount()).isEqualTo(count);
    }

    @Test
    void nullClearsAField() throws Exception {
        assumeSupported(Behavior.CLEAR_WITH_NULL);
        assumeTrue(supports(Behavior.UPSERT) || supports(Behavior.UPDATE), "needs UPSERT or UPDATE");
        seed(records(0, 1, 1));
        String cleared = fields().keySet().iterator().next();
        Map<String, Object> values = new LinkedHashMap<>(record(0, 3).fields());
        values.put(cleared, null);
        OutboundRecord clearing = new OutboundRecord(key(0), matchValue(0), null, values);

        Operation operation = supports(Behavior.UPSERT) ? Operation.UPSERT : Operation.UPDATE;
        assertAllAccepted(write(operation, List.of(clearing)));

        StoredRecord stored = inspector().find(matchValue(0)).orElseThrow();
        assertThat(stored.field(cleared)).as(cleared + " after writing null").isEmpty();
        assertStored(List.of(clearing));
    }

    @Test
    void deleteRemovesRecordsByTheirVendorIds() throws Exception {
        assumeSupported(Behavior.DELETE);
        Map<String, RecordResult> seeded = seed(records(0, 2, 1));
        OutboundRecord doomed = new OutboundRecord(key(0), matchValue(0), seeded.get(key(0)).destinationId(), Map.of());

        Map<String, RecordResult> results = write(Operation.DELETE, List.of(doomed));

        assertThat(results.get(doomed.key()).accepted()).isTrue();
        assertThat(inspector().find(matchValue(0))).as("the deleted record").isEmpty();
        assertThat(inspector().find(matchValue(1))).as("its neighbour").isPresent();
    }

    @Test
    void deleteWithoutAVendorIdDeletesByMatchValueOrIsRejectedPerRecord() throws Exception {
        assumeSupported(Behavior.DELETE);
        seed(records(0, 1, 1));
        OutboundRecord unidentified = new OutboundRecord(key(0), matchValue(0), null, Map.of());

        Map<String, RecordResult> results = write(Operation.DELETE, List.of(unidentified));

        if (supports(Behavior.DELETE_BY_MATCH_VALUE)) {
            assertThat(results.get(key(0)).accepted()).isTrue();
            assertThat(inspector().find(matchValue(0))).isEmpty();
        } else {
            assertThat(results.get(key(0)).accepted()).as("declared gap: refused per record, not thrown").isFalse();
            assertThat(results.get(key(0)).reason()).isNotBlank();
            assertThat(inspector().find(matchValue(0))).as("the record stays").isPresent();
        }
    }

    @Test
    void readBackReturnsCurrentValuesOfRecordsThatExist() throws Exception {
        assumeSupported(Behavior.READ_BACK);
        List<OutboundRecord> records = records(0, 2, 1);
        Map<String, RecordResult> seeded = seed(records);
        String missing = matchValue(901);

        List<RemoteRecord> read = destination.read(object(), matchField(),
                List.of(matchValue(0), matchValue(1), missing), fields().keySet());

        Map<String, RemoteRecord> byMatch = read.stream()
                .collect(Collectors.toMap(RemoteRecord::matchValue, Function.identity()));
        assertThat(byMatch.keySet()).containsExactlyInAnyOrder(matchValue(0), matchValue(1));
        for (OutboundRecord record : records) {
            RemoteRecord remote = byMatch.get(record.matchValue());
            assertThat(remote.destinationId()).isEqualTo(seeded.get(record.key()).destinationId());
            fields().forEach((field, type) -> {
                Object value = remote.fields().get(field);
                assertThat(sameValue(type, record.fields().get(field), value == null ? null : value.toString()))
                        .as("read back " + field + " of " + record.key() + ": " + value).isTrue();
            });
        }
    }

    // ---- failures of a whole call -------------------------------------------------------------------------

    @Test
    void aTransientFailureBeforeEachStepIsRetriedAndWritesEveryRecordOnce() throws Exception {
        assumeSupported(Behavior.SERVER_ERROR_FAULT);
        Operation operation = anyWriteOperation();
        int size = supports(Behavior.ASYNCHRONOUS_WRITE) ? asynchronousBatchSize() : SMALL_BATCH;
        // Built first: building samples may call describe, which must not take the fault.
        List<OutboundRecord> records = records(0, size, 1);
        WriteBatch batch = batch(operation, records);
        int before = inspector().recordCount();

        inject(transientFault());
        assertThatThrownBy(() -> destination.start(batch)).as("start with a failing call")
                .isInstanceOf(TransientException.class);
        WriteStep step = destination.start(batch);
        assertThat(step instanceof WriteStep.Pending)
                .as("a write of " + size + " records takes several steps exactly when ASYNCHRONOUS_WRITE is declared")
                .isEqualTo(supports(Behavior.ASYNCHRONOUS_WRITE));
        int steps = 1;
        while (step instanceof WriteStep.Pending pending) {
            assertThat(steps++).as("steps of one write").isLessThan(Steps.MAX_CALLS);
            await(pending.after());
            inject(transientFault());
            assertThatThrownBy(() -> destination.resume(pending)).as("resume with a failing call: "
                    + pending.description()).isInstanceOf(TransientException.class);
            // The runtime repeats the same step after a transient failure.
            step = destination.resume(pending);
        }

        assertAllAccepted(results(batch, ((WriteStep.Done) step).result()));
        assertThat(inspector().recordCount()).as("every record written once, none twice").isEqualTo(before + size);
        assertStored(records);
    }

    @Test
    void everyCallIsOneApiRequest() throws Exception {
        Operation operation = anyWriteOperation();
        int size = supports(Behavior.ASYNCHRONOUS_WRITE) ? asynchronousBatchSize() : SMALL_BATCH;
        WriteBatch batch = batch(operation, records(0, size, 1));
        schema(); // signs in, if the destination signs in, before counting

        long requests = apiRequests();
        WriteStep step = destination.start(batch);
        assertThat(apiRequests() - requests).as("API requests of start").isEqualTo(1);
        while (step instanceof WriteStep.Pending pending) {
            await(pending.after());
            requests = apiRequests();
            step = destination.resume(pending);
            assertThat(apiRequests() - requests).as("API requests of resume: " + pending.description()).isEqualTo(1);
        }
        assertAllAccepted(results(batch, ((WriteStep.Done) step).result()));

        requests = apiRequests();
        destination.describe(object());
        assertThat(apiRequests() - requests).as("API requests of describe")
                .isEqualTo(supports(Behavior.DESCRIBE_CALL) ? 1 : 0);
        if (supports(Behavior.READ_BACK)) {
            requests = apiRequests();
            destination.read(object(), matchField(), List.of(matchValue(0), matchValue(1)), fields().keySet());
            assertThat(apiRequests() - requests).as("API requests of read").isEqualTo(1);
        }
    }

    @Test
    void aServerErrorIsTransient() throws Exception {
        assumeSupported(Behavior.SERVER_ERROR_FAULT);
        // Built first: building samples may call describe, which must not take the fault.
        WriteBatch batch = batch(anyWriteOperation(), records(0, 2, 1));
        inject(Fault.status(503, 1));
        assertThatThrownBy(() -> destination.start(batch)).isInstanceOf(TransientException.class);
        assertAllAccepted(results(batch, complete(batch)));
    }

    @Test
    void aThrottledCallIsThrottled() throws Exception {
        assumeSupported(Behavior.THROTTLE_FAULT);
        // Built first: building samples may call describe, which must not take the fault.
        WriteBatch batch = batch(anyWriteOperation(), records(0, 2, 1));
        inject(Fault.throttle(1));
        assertThatThrownBy(() -> destination.start(batch))
                .isInstanceOfSatisfying(ThrottledException.class,
                        e -> assertThat(e.dailyLimit()).as("a short-window throttle").isFalse());
        assertAllAccepted(results(batch, complete(batch)));
    }

    @Test
    void aDroppedConnectionIsTransient() throws Exception {
        assumeSupported(Behavior.DROPPED_CONNECTION_FAULT);
        // Built first: building samples may call describe, which must not take the fault.
        WriteBatch batch = batch(anyWriteOperation(), records(0, 2, 1));
        inject(Fault.drop(1));
        assertThatThrownBy(() -> destination.start(batch))
                .isInstanceOfSatisfying(TransientException.class,
                        e -> assertThat(e.unreachable()).as("the server was reached").isFalse());
        assertAllAccepted(results(batch, complete(batch)));
    }

    @Test
    void badCredentialsArePermanent() {
        assumeSupported(Behavior.BAD_CREDENTIALS);
        Map<String, String> refusedSettings = new LinkedHashMap<>(settings());
        refusedSettings.putAll(badCredentials());
        try (Destination refused = open(refusedSettings)) {
            WriteBatch batch = batch(anyWriteOperation(), records(0, 1, 1));
            assertThatThrownBy(() -> refused.start(batch)).isInstanceOf(PermanentException.class);
            assertThatThrownBy(() -> refused.describe(object())).isInstanceOf(PermanentException.class);
        }
        assertThat(inspector().find(matchValue(0))).isEmpty();
    }

    // ---- helpers for subclasses' own tests ----------------------------------------------------------------

    /** Whether the destination has {@code behavior}. */
    protected final boolean supports(Behavior behavior) {
        return !unsupported().contains(behavior);
    }

    /** Skips the running test unless every behaviour is supported. */
    protected final void assumeSupported(Behavior... behaviors) {
        EnumSet<Behavior> missing = EnumSet.noneOf(Behavior.class);
        Arrays.stream(behaviors).filter(b -> !supports(b)).forEach(missing::add);
        assumeTrue(missing.isEmpty(), () -> "declared unsupported: " + missing);
    }

    /** The capabilities of the object under test. */
    protected final ObjectCapabilities capabilities() {
        return destination.object(object())
                .orElseThrow(() -> new AssertionError("no capabilities for object " + object()));
    }

    /** The described schema of the object under test, fetched once per test. */
    protected final ObjectSchema schema() {
        if (schema == null) {
            try {
                schema = destination.describe(object());
            } catch (DestinationException e) {
                throw new AssertionError("describe(" + object() + ") failed", e);
            }
        }
        return schema;
    }

    /** Ebb's key of the {@code n}th record. */
    protected static String key(int n) {
        return "row-" + n;
    }

    /** The {@code n}th record with every field of {@link #fields()} set from {@code seed}. */
    protected final OutboundRecord record(int n, int seed) {
        Map<String, Object> values = new LinkedHashMap<>();
        fields().forEach((field, type) -> values.put(field, sampleValue(field, type, seed * 1_000 + n)));
        return new OutboundRecord(key(n), matchValue(n), null, values);
    }

    /** Records {@code from} to {@code from + count - 1}. */
    protected final List<OutboundRecord> records(int from, int count, int seed) {
        return IntStream.range(from, from + count).mapToObj(n -> record(n, seed)).toList();
    }

    /** The {@code n}th record made invalid by {@link #invalidFields()}. */
    protected final OutboundRecord invalid(int n) {
        Map<String, Object> values = new LinkedHashMap<>(record(n, 1).fields());
        values.putAll(invalidFields());
        return new OutboundRecord(key(n), matchValue(n), null, values);
    }

    /** Writes records so that they exist, with whichever creating operation is supported. */
    protected final Map<String, RecordResult> seed(List<OutboundRecord> records) throws DestinationException {
        Operation operation = supports(Behavior.UPSERT) ? Operation.UPSERT : Operation.CREATE;
        Map<String, RecordResult> results = write(operation, records);
        assertAllAccepted(results);
        return results;
    }

    /** Writes one batch and checks that every record got exactly one result; returns them by key. */
    protected final Map<String, RecordResult> write(Operation operation, List<OutboundRecord> records)
            throws DestinationException {
        WriteBatch batch = batch(operation, records);
        return results(batch, complete(batch));
    }

    /** Writes one batch to its end, start and then resume until done, waiting through {@link #await}. */
    protected final WriteResult complete(WriteBatch batch) throws DestinationException {
        return Steps.complete(destination, batch, this::await);
    }

    /** The batch of {@code records} on the object and match field under test. */
    protected final WriteBatch batch(Operation operation, List<OutboundRecord> records) {
        return new WriteBatch(object(), operation, matchField(), records);
    }

    /** The results by key, after checking that each record of the batch has exactly one. */
    protected static Map<String, RecordResult> results(WriteBatch batch, WriteResult result) {
        assertThat(result.usage()).as("usage (RateUsage.UNKNOWN when not reported)").isNotNull();
        Map<String, RecordResult> byKey = new LinkedHashMap<>();
        for (RecordResult recordResult : result.results()) {
            assertThat(byKey.put(recordResult.key(), recordResult)).as("second result for " + recordResult.key())
                    .isNull();
        }
        assertThat(byKey.keySet()).as("one result per record, keyed by its key")
                .containsExactlyInAnyOrderElementsOf(batch.records().stream().map(OutboundRecord::key).toList());
        return byKey;
    }

    /** Asserts that every result is an acceptance. */
    protected static void assertAllAccepted(Map<String, RecordResult> results) {
        results.values().forEach(r -> assertThat(r.accepted()).as(r.key() + " accepted (" + r.reason() + ")").isTrue());
    }

    /** Asserts that the sandbox holds each record with the values it carries. */
    protected final void assertStored(List<OutboundRecord> records) {
        for (OutboundRecord record : records) {
            StoredRecord stored = inspector().find(record.matchValue())
                    .orElseThrow(() -> new AssertionError("no stored record for " + record.matchValue()));
            record.fields().forEach((field, value) -> {
                FieldType type = fields().get(field);
                if (type == null) return;
                String actual = stored.fields().get(field);
                assertThat(sameValue(type, value, actual))
                        .as("stored " + field + " of " + record.matchValue() + ": wrote " + value + ", holds " + actual)
                        .isTrue();
            });
        }
    }

    /**
     * Injects a fault into the next call. Default: the sandbox's own fault injection; a server that is not a
     * sandbox has none, and declares the fault behaviours unsupported.
     */
    protected void inject(Fault fault) {
        if (!(sandbox() instanceof SandboxServer server)) {
            throw new AssertionError("not a sandbox: declare the fault behaviours unsupported, or override inject");
        }
        server.inject(fault);
    }

    /** Requests the sandbox logged so far that {@link #isApiRequest} counts; else the inspector's count of calls. */
    private long apiRequests() {
        if (!(sandbox() instanceof SandboxServer server)) return inspector().apiCalls();
        return server.requests().stream().filter(this::isApiRequest).count();
    }

    private Operation anyWriteOperation() {
        assumeTrue(supports(Behavior.UPSERT) || supports(Behavior.INSERT), "needs UPSERT or INSERT");
        return supports(Behavior.UPSERT) ? Operation.UPSERT : Operation.CREATE;
    }

    private static LocalDate parseDate(String stored) {
        if (stored.matches("-?\\d+")) {
            return Instant.ofEpochMilli(Long.parseLong(stored)).atZone(ZoneOffset.UTC).toLocalDate();
        }
        if (stored.length() == 10) return LocalDate.parse(stored);
        return Instant.parse(stored).atZone(ZoneOffset.UTC).toLocalDate();
    }

    private static Instant parseInstant(String stored) {
        if (stored.matches("-?\\d+")) return Instant.ofEpochMilli(Long.parseLong(stored));
        return Instant.parse(stored);
    }
}
