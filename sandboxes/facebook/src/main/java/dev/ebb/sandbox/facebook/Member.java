package dev.ebb.sandbox.facebook;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One member of an audience as the sandbox holds it: the identifiers it was uploaded with, each as sent (a SHA-256
 * hex digest, or the plain value of an unhashed key: {@code EXTERN_ID}, {@code MADID}). Immutable.
 *
 * @param id   the sandbox's own number for the member (Meta never reveals which people matched)
 * @param keys multi-key schema name ({@code EMAIL}, {@code FN}) to the value sent; empty values are left out
 */
public record Member(long id, Map<String, String> keys) {
    public Member {
        Objects.requireNonNull(keys, "keys");
        keys = Collections.unmodifiableMap(new LinkedHashMap<>(keys));
    }

    /** The value sent for {@code key}, or {@code null}. */
    public String key(String key) {
        return keys.get(key);
    }
}
