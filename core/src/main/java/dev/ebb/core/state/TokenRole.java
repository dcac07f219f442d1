package dev.ebb.core.state;

import java.util.Locale;

/** What an API token may do: look ({@code read}) or also act ({@code operator}). */
public enum TokenRole {
    READ, OPERATOR;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TokenRole of(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}
