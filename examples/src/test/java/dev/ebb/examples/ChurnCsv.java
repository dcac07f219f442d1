package dev.ebb.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.sandbox.hubspot.HubSpotProperty;
import dev.ebb.sandbox.hubspot.HubSpotRecord;
import dev.ebb.sandbox.hubspot.HubSpotSandbox;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The model file of {@code examples/hubspot-churn} ({@code data/customers.csv}), and the check that a HubSpot sandbox
 * holds exactly what it says: the tests' definition of "the destination equals the model".
 */
final class ChurnCsv {
    static final String HEADER = "customer_email,first_name,last_name,churn_risk_score,lifetime_value,plan";

    private ChurnCsv() {
    }

    /** One customer: the columns the sync maps, as the CSV spells them. */
    record Row(String email, String firstName, String lastName, String score, String lifetimeValue, String plan) {
        static Row parse(String line) {
            String[] c = line.split(",", -1);
            if (c.length != 6) throw new IllegalArgumentException("not a customers.csv row: " + line);
            return new Row(c[0], c[1], c[2], c[3], c[4], c[5]);
        }

        String line() {
            return String.join(",", email, firstName, lastName, score, lifetimeValue, plan);
        }

        Row withScore(String newScore) {
            return new Row(email, firstName, lastName, newScore, lifetimeValue, plan);
        }

        Row withEmail(String newEmail) {
            return new Row(newEmail, firstName, lastName, score, lifetimeValue, plan);
        }
    }

    static List<Row> read(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines.getFirst()).isEqualTo(HEADER);
        return lines.subList(1, lines.size()).stream().filter(l -> !l.isBlank()).map(Row::parse).toList();
    }

    static void write(Path csv, Collection<Row> rows) throws IOException {
        List<String> lines = new ArrayList<>(rows.size() + 1);
        lines.add(HEADER);
        rows.forEach(r -> lines.add(r.line()));
        Files.write(csv, lines);
    }

    /**
     * Asserts that every row has its contact in the sandbox with the row's values in every mapped field (numbers
     * compared as numbers: HubSpot stores them without trailing zeros), and that no two contacts share an email.
     *
     * @return the sandbox's contacts by email (lower-case, as HubSpot stores it)
     */
    /** A HubSpot sandbox with the contact properties the churn example maps, allowing {@code perTenSeconds} calls. */
    static HubSpotSandbox sandbox(String token, int perTenSeconds) {
        return HubSpotSandbox.builder().tokens(token).perTenSeconds(perTenSeconds)
                .property("contacts", HubSpotProperty.of("churn_risk_score", "number"))
                .property("contacts", HubSpotProperty.of("lifetime_value", "number"))
                .property("contacts", HubSpotProperty.enumeration("plan", "free", "starter", "professional",
                        "enterprise"))
                .build();
    }

    static Map<String, HubSpotRecord> assertSandboxHolds(HubSpotSandbox sandbox, Collection<Row> rows) {
        Map<String, HubSpotRecord> contacts = new TreeMap<>();
        for (HubSpotRecord record : sandbox.records("contacts")) {
            String email = record.property("email").orElseThrow(() -> new AssertionError("a contact without email: "
                    + record));
            HubSpotRecord twin = contacts.put(email.toLowerCase(Locale.ROOT), record);
            assertThat(twin).as("two contacts with email %s: a duplicate", email).isNull();
        }
        for (Row row : rows) {
            HubSpotRecord record = contacts.get(row.email().toLowerCase(Locale.ROOT));
            assertThat(record).as("the contact of model row %s", row.email()).isNotNull();
            assertThat(record.property("firstname")).as("%s firstname", row.email()).contains(row.firstName());
            assertThat(record.property("lastname")).as("%s lastname", row.email()).contains(row.lastName());
            assertThat(number(record, "churn_risk_score")).as("%s churn_risk_score", row.email())
                    .isEqualByComparingTo(row.score());
            assertThat(number(record, "lifetime_value")).as("%s lifetime_value", row.email())
                    .isEqualByComparingTo(row.lifetimeValue());
            assertThat(record.property("plan")).as("%s plan", row.email()).contains(row.plan());
        }
        return contacts;
    }

    private static BigDecimal number(HubSpotRecord record, String property) {
        return new BigDecimal(record.property(property).orElseThrow(() -> new AssertionError(
                record.property("email").orElse("?") + " has no " + property)));
    }
}
