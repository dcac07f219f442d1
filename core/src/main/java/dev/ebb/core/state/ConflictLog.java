package dev.ebb.core.state;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Fields a person changed that Ebb kept (respect_manual_edits), until someone decides whose value stays. */
public interface ConflictLog {

    /** Records conflicts found by a run: a field already open for a key is updated, not repeated. */
    void recordConflicts(List<Conflict> found, Instant now) throws StateException;

    /**
     * Closes open conflicts that no longer stand: the person's value equals the warehouse's, or went back to the
     * value Ebb last wrote, so there is nothing left to decide.
     *
     * @param keyFields the (key, field) pairs settled
     */
    void settleConflicts(String sync, List<Map.Entry<String, String>> keyFields, Instant now) throws StateException;

    /** Open and resolved conflicts, newest first; {@code sync} and {@code key} may be null for all. */
    List<Conflict> conflicts(String sync, String key) throws StateException;

    /** Open conflicts only, newest first; {@code sync} and {@code key} may be null for all. */
    List<Conflict> openConflicts(String sync, String key) throws StateException;

    /**
     * Closes an open conflict with the user's choice, and makes {@code newBaseHash} the field's hash in the snapshot:
     * the value Ebb now counts as its own. {@code keptAgainstHash}, when the person's value was chosen, is the hash
     * of the warehouse value it was chosen over (see {@link FieldHashes#keptAgainst}); {@code null} otherwise.
     */
    void resolveConflict(String sync, String key, String field, Resolution resolution, String newBaseHash,
                         String keptAgainstHash, Instant now) throws StateException;
}
