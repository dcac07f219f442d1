package dev.ebb.core.state;

import java.util.Locale;

/** Whose value a resolved conflict kept; stored and shown as its {@link #label()}. */
public enum Resolution {
    /** The model's value was written over the person's, and the field is Ebb's again. */
    WAREHOUSE,
    /** The person's value stays; Ebb writes the field again only when the warehouse value changes. */
    DESTINATION;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Resolution of(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return label();
    }
}
