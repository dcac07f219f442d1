package dev.ebb.core.state;

import java.util.Locale;

/** Whether a conflict still waits for a decision; stored and shown as its {@link #label()}. */
public enum ConflictStatus {
    OPEN,
    RESOLVED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ConflictStatus of(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return label();
    }
}
