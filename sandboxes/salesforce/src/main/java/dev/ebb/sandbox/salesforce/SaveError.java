package dev.ebb.sandbox.salesforce;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * One error of a record save, as Salesforce reports it: a {@code StatusCode}
 * (https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_concepts_core_data_objects.htm,
 * "StatusCode"), a message and the fields concerned.
 */
record SaveError(String statusCode, String message, List<String> fields) {
    private static final ObjectMapper JSON = new ObjectMapper();

    SaveError {
        fields = List.copyOf(fields);
    }

    static SaveError of(String statusCode, String message, String... fields) {
        return new SaveError(statusCode, message, List.of(fields));
    }

    /** In an sObject Collections result: {@code {"statusCode":…,"message":…,"fields":[…]}}. */
    ObjectNode collectionJson() {
        ObjectNode node = JSON.createObjectNode().put("statusCode", statusCode).put("message", message);
        ArrayNode array = node.putArray("fields");
        fields.forEach(array::add);
        return node;
    }

    /** In a single-record REST answer: {@code {"message":…,"errorCode":…,"fields":[…]}}. */
    ObjectNode restJson() {
        ObjectNode node = JSON.createObjectNode().put("message", message).put("errorCode", statusCode);
        ArrayNode array = node.putArray("fields");
        fields.forEach(array::add);
        return node;
    }

    /** In a Bulk API result's {@code sf__Error}: {@code CODE:message:Field1,Field2 --}. */
    String bulkText() {
        return statusCode + ":" + message + ":" + (fields.isEmpty() ? "--" : String.join(",", fields) + " --");
    }

    // ---- the errors the sandbox raises, in Salesforce's words -----------------------------------------------

    static SaveError requiredMissing(List<String> fields) {
        return new SaveError("REQUIRED_FIELD_MISSING", "Required fields are missing: [" + String.join(", ", fields) + "]",
                fields);
    }

    static SaveError invalidEmail(SalesforceField field, String value) {
        return of("INVALID_EMAIL_ADDRESS", field.label() + ": invalid email address: " + value, field.name());
    }

    static SaveError tooLong(SalesforceField field, String value) {
        String shown = value.length() > 40 ? value.substring(0, 40) : value;
        return of("STRING_TOO_LONG", field.label() + ": data value too large: " + shown + " (max length="
                + field.length() + ")", field.name());
    }

    static SaveError badPicklist(SalesforceField field, String value) {
        return of("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", field.label() + ": bad value for restricted picklist field: "
                + value, field.name());
    }

    static SaveError outOfRange(SalesforceField field, String value) {
        return of("NUMBER_OUTSIDE_VALID_RANGE", field.label() + ": value outside of valid range on numeric field: "
                + value, field.name());
    }

    static SaveError notWritable(SalesforceField field) {
        return of("INVALID_FIELD_FOR_INSERT_UPDATE", "Unable to create/update fields: " + field.name()
                + ". Please check the security settings of this field and verify that it is read/write for your "
                + "profile or permission set.", field.name());
    }

    static SaveError duplicateValue(SalesforceField field, String id) {
        return of("DUPLICATE_VALUE", "duplicate value found: " + field.name() + " duplicates value on record with id: "
                + id);
    }

    static SaveError duplicateInRequest(String value) {
        return of("DUPLICATE_VALUE", "Duplicate external id specified: " + value);
    }

    static SaveError duplicateExternalId(SalesforceField field, List<String> ids) {
        return of("DUPLICATE_EXTERNAL_ID", field.name() + ": more than one record found for external id field: "
                + ids, field.name());
    }

    static SaveError locked(String id) {
        return of("UNABLE_TO_LOCK_ROW", "unable to obtain exclusive access to this record or 1 records: "
                + (id == null ? "" : id));
    }

    static SaveError malformedId(String objectLabel, String id) {
        return of("MALFORMED_ID", objectLabel + " ID: id value of incorrect type: " + id, "Id");
    }

    static SaveError deleted() {
        return of("ENTITY_IS_DELETED", "entity is deleted");
    }

    static SaveError invalidCrossReference(String field) {
        return field == null ? of("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id")
                : of("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", field);
    }

    static SaveError missingId() {
        return of("MISSING_ARGUMENT", "Id not specified in an update call");
    }

    static SaveError missingExternalId(SalesforceField field) {
        return of("MISSING_ARGUMENT", field.name() + " not specified");
    }

    static SaveError idInInsert() {
        return of("INVALID_FIELD", "cannot specify Id in an insert call", "Id");
    }

    static SaveError wrongType(SalesforceField field, String value) {
        return of("INVALID_TYPE_ON_FIELD_IN_RECORD", field.label() + ": value not of required type: " + value,
                field.name());
    }

    static SaveError rolledBack() {
        return of("ALL_OR_NONE_OPERATION_ROLLED_BACK", "Record rolled back because not all records were valid and the "
                + "request was using AllOrNone header");
    }
}
