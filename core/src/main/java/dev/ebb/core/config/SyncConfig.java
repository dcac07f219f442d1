package dev.ebb.core.config;

import dev.ebb.spi.Mode;
import dev.ebb.spi.RemovalBehaviour;
import java.util.List;

/**
 * A sync: {@code syncs/NAME.yaml}.
 *
 * @param name        the file name without {@code .yaml}
 * @param model       the model it reads
 * @param key         the model's primary key columns (from the sync, else from the model's YAML)
 * @param destination the destination entry it writes to
 * @param object      the destination object
 * @param mode        how rows map to writes
 * @param onRemoved   what happens to records of rows that left the model
 * @param match       how rows identify records
 * @param fields      the field mappings, in order
 * @param schedule    when it runs by itself
 * @param location    the sync's file
 * @param guard       the blast-radius guard as written, or {@code null} when the sync sets none (the engine then
 *                    applies its defaults for modes that delete or clear)
 * @param keyLocation where the key is declared: this sync's {@code key:}, or the model's YAML
 */
public record SyncConfig(String name, String model, List<String> key, String destination, String object, Mode mode,
                         RemovalBehaviour onRemoved, Match match, List<FieldMapping> fields, Schedule schedule,
                         Location location, Guard guard, Location keyLocation) {
    public SyncConfig {
        key = List.copyOf(key);
        fields = List.copyOf(fields);
    }

    /** A sync without a guard of its own. */
    public SyncConfig(String name, String model, List<String> key, String destination, String object, Mode mode,
                      RemovalBehaviour onRemoved, Match match, List<FieldMapping> fields, Schedule schedule,
                      Location location) {
        this(name, model, key, destination, object, mode, onRemoved, match, fields, schedule, location, null);
    }

    /** A sync whose key is located at the sync's file. */
    public SyncConfig(String name, String model, List<String> key, String destination, String object, Mode mode,
                      RemovalBehaviour onRemoved, Match match, List<FieldMapping> fields, Schedule schedule,
                      Location location, Guard guard) {
        this(name, model, key, destination, object, mode, onRemoved, match, fields, schedule, location, guard,
                location);
    }
}
