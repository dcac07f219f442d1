package dev.ebb.core.state;

/** How the destination compares match values, and so how the plan finds two rows that are one record there. */
public enum MatchComparison {
    /** Values are one record only when equal. */
    EXACT,
    /** Values that differ only in case are one record (HubSpot, Zendesk and Marketo emails). */
    IGNORE_CASE
}
