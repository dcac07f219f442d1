package dev.ebb.sandbox.salesforce;

import dev.ebb.sandbox.salesforce.SObjectType.Stored;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sandbox org's data: its sObject types and their records, and the rules every save follows whichever API it
 * comes through (REST, sObject Collections, Bulk API 2.0). Not thread-safe: {@link SalesforceSandbox} calls it under
 * its data lock.
 */
final class Org {
    private final Clock clock;
    final String orgId;
    final String userId;
    private final Map<String, SObjectType> types = new LinkedHashMap<>();
    private long nextId = 1_000;
    private int nextCustomPrefix;
    private int locksToRaise;

    /** The outcome of saving one record. */
    record SaveResult(String id, boolean created, List<SaveError> errors) {
        SaveResult {
            errors = List.copyOf(errors);
        }

        boolean success() {
            return errors.isEmpty();
        }

        static SaveResult failed(SaveError error) {
            return new SaveResult(null, false, List.of(error));
        }

        static SaveResult failed(String id, SaveError error) {
            return new SaveResult(id, false, List.of(error));
        }
    }

    /** The undo log of one request, so that {@code allOrNone} can roll every save of it back. */
    static final class Tx {
        private final List<Runnable> undo = new ArrayList<>();

        void rollback() {
            for (int i = undo.size() - 1; i >= 0; i--) undo.get(i).run();
            undo.clear();
        }
    }

    Org(Clock clock, String orgId, String userId) {
        this.clock = clock;
        this.orgId = orgId;
        this.userId = userId;
    }

    // ---- types --------------------------------------------------------------------------------------------

    void addType(SObjectType type) {
        if (types.putIfAbsent(SObjectType.fold(type.name), type) != null) {
            throw new IllegalArgumentException("object " + type.name + " already exists");
        }
    }

    Optional<SObjectType> type(String name) {
        return Optional.ofNullable(name == null ? null : types.get(SObjectType.fold(name)));
    }

    List<SObjectType> types() {
        return List.copyOf(types.values());
    }

    Optional<SObjectType> typeOfId(String id18) {
        return types.values().stream().filter(t -> id18.startsWith(t.keyPrefix)).findFirst();
    }

    /** A custom object, with the fields every custom object has and {@code extra}. */
    SObjectType createCustomObject(String name, List<SalesforceField> extra) {
        if (!name.matches("[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)*__c")) {
            throw new IllegalArgumentException("custom object name '" + name + "' must be letters, digits and single "
                    + "underscores, ending in __c (e.g. Churn_Signal__c)");
        }
        String label = name.substring(0, name.length() - 3).replace('_', ' ');
        String prefix = "a0" + "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ".charAt(nextCustomPrefix++ % 36);
        SObjectType type = new SObjectType(name, label, label + "s", prefix, true);
        type.addField(SalesforceField.reference("OwnerId", "User").labelled("Owner ID").defaulted());
        type.addField(SalesforceField.bool("IsDeleted").labelled("Deleted").readOnly());
        type.addField(SalesforceField.text("Name", 80).labelled(label + " Name").required().idLookup());
        systemDates(type);
        extra.forEach(type::addField);
        addType(type);
        return type;
    }

    static void systemDates(SObjectType type) {
        type.addField(SalesforceField.datetime("CreatedDate").labelled("Created Date").readOnly().defaulted());
        type.addField(SalesforceField.datetime("LastModifiedDate").labelled("Last Modified Date").readOnly().defaulted());
        type.addField(SalesforceField.datetime("SystemModstamp").labelled("System Modstamp").readOnly().defaulted());
    }

    /** The next {@code count} record saves fail with {@code UNABLE_TO_LOCK_ROW}. */
    void lockNext(int count) {
        locksToRaise += count;
    }

    // ---- saves --------------------------------------------------------------------------------------------

    /** Creates a record from parsed values (field API name to value, null clears). */
    SaveResult create(SObjectType type, Map<String, Object> values, Tx tx) {
        if (takeLock()) return SaveResult.failed(SaveError.locked(null));
        Optional<SaveError> problem = checkFields(type, values, true);
        if (problem.isEmpty()) problem = missingRequired(type, values, null);
        if (problem.isEmpty()) problem = uniqueConflict(type, values, null);
        if (problem.isPresent()) return SaveResult.failed(problem.get());
        Instant now = clock.instant();
        String id = SalesforceIds.make(type.keyPrefix, nextId++);
        Map<String, Object> stored = new LinkedHashMap<>();
        for (SalesforceField field : type.fields()) {
            if (field.type() == SalesforceField.Type.BOOLEAN) stored.put(field.name(), Boolean.FALSE);
        }
        stored.put("Id", id);
        values.forEach((name, value) -> {
            SalesforceField field = type.field(name).orElseThrow();
            stored.put(field.name(), FieldValues.normalize(field, value));
        });
        if (type.field("OwnerId").isPresent()) stored.put("OwnerId", userId);
        stamp(type, stored, now, true);
        Stored record = new Stored(id, stored);
        type.insert(record);
        if (tx != null) tx.undo.add(() -> type.remove(id, false));
        return new SaveResult(id, true, List.of());
    }

    /** Updates the record {@code rawId} (15 or 18 characters) with parsed values. */
    SaveResult update(SObjectType type, String rawId, Map<String, Object> values, Tx tx) {
        Optional<String> id = SalesforceIds.normalize(rawId);
        if (id.isEmpty() || !id.get().startsWith(type.keyPrefix)) {
            return SaveResult.failed(SaveError.malformedId(type.label, rawId));
        }
        Optional<Stored> found = type.byId(id.get());
        if (found.isEmpty()) {
            return SaveResult.failed(id.get(), type.wasDeleted(id.get()) ? SaveError.deleted()
                    : SaveError.invalidCrossReference(null));
        }
        Stored stored = found.get();
        if (takeLock()) return SaveResult.failed(stored.id, SaveError.locked(stored.id));
        Optional<SaveError> problem = checkFields(type, values, false);
        if (problem.isEmpty()) problem = missingRequired(type, values, stored);
        if (problem.isEmpty()) problem = uniqueConflict(type, values, stored);
        if (problem.isPresent()) return SaveResult.failed(stored.id, problem.get());
        Map<String, Object> previous = new LinkedHashMap<>(stored.values);
        Map<String, Object> next = new LinkedHashMap<>(stored.values);
        values.forEach((name, value) -> {
            SalesforceField field = type.field(name).orElseThrow();
            next.put(field.name(), FieldValues.normalize(field, value));
        });
        stamp(type, next, clock.instant(), false);
        type.replace(stored, next);
        if (tx != null) tx.undo.add(() -> type.replace(stored, previous));
        return new SaveResult(stored.id, false, List.of());
    }

    /**
     * Creates or updates the record whose {@code ext} field holds the value in {@code values}: none, a create; one,
     * an update; several, {@code DUPLICATE_EXTERNAL_ID}.
     */
    SaveResult upsert(SObjectType type, SalesforceField ext, Map<String, Object> values, Tx tx) {
        Object value = values.get(ext.name());
        if (ext.type() == SalesforceField.Type.ID) {
            if (value == null) {
                Map<String, Object> withoutId = new LinkedHashMap<>(values);
                withoutId.remove("Id");
                return create(type, withoutId, tx);
            }
            Map<String, Object> withoutId = new LinkedHashMap<>(values);
            withoutId.remove("Id");
            return update(type, value.toString(), withoutId, tx);
        }
        if (value == null || FieldValues.text(value).isEmpty()) return SaveResult.failed(SaveError.missingExternalId(ext));
        List<Stored> matches = type.matching(ext, value);
        if (matches.size() > 1) {
            return SaveResult.failed(SaveError.duplicateExternalId(ext, matches.stream().map(s -> s.id).toList()));
        }
        if (matches.size() == 1) return update(type, matches.getFirst().id, values, tx);
        return create(type, values, tx);
    }

    /** Deletes the record {@code rawId}. */
    SaveResult delete(SObjectType type, String rawId, Tx tx) {
        Optional<String> id = SalesforceIds.normalize(rawId);
        if (id.isEmpty() || (type != null && !id.get().startsWith(type.keyPrefix))) {
            return SaveResult.failed(SaveError.of("MALFORMED_ID", "malformed id " + rawId));
        }
        SObjectType owner = type != null ? type : typeOfId(id.get()).orElse(null);
        if (owner == null) return SaveResult.failed(id.get(), SaveError.invalidCrossReference(null));
        Optional<Stored> found = owner.byId(id.get());
        if (found.isEmpty()) {
            return SaveResult.failed(id.get(), owner.wasDeleted(id.get()) ? SaveError.deleted()
                    : SaveError.invalidCrossReference(null));
        }
        if (takeLock()) return SaveResult.failed(id.get(), SaveError.locked(id.get()));
        Stored stored = found.get();
        owner.remove(stored.id, true);
        if (tx != null) tx.undo.add(() -> owner.insert(stored));
        return new SaveResult(stored.id, false, List.of());
    }

    // ---- checks -------------------------------------------------------------------------------------------

    private boolean takeLock() {
        if (locksToRaise <= 0) return false;
        locksToRaise--;
        return true;
    }

    private Optional<SaveError> checkFields(SObjectType type, Map<String, Object> values, boolean create) {
        for (Map.Entry<String, Object> entry : values.entrySet()) {
            SalesforceField field = type.field(entry.getKey()).orElseThrow();
            if (create ? !field.createable() : !field.updateable()) return Optional.of(SaveError.notWritable(field));
            Optional<SaveError> problem = FieldValues.check(field, entry.getValue());
            if (problem.isPresent()) return problem;
            if (field.type() == SalesforceField.Type.REFERENCE && entry.getValue() != null) {
                Optional<SaveError> reference = checkReference(field, entry.getValue().toString());
                if (reference.isPresent()) return reference;
            }
        }
        return Optional.empty();
    }

    private Optional<SaveError> checkReference(SalesforceField field, String value) {
        Optional<String> id = SalesforceIds.normalize(value);
        if (id.isEmpty()) return Optional.of(SaveError.malformedId(field.label().replace(" ID", ""), value));
        for (String target : field.referenceTo()) {
            if (target.equals("User") && id.get().equals(userId)) return Optional.empty();
            Optional<SObjectType> type = type(target);
            if (type.isPresent() && type.get().byId(id.get()).isPresent()) return Optional.empty();
        }
        return Optional.of(SaveError.invalidCrossReference(field.name()));
    }

    private static Optional<SaveError> missingRequired(SObjectType type, Map<String, Object> values, Stored existing) {
        List<String> missing = new ArrayList<>();
        for (SalesforceField field : type.fields()) {
            if (!field.isRequired()) continue;
            boolean given = values.containsKey(field.name());
            Object value = given ? values.get(field.name()) : existing == null ? null : existing.get(field);
            if (value == null || FieldValues.text(value).isEmpty()) missing.add(field.name());
        }
        return missing.isEmpty() ? Optional.empty() : Optional.of(SaveError.requiredMissing(missing));
    }

    private static Optional<SaveError> uniqueConflict(SObjectType type, Map<String, Object> values, Stored self) {
        for (Map.Entry<String, Object> entry : values.entrySet()) {
            SalesforceField field = type.field(entry.getKey()).orElseThrow();
            if (!field.isUnique() || entry.getValue() == null) continue;
            for (Stored other : type.matching(field, entry.getValue())) {
                if (self == null || !other.id.equals(self.id)) {
                    return Optional.of(SaveError.duplicateValue(field, other.id));
                }
            }
        }
        return Optional.empty();
    }

    /** System fields of a save: the dates, and a contact's full Name from its first and last names. */
    private static void stamp(SObjectType type, Map<String, Object> values, Instant now, boolean created) {
        if (created && type.field("CreatedDate").isPresent()) values.put("CreatedDate", now);
        if (type.field("LastModifiedDate").isPresent()) values.put("LastModifiedDate", now);
        if (type.field("SystemModstamp").isPresent()) values.put("SystemModstamp", now);
        if (type.field("FirstName").isPresent() && type.field("LastName").isPresent()
                && type.field("Name").map(f -> !f.createable()).orElse(false)) {
            Object first = values.get("FirstName");
            Object last = values.get("LastName");
            String name = ((first == null ? "" : first + " ") + (last == null ? "" : last)).trim();
            values.put("Name", name.isEmpty() ? null : name);
        }
    }
}
