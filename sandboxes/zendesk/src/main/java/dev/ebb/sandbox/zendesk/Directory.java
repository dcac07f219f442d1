package dev.ebb.sandbox.zendesk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The account's users, organizations and custom field definitions, with Zendesk's validation. Not thread-safe: the
 * sandbox calls it under its lock.
 *
 * <p>Validation messages follow Zendesk's {@code "<Attribute>: <problem>"} form. Those seen in Zendesk's own answers:
 * "Email: … is not properly formatted" (create_or_update_many job results, community post 4408861015066), "Name: is
 * too short (minimum is 1 characters)" (users, {@code RecordInvalid}, blakmatrix/node-zendesk#3), "Name: … has
 * already been taken" with {@code DuplicateValue} (organizations, zendesk/zendesk_api_client_rb#457). The others are
 * the sandbox's own wording in the same form (see docs/sandboxes/zendesk.md).
 */
final class Directory {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** A pragmatic address check: something@domain.tld, no spaces, a letters-only top-level domain. */
    private static final Pattern EMAIL = Pattern.compile("^[^\\s@]+@([A-Za-z0-9-]+\\.)+[A-Za-z]{2,}$");
    private static final Set<String> ROLES = Set.of("end-user", "agent", "admin");
    private static final Set<String> USER_TEXT = Set.of("alias", "phone", "details", "notes", "time_zone", "locale",
            "signature");
    private static final Set<String> USER_FLAGS = Set.of("verified", "suspended", "moderator",
            "only_private_comments", "restricted_agent", "shared_phone_number");
    private static final Set<String> ORG_TEXT = Set.of("details", "notes");
    private static final Set<String> ORG_FLAGS = Set.of("shared_tickets", "shared_comments");

    /** Users or organizations. */
    enum Kind {
        USERS("users", "user", "user_fields"),
        ORGANIZATIONS("organizations", "organization", "organization_fields");

        final String plural;
        final String singular;
        final String customFields;

        Kind(String plural, String singular, String customFields) {
            this.plural = plural;
            this.singular = singular;
            this.customFields = customFields;
        }
    }

    /** One validation problem: the attribute, Zendesk's error code, and the message. */
    record Problem(String attribute, String error, String description) {
    }

    /** What a write did: the record's id, whether it created it, or the problems that stopped it. */
    record Outcome(long id, boolean created, List<Problem> problems) {
        boolean ok() {
            return problems.isEmpty();
        }

        static Outcome refused(Problem... problems) {
            return new Outcome(0, false, List.of(problems));
        }
    }

    /** A custom field definition as the account holds it. */
    record StoredField(long id, CustomField field, List<Long> optionIds, Instant createdAt) {
    }

    private final Clock clock;
    private final Map<Long, ObjectNode> users = new LinkedHashMap<>();
    private final Map<Long, List<String>> identities = new LinkedHashMap<>();
    private final Map<String, Long> usersByEmail = new LinkedHashMap<>();
    private final Map<String, Long> usersByExternalId = new LinkedHashMap<>();
    private final Map<Long, ObjectNode> organizations = new LinkedHashMap<>();
    private final Map<String, Long> organizationsByName = new LinkedHashMap<>();
    private final Map<String, Long> organizationsByExternalId = new LinkedHashMap<>();
    private final Map<Kind, List<StoredField>> fields = new LinkedHashMap<>();
    private long nextUserId = 360_000_001L;
    private long nextOrganizationId = 370_000_001L;
    private long nextFieldId = 380_000_001L;
    private long nextOptionId = 390_000_001L;

    Directory(Clock clock) {
        this.clock = clock;
        fields.put(Kind.USERS, new ArrayList<>());
        fields.put(Kind.ORGANIZATIONS, new ArrayList<>());
    }

    // ---- custom fields ------------------------------------------------------------------------------------

    List<StoredField> fields(Kind kind) {
        return List.copyOf(fields.get(kind));
    }

    /** Adds a field definition; an existing key is a problem. Existing records get the key with no value. */
    Outcome createField(Kind kind, CustomField field) {
        for (StoredField existing : fields.get(kind)) {
            if (existing.field().key().equalsIgnoreCase(field.key())) {
                return Outcome.refused(new Problem("key", "DuplicateValue", "Key: " + field.key()
                        + " has already been taken"));
            }
        }
        List<Long> optionIds = new ArrayList<>();
        for (int i = 0; i < field.options().size(); i++) optionIds.add(nextOptionId++);
        StoredField stored = new StoredField(nextFieldId++, field, optionIds, now());
        fields.get(kind).add(stored);
        for (ObjectNode record : records(kind).values()) {
            ((ObjectNode) record.get(kind.customFields)).putNull(field.key());
        }
        return new Outcome(stored.id(), true, List.of());
    }

    private Optional<StoredField> field(Kind kind, String key) {
        return fields.get(kind).stream().filter(f -> f.field().key().equals(key)).findFirst();
    }

    // ---- reading ------------------------------------------------------------------------------------------

    Map<Long, ObjectNode> records(Kind kind) {
        return kind == Kind.USERS ? users : organizations;
    }

    Optional<ObjectNode> byId(Kind kind, long id) {
        return Optional.ofNullable(records(kind).get(id));
    }

    Optional<Long> idByExternalId(Kind kind, String externalId) {
        Map<String, Long> index = kind == Kind.USERS ? usersByExternalId : organizationsByExternalId;
        return Optional.ofNullable(index.get(externalId.toLowerCase(Locale.ROOT)));
    }

    Optional<Long> userIdByEmail(String email) {
        return Optional.ofNullable(usersByEmail.get(email.toLowerCase(Locale.ROOT)));
    }

    Optional<Long> organizationIdByName(String name) {
        return Optional.ofNullable(organizationsByName.get(name.toLowerCase(Locale.ROOT)));
    }

    /** The record as the API shows it; {@code baseUrl} makes its {@code url}. */
    ObjectNode render(Kind kind, ObjectNode record, String baseUrl) {
        ObjectNode shown = NODES.objectNode();
        long id = record.get("id").asLong();
        shown.put("id", id);
        shown.put("url", baseUrl + "/api/v2/" + kind.plural + "/" + id + ".json");
        record.properties().forEach(e -> {
            if (!e.getKey().equals("id")) shown.set(e.getKey(), e.getValue().deepCopy());
        });
        if (kind == Kind.USERS) {
            List<String> emails = identities.getOrDefault(id, List.of());
            shown.put("email", emails.isEmpty() ? null : emails.getFirst());
        }
        return shown;
    }

    /** The record flattened for the Java API. */
    ZendeskRecord flatten(Kind kind, ObjectNode record) {
        ObjectNode shown = render(kind, record, "");
        Map<String, String> flat = new LinkedHashMap<>();
        shown.properties().forEach(e -> {
            if (e.getKey().equals("id") || e.getKey().equals("url")) return;
            if (e.getKey().equals(kind.customFields)) {
                e.getValue().properties().forEach(c -> text(c.getValue())
                        .ifPresent(t -> flat.put(kind.customFields + "." + c.getKey(), t)));
            } else {
                text(e.getValue()).ifPresent(t -> flat.put(e.getKey(), t));
            }
        });
        return new ZendeskRecord(String.valueOf(record.get("id").asLong()), flat);
    }

    private static Optional<String> text(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) return Optional.empty();
        if (value.isArray()) {
            List<String> items = new ArrayList<>();
            value.forEach(v -> items.add(v.asText()));
            return items.isEmpty() ? Optional.empty() : Optional.of(String.join(",", items));
        }
        if (value.isBigDecimal()) return Optional.of(value.decimalValue().toPlainString());
        String text = value.asText();
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    // ---- users --------------------------------------------------------------------------------------------

    /**
     * create_or_update semantics: the user whose {@code external_id}, else whose email, matches is updated;
     * otherwise one is created ("Each individual user object can identify an existing user by email or by
     * external_id", create-or-update-many-users).
     */
    Outcome upsertUser(JsonNode item) {
        if (!item.isObject()) return Outcome.refused(new Problem("user", "InvalidValue", "User: is invalid"));
        Optional<Long> target = Optional.empty();
        String externalId = scalarText(item.get("external_id"));
        if (externalId != null && !externalId.isEmpty()) target = idByExternalId(Kind.USERS, externalId);
        String email = scalarText(item.get("email"));
        if (target.isEmpty() && email != null && !email.isEmpty()) target = userIdByEmail(email);
        return target.isPresent() ? updateUser(target.get(), item) : createUser(item);
    }

    /** A user record as Zendesk makes one, before any attribute is applied; not stored. */
    ObjectNode blankUser(long id, Instant now) {
        ObjectNode user = NODES.objectNode();
        user.put("id", id);
        user.putNull("name");
        user.putNull("email"); // shown from the user's primary identity
        user.put("created_at", timestamp(now));
        user.put("updated_at", timestamp(now));
        user.put("time_zone", "UTC");
        user.putNull("phone");
        user.put("locale", "en-US");
        user.putNull("organization_id");
        user.put("role", "end-user");
        user.put("verified", false);
        user.putNull("external_id");
        user.putArray("tags");
        user.putNull("alias");
        user.put("active", true);
        user.putNull("notes");
        user.putNull("details");
        user.put("suspended", false);
        user.putNull("last_login_at");
        ObjectNode custom = user.putObject(Kind.USERS.customFields);
        fields.get(Kind.USERS).forEach(f -> custom.putNull(f.field().key()));
        return user;
    }

    Outcome createUser(JsonNode item) {
        long id = nextUserId;
        ObjectNode user = blankUser(id, now());

        List<Problem> problems = new ArrayList<>();
        applyUser(user, item, id, true, problems);
        String email = scalarText(item.get("email"));
        if (email != null && !email.isEmpty()) checkEmail(email, id, problems);
        if (!problems.isEmpty()) return new Outcome(0, false, problems);
        nextUserId++;
        users.put(id, user);
        List<String> emails = new ArrayList<>();
        if (email != null && !email.isEmpty()) {
            emails.add(email.toLowerCase(Locale.ROOT));
            usersByEmail.put(email.toLowerCase(Locale.ROOT), id);
        }
        identities.put(id, emails);
        indexExternalId(usersByExternalId, null, user, id);
        return new Outcome(id, true, List.of());
    }

    /**
     * Changes a user. An email the user does not have yet becomes a secondary identity: the primary email is
     * "writeable on create only. On update, a secondary email is added" (users page, email attribute).
     */
    Outcome updateUser(long id, JsonNode changes) {
        ObjectNode current = users.get(id);
        if (current == null) return Outcome.refused(new Problem("id", "RecordNotFound", "Not found"));
        if (!changes.isObject()) return Outcome.refused(new Problem("user", "InvalidValue", "User: is invalid"));
        ObjectNode user = current.deepCopy();
        List<Problem> problems = new ArrayList<>();
        applyUser(user, changes, id, false, problems);
        String email = scalarText(changes.get("email"));
        boolean newEmail = email != null && !email.isEmpty()
                && !identities.getOrDefault(id, List.of()).contains(email.toLowerCase(Locale.ROOT));
        if (newEmail) checkEmail(email, id, problems);
        if (!problems.isEmpty()) return new Outcome(id, false, problems);
        if (newEmail) {
            identities.computeIfAbsent(id, k -> new ArrayList<>()).add(email.toLowerCase(Locale.ROOT));
            usersByEmail.put(email.toLowerCase(Locale.ROOT), id);
        }
        indexExternalId(usersByExternalId, current, user, id);
        if (!user.equals(current) || newEmail) user.put("updated_at", timestamp(now()));
        users.put(id, user);
        return new Outcome(id, false, List.of());
    }

    /** Deletes a user: it leaves every list and lookup, and its emails and external id are free again. */
    boolean deleteUser(long id) {
        ObjectNode user = users.remove(id);
        if (user == null) return false;
        for (String email : identities.getOrDefault(id, List.of())) usersByEmail.remove(email);
        identities.remove(id);
        String externalId = scalarText(user.get("external_id"));
        if (externalId != null) usersByExternalId.remove(externalId.toLowerCase(Locale.ROOT));
        return true;
    }

    private void checkEmail(String email, long self, List<Problem> problems) {
        if (!EMAIL.matcher(email).matches()) {
            problems.add(new Problem("email", "InvalidValue", "Email: " + email + " is not properly formatted"));
            return;
        }
        Long owner = usersByEmail.get(email.toLowerCase(Locale.ROOT));
        if (owner != null && owner != self) {
            problems.add(new Problem("email", "DuplicateValue", "Email: " + email
                    + " is already being used by another user"));
        }
    }

    private void applyUser(ObjectNode user, JsonNode changes, long self, boolean creating, List<Problem> problems) {
        for (Map.Entry<String, JsonNode> change : changes.properties()) {
            String name = change.getKey();
            JsonNode value = change.getValue();
            switch (name) {
                case "name" -> {
                    String text = scalarText(value);
                    if (text == null || text.isBlank()) {
                        problems.add(new Problem("name", "InvalidValue", "Name: is too short (minimum is 1 characters)"));
                    } else {
                        user.put("name", text);
                    }
                }
                case "external_id" -> externalId(Kind.USERS, user, value, self, problems);
                case "role" -> {
                    String text = scalarText(value);
                    if (text == null || !ROLES.contains(text)) {
                        problems.add(new Problem("role", "InvalidValue", "Role: " + value.asText()
                                + " is not one of end-user, agent, admin"));
                    } else {
                        user.put("role", text);
                    }
                }
                case "organization_id" -> {
                    if (value == null || value.isNull()) {
                        user.putNull("organization_id");
                    } else if (!value.canConvertToLong() || !organizations.containsKey(value.asLong())) {
                        problems.add(new Problem("organization_id", "InvalidValue", "Organization: "
                                + value.asText() + " is not an organization of this account"));
                    } else {
                        user.put("organization_id", value.asLong());
                    }
                }
                case "tags" -> tags(user, value, problems);
                case "user_fields" -> custom(Kind.USERS, user, value, problems);
                default -> {
                    if (USER_TEXT.contains(name)) {
                        plainText(user, name, value);
                    } else if (USER_FLAGS.contains(name)) {
                        flag(user, name, value, problems);
                    }
                    // email is handled by the caller; read-only and unknown attributes are ignored, as Zendesk does
                }
            }
        }
        if (creating && (user.path("name").isNull() || user.path("name").asText().isBlank())
                && problems.stream().noneMatch(p -> p.attribute().equals("name"))) {
            problems.add(new Problem("name", "InvalidValue", "Name: is too short (minimum is 1 characters)"));
        }
    }

    // ---- organizations ------------------------------------------------------------------------------------

    /** create_or_update semantics: matched by {@code id}, else {@code external_id}; otherwise created. */
    Outcome upsertOrganization(JsonNode item) {
        if (!item.isObject()) {
            return Outcome.refused(new Problem("organization", "InvalidValue", "Organization: is invalid"));
        }
        if (item.hasNonNull("id") && item.get("id").canConvertToLong() && organizations.containsKey(item.get("id").asLong())) {
            return updateOrganization(item.get("id").asLong(), item);
        }
        String externalId = scalarText(item.get("external_id"));
        if (externalId != null && !externalId.isEmpty()) {
            Optional<Long> id = idByExternalId(Kind.ORGANIZATIONS, externalId);
            if (id.isPresent()) return updateOrganization(id.get(), item);
        }
        return createOrganization(item);
    }

    Outcome createOrganization(JsonNode item) {
        if (!item.isObject()) {
            return Outcome.refused(new Problem("organization", "InvalidValue", "Organization: is invalid"));
        }
        ObjectNode organization = NODES.objectNode();
        long id = nextOrganizationId;
        organization.put("id", id);
        organization.putNull("external_id");
        organization.putNull("name");
        Instant now = now();
        organization.put("created_at", timestamp(now));
        organization.put("updated_at", timestamp(now));
        organization.putArray("domain_names");
        organization.putNull("details");
        organization.putNull("notes");
        organization.putNull("group_id");
        organization.put("shared_tickets", false);
        organization.put("shared_comments", false);
        organization.putArray("tags");
        ObjectNode custom = organization.putObject(Kind.ORGANIZATIONS.customFields);
        fields.get(Kind.ORGANIZATIONS).forEach(f -> custom.putNull(f.field().key()));
        List<Problem> problems = new ArrayList<>();
        applyOrganization(organization, item, id, problems);
        if (organization.path("name").isNull() && problems.stream().noneMatch(p -> p.attribute().equals("name"))) {
            problems.add(new Problem("name", "BlankValue", "Name: cannot be blank"));
        }
        if (!problems.isEmpty()) return new Outcome(0, false, problems);
        nextOrganizationId++;
        organizations.put(id, organization);
        organizationsByName.put(organization.get("name").asText().toLowerCase(Locale.ROOT), id);
        indexExternalId(organizationsByExternalId, null, organization, id);
        return new Outcome(id, true, List.of());
    }

    Outcome updateOrganization(long id, JsonNode changes) {
        ObjectNode current = organizations.get(id);
        if (current == null) return Outcome.refused(new Problem("id", "RecordNotFound", "Not found"));
        if (!changes.isObject()) {
            return Outcome.refused(new Problem("organization", "InvalidValue", "Organization: is invalid"));
        }
        ObjectNode organization = current.deepCopy();
        List<Problem> problems = new ArrayList<>();
        applyOrganization(organization, changes, id, problems);
        if (!problems.isEmpty()) return new Outcome(id, false, problems);
        organizationsByName.remove(current.get("name").asText().toLowerCase(Locale.ROOT));
        organizationsByName.put(organization.get("name").asText().toLowerCase(Locale.ROOT), id);
        indexExternalId(organizationsByExternalId, current, organization, id);
        if (!organization.equals(current)) organization.put("updated_at", timestamp(now()));
        organizations.put(id, organization);
        return new Outcome(id, false, List.of());
    }

    boolean deleteOrganization(long id) {
        ObjectNode organization = organizations.remove(id);
        if (organization == null) return false;
        organizationsByName.remove(organization.get("name").asText().toLowerCase(Locale.ROOT));
        String externalId = scalarText(organization.get("external_id"));
        if (externalId != null) organizationsByExternalId.remove(externalId.toLowerCase(Locale.ROOT));
        // Zendesk clears the organization of its members.
        for (ObjectNode user : users.values()) {
            if (user.path("organization_id").asLong(-1) == id) user.putNull("organization_id");
        }
        return true;
    }

    private void applyOrganization(ObjectNode organization, JsonNode changes, long self, List<Problem> problems) {
        for (Map.Entry<String, JsonNode> change : changes.properties()) {
            String name = change.getKey();
            JsonNode value = change.getValue();
            switch (name) {
                case "name" -> {
                    String text = scalarText(value);
                    if (text == null || text.isBlank()) {
                        problems.add(new Problem("name", "BlankValue", "Name: cannot be blank"));
                    } else {
                        Long owner = organizationsByName.get(text.toLowerCase(Locale.ROOT));
                        if (owner != null && owner != self) {
                            problems.add(new Problem("name", "DuplicateValue", "Name: " + text
                                    + " has already been taken"));
                        } else {
                            organization.put("name", text);
                        }
                    }
                }
                case "external_id" -> externalId(Kind.ORGANIZATIONS, organization, value, self, problems);
                case "group_id" -> {
                    if (value == null || value.isNull()) {
                        organization.putNull("group_id");
                    } else if (value.canConvertToLong() && value.isIntegralNumber()) {
                        organization.put("group_id", value.asLong());
                    } else {
                        problems.add(new Problem("group_id", "InvalidValue", "Group: " + value.asText()
                                + " is not a group id"));
                    }
                }
                case "domain_names", "tags" -> stringList(organization, name, value, problems);
                case "organization_fields" -> custom(Kind.ORGANIZATIONS, organization, value, problems);
                default -> {
                    if (ORG_TEXT.contains(name)) {
                        plainText(organization, name, value);
                    } else if (ORG_FLAGS.contains(name)) {
                        flag(organization, name, value, problems);
                    }
                }
            }
        }
    }

    // ---- attributes ---------------------------------------------------------------------------------------

    private void externalId(Kind kind, ObjectNode record, JsonNode value, long self, List<Problem> problems) {
        String text = scalarText(value);
        if (text == null || text.isEmpty()) {
            record.putNull("external_id");
            return;
        }
        Map<String, Long> index = kind == Kind.USERS ? usersByExternalId : organizationsByExternalId;
        Long owner = index.get(text.toLowerCase(Locale.ROOT));
        if (owner != null && owner != self) {
            problems.add(new Problem("external_id", "DuplicateValue", "External ID: " + text
                    + " has already been taken"));
        } else {
            record.put("external_id", text);
        }
    }

    private static void indexExternalId(Map<String, Long> index, ObjectNode before, ObjectNode after, long id) {
        String old = before == null ? null : scalarText(before.get("external_id"));
        if (old != null) index.remove(old.toLowerCase(Locale.ROOT));
        String now = scalarText(after.get("external_id"));
        if (now != null) index.put(now.toLowerCase(Locale.ROOT), id);
    }

    private static void plainText(ObjectNode record, String name, JsonNode value) {
        String text = scalarText(value);
        if (text == null) record.putNull(name);
        else record.put(name, text);
    }

    private static void flag(ObjectNode record, String name, JsonNode value, List<Problem> problems) {
        Optional<Boolean> bool = bool(value);
        if (bool.isPresent()) {
            record.put(name, bool.get());
        } else {
            problems.add(new Problem(name, "InvalidValue", title(name) + ": " + value + " is not true or false"));
        }
    }

    private static void tags(ObjectNode record, JsonNode value, List<Problem> problems) {
        stringList(record, "tags", value, problems);
    }

    private static void stringList(ObjectNode record, String name, JsonNode value, List<Problem> problems) {
        ArrayNode list = NODES.arrayNode();
        if (value == null || value.isNull()) {
            record.set(name, list);
            return;
        }
        if (!value.isArray()) {
            problems.add(new Problem(name, "InvalidValue", title(name) + ": must be a list"));
            return;
        }
        value.forEach(v -> list.add(v.asText()));
        record.set(name, list);
    }

    /** Custom field values, validated by type; keys the account does not define are ignored. */
    private void custom(Kind kind, ObjectNode record, JsonNode values, List<Problem> problems) {
        if (values == null || values.isNull()) return;
        if (!values.isObject()) {
            problems.add(new Problem(kind.customFields, "InvalidValue", title(kind.customFields)
                    + ": must be an object of field keys to values"));
            return;
        }
        ObjectNode target = (ObjectNode) record.get(kind.customFields);
        for (Map.Entry<String, JsonNode> entry : values.properties()) {
            Optional<StoredField> stored = field(kind, entry.getKey());
            if (stored.isEmpty() || !stored.get().field().active()) continue;
            CustomField field = stored.get().field();
            JsonNode value = entry.getValue();
            if (value == null || value.isNull() || (value.isTextual() && value.asText().isEmpty())) {
                target.putNull(field.key());
                continue;
            }
            Optional<JsonNode> normalized = normalize(field, value);
            if (normalized.isPresent()) {
                target.set(field.key(), normalized.get());
            } else {
                problems.add(new Problem(kind.customFields + "." + field.key(), "InvalidValue",
                        field.title() + ": " + (value.isTextual() ? value.asText() : value.toString())
                                + " is invalid"));
            }
        }
    }

    /** A custom field value in the form Zendesk stores it, or empty when it does not fit the type. */
    static Optional<JsonNode> normalize(CustomField field, JsonNode value) {
        switch (field.type()) {
            case "text", "textarea" -> {
                return value.isValueNode() ? Optional.of(NODES.textNode(value.asText())) : Optional.empty();
            }
            case "regexp" -> {
                if (!value.isValueNode()) return Optional.empty();
                return Pattern.compile(field.regexp()).matcher(value.asText()).find()
                        ? Optional.of(NODES.textNode(value.asText())) : Optional.empty();
            }
            case "integer" -> {
                try {
                    BigDecimal number = value.isNumber() ? value.decimalValue() : new BigDecimal(value.asText().trim());
                    return Optional.of(NODES.numberNode(number.longValueExact()));
                } catch (NumberFormatException | ArithmeticException e) {
                    return Optional.empty();
                }
            }
            case "decimal" -> {
                try {
                    BigDecimal number = value.isNumber() ? value.decimalValue() : new BigDecimal(value.asText().trim());
                    return Optional.of(NODES.numberNode(number.stripTrailingZeros()));
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
            }
            case "checkbox" -> {
                return bool(value).map(NODES::booleanNode);
            }
            case "date" -> {
                return date(value.asText()).map(d -> NODES.textNode(d + "T00:00:00+00:00"));
            }
            case "dropdown" -> {
                String text = value.asText();
                return field.options().stream().anyMatch(o -> o.value().equals(text))
                        ? Optional.of(NODES.textNode(text)) : Optional.empty();
            }
            default -> {
                return Optional.empty();
            }
        }
    }

    /** {@code YYYY-MM-DD}, or an ISO-8601 timestamp at midnight of its offset. */
    private static Optional<LocalDate> date(String text) {
        String trimmed = text.trim();
        try {
            return Optional.of(LocalDate.parse(trimmed));
        } catch (DateTimeParseException e) {
            try {
                return Optional.of(OffsetDateTime.parse(trimmed).toLocalDate());
            } catch (DateTimeParseException again) {
                return Optional.empty();
            }
        }
    }

    private static Optional<Boolean> bool(JsonNode value) {
        if (value == null) return Optional.empty();
        if (value.isBoolean()) return Optional.of(value.booleanValue());
        if (value.isTextual() && (value.asText().equals("true") || value.asText().equals("false"))) {
            return Optional.of(Boolean.parseBoolean(value.asText()));
        }
        return Optional.empty();
    }

    /** A scalar's text; {@code null} for null or a missing node, or for objects and arrays. */
    static String scalarText(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode() || value.isContainerNode()) return null;
        if (value.isBigDecimal()) return value.decimalValue().toPlainString();
        return value.asText();
    }

    private static String title(String attribute) {
        String words = attribute.replace('_', ' ');
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    /** Zendesk's timestamps: ISO 8601 in UTC to the second, {@code 2026-03-02T15:00:00Z}. */
    static String timestamp(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC).toInstant().toString();
    }

    /** The JSON of a field definition, as the user_fields and organization_fields endpoints show it. */
    ObjectNode renderField(Kind kind, StoredField stored, String baseUrl, int position) {
        CustomField field = stored.field();
        ObjectNode node = NODES.objectNode();
        node.put("id", stored.id());
        node.put("url", baseUrl + "/api/v2/" + kind.customFields + "/" + stored.id() + ".json");
        node.put("key", field.key());
        node.put("type", field.type());
        node.put("title", field.title());
        node.put("raw_title", field.title());
        node.put("description", "");
        node.put("raw_description", "");
        node.put("position", position);
        node.put("active", field.active());
        node.put("system", false);
        if (field.regexp() != null) node.put("regexp_for_validation", field.regexp());
        else node.putNull("regexp_for_validation");
        node.put("created_at", timestamp(stored.createdAt()));
        node.put("updated_at", timestamp(stored.createdAt()));
        if (field.type().equals("dropdown")) {
            ArrayNode options = node.putArray("custom_field_options");
            for (int i = 0; i < field.options().size(); i++) {
                CustomField.Option option = field.options().get(i);
                options.addObject().put("id", stored.optionIds().get(i)).put("name", option.name())
                        .put("raw_name", option.name()).put("value", option.value());
            }
        }
        return node;
    }

    /** Reads a field definition from a {@code user_field} request body, as Zendesk names the attributes. */
    static CustomField fieldFromJson(JsonNode node) {
        List<CustomField.Option> options = new ArrayList<>();
        for (JsonNode option : node.path("custom_field_options")) {
            String value = option.path("value").asText("");
            options.add(new CustomField.Option(option.path("name").asText(value), value));
        }
        String regexp = node.hasNonNull("regexp_for_validation") ? node.get("regexp_for_validation").asText() : null;
        return new CustomField(node.path("key").asText(""), node.path("type").asText(""),
                node.path("title").asText(null), options, regexp, node.path("active").asBoolean(true));
    }

    /** Parses a JSON map for the Java API's person edits. */
    static JsonNode toJson(Map<String, ?> values) {
        return JSON.valueToTree(values);
    }
}
