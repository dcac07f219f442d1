package dev.ebb.connector.salesforce;

import dev.ebb.spi.OutboundRecord;
import dev.ebb.spi.RecordResult;
import dev.ebb.spi.WriteBatch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One batch as the connector will write it, decided before any call: which Salesforce operation, which records
 * still need their Salesforce Id looked up, which were refused or withheld already, and whether it takes the Bulk
 * API. Immutable: each step makes a new one, so a step the runner repeats after a transient failure starts from the
 * same plan.
 *
 * @param batch    the batch
 * @param kind     the Salesforce operation
 * @param bulk     whether the batch goes through a Bulk API 2.0 ingest job (more records than one sObject
 *                 Collections call takes)
 * @param ids      record key to Salesforce Id, for operations by Id
 * @param decided  record key to its result, decided without the write call (refusals)
 * @param withheld keys of records not sent and given no result (the runner counts them failed and sends them later)
 */
record Plan(WriteBatch batch, Kind kind, boolean bulk, Map<String, String> ids, Map<String, RecordResult> decided,
            Set<String> withheld) {

    /** The Salesforce operation a batch becomes. */
    enum Kind {
        /** sObject Collections upsert / Bulk {@code upsert}, by the batch's External ID field. */
        UPSERT_BY_EXTERNAL_ID("upsert"),
        /** sObject Collections create / Bulk {@code insert}. */
        CREATE("insert"),
        /** sObject Collections update / Bulk {@code update}, by Salesforce Id. */
        UPDATE_BY_ID("update"),
        /** sObject Collections delete / Bulk {@code delete}, by Salesforce Id. */
        DELETE_BY_ID("delete");

        private final String bulkOperation;

        Kind(String bulkOperation) {
            this.bulkOperation = bulkOperation;
        }

        /** The {@code operation} of a Bulk API 2.0 ingest job. */
        String bulkOperation() {
            return bulkOperation;
        }

        /** Whether a record is addressed by its Salesforce Id (which may have to be looked up first). */
        boolean byId() {
            return this == UPDATE_BY_ID || this == DELETE_BY_ID;
        }

        /** Whether sending a record twice leaves the org as sending it once. */
        boolean idempotent() {
            return this != CREATE;
        }
    }

    Plan {
        ids = Collections.unmodifiableMap(new LinkedHashMap<>(ids));
        decided = Collections.unmodifiableMap(new LinkedHashMap<>(decided));
        withheld = Collections.unmodifiableSet(new LinkedHashSet<>(withheld));
    }

    /** Records still to be written: not refused, not withheld. */
    List<OutboundRecord> toSend() {
        List<OutboundRecord> records = new ArrayList<>();
        for (OutboundRecord record : batch.records()) {
            if (!decided.containsKey(record.key()) && !withheld.contains(record.key())) records.add(record);
        }
        return records;
    }

    /** Records to be written by Id whose Id is not known yet. */
    List<OutboundRecord> unresolved() {
        if (!kind.byId()) return List.of();
        return toSend().stream().filter(r -> !ids.containsKey(r.key())).toList();
    }

    /** A plan with these lookups' outcomes added. */
    Plan with(Map<String, String> moreIds, Map<String, RecordResult> moreDecided, Set<String> moreWithheld) {
        Map<String, String> allIds = new LinkedHashMap<>(ids);
        allIds.putAll(moreIds);
        Map<String, RecordResult> allDecided = new LinkedHashMap<>(decided);
        allDecided.putAll(moreDecided);
        Set<String> allWithheld = new LinkedHashSet<>(withheld);
        allWithheld.addAll(moreWithheld);
        return new Plan(batch, kind, bulk, allIds, allDecided, allWithheld);
    }
}
