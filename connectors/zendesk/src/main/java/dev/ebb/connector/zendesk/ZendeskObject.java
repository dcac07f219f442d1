package dev.ebb.connector.zendesk;

import dev.ebb.spi.FieldSpec;
import dev.ebb.spi.FieldType;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The two Zendesk Support objects Ebb writes, with what differs between them: paths, JSON keys, the standard fields
 * and how an upsert is made.
 *
 * <p>Users have a bulk upsert, {@code POST /api/v2/users/create_or_update_many}, that matches each user by
 * {@code email} or {@code external_id}
 * (https://developer.zendesk.com/api-reference/ticketing/users/users/#create-or-update-many-users). Organizations
 * have none: Zendesk offers {@code create_many}, {@code update_many} (by id) and a one-at-a-time
 * {@code create_or_update} (https://developer.zendesk.com/api-reference/ticketing/organizations/organizations/),
 * so an organization upsert looks the batch up by {@code external_id} first ({@code show_many}), then creates the
 * missing ones and updates the others, each in one job.
 */
enum ZendeskObject {
    USERS("users", "user", "user_fields", Set.of("email", "external_id"), true, List.of(
            writable("name", FieldType.STRING),
            unique("email"),
            unique("external_id"),
            writable("alias", FieldType.STRING),
            writable("phone", FieldType.STRING),
            writable("details", FieldType.STRING),
            writable("notes", FieldType.STRING),
            new FieldSpec("role", FieldType.ENUMERATION, false, false, List.of("end-user", "agent", "admin")),
            writable("organization_id", FieldType.NUMBER),
            writable("time_zone", FieldType.STRING),
            writable("locale", FieldType.STRING),
            writable("verified", FieldType.BOOLEAN),
            writable("suspended", FieldType.BOOLEAN),
            readOnly("id", FieldType.NUMBER),
            readOnly("url", FieldType.STRING),
            readOnly("active", FieldType.BOOLEAN),
            readOnly("created_at", FieldType.DATETIME),
            readOnly("updated_at", FieldType.DATETIME),
            readOnly("last_login_at", FieldType.DATETIME))),
    ORGANIZATIONS("organizations", "organization", "organization_fields", Set.of("external_id"), false, List.of(
            writable("name", FieldType.STRING),
            unique("external_id"),
            writable("details", FieldType.STRING),
            writable("notes", FieldType.STRING),
            writable("group_id", FieldType.NUMBER),
            writable("shared_tickets", FieldType.BOOLEAN),
            writable("shared_comments", FieldType.BOOLEAN),
            readOnly("id", FieldType.NUMBER),
            readOnly("url", FieldType.STRING),
            readOnly("created_at", FieldType.DATETIME),
            readOnly("updated_at", FieldType.DATETIME)));

    private final String plural;
    private final String singular;
    private final String customFields;
    private final Set<String> matchFields;
    private final boolean bulkUpsert;
    private final List<FieldSpec> standardFields;

    ZendeskObject(String plural, String singular, String customFields, Set<String> matchFields, boolean bulkUpsert,
                  List<FieldSpec> standardFields) {
        this.plural = plural;
        this.singular = singular;
        this.customFields = customFields;
        this.matchFields = matchFields;
        this.bulkUpsert = bulkUpsert;
        this.standardFields = standardFields;
    }

    /** The object by its API name ({@code users}, {@code organizations}). */
    static Optional<ZendeskObject> named(String name) {
        for (ZendeskObject object : values()) if (object.plural.equals(name)) return Optional.of(object);
        return Optional.empty();
    }

    /** {@code users}: the path segment and the key of lists in JSON. */
    String plural() {
        return plural;
    }

    /** {@code user}: the key of one record in JSON. */
    String singular() {
        return singular;
    }

    /** {@code user_fields}: the key of custom field values in a record, and the prefix of their field names. */
    String customFields() {
        return customFields;
    }

    /** {@code /api/v2/user_fields}: where the custom field definitions are listed. */
    String customFieldsPath() {
        return "/api/v2/" + customFields;
    }

    /** The fields a sync may match on. */
    Set<String> matchFields() {
        return matchFields;
    }

    /** Whether Zendesk has a bulk create-or-update for it (users do; organizations do not). */
    boolean bulkUpsert() {
        return bulkUpsert;
    }

    List<FieldSpec> standardFields() {
        return standardFields;
    }

    /** The custom field key of a field name ({@code user_fields.churn_risk} gives {@code churn_risk}), if it is one. */
    Optional<String> customKey(String field) {
        String prefix = customFields + ".";
        return field.startsWith(prefix) && field.length() > prefix.length()
                ? Optional.of(field.substring(prefix.length())) : Optional.empty();
    }

    /** What a sync is told when its object is not one of these. */
    static String known() {
        return "users, organizations";
    }

    private static FieldSpec writable(String name, FieldType type) {
        return FieldSpec.of(name, type);
    }

    private static FieldSpec unique(String name) {
        return new FieldSpec(name, FieldType.STRING, true, false, List.of());
    }

    private static FieldSpec readOnly(String name, FieldType type) {
        return new FieldSpec(name, type, false, true, List.of());
    }
}
