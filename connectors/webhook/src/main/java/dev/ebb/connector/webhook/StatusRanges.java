package dev.ebb.connector.webhook;

import java.util.ArrayList;
import java.util.List;

/**
 * A set of HTTP statuses as a setting writes it: {@code 200-299}, {@code 408,425,500-599}. Immutable.
 */
record StatusRanges(List<int[]> ranges, String text) {
    StatusRanges {
        ranges = List.copyOf(ranges);
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException naming the entry that is not a status or a range of statuses
     */
    static StatusRanges parse(String text) {
        List<int[]> ranges = new ArrayList<>();
        for (String part : text.split(",")) {
            String item = part.trim();
            if (item.isEmpty()) continue;
            String[] bounds = item.split("-", -1);
            try {
                int low = Integer.parseInt(bounds[0].trim());
                int high = bounds.length == 2 ? Integer.parseInt(bounds[1].trim()) : low;
                if (bounds.length > 2 || low < 100 || high > 599 || low > high) throw new NumberFormatException();
                ranges.add(new int[] {low, high});
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + item + "' is not a status from 100 to 599 or a range "
                        + "of them like 200-299");
            }
        }
        if (ranges.isEmpty()) throw new IllegalArgumentException("'" + text + "' names no status; write e.g. 200-299");
        return new StatusRanges(ranges, text.trim());
    }

    boolean contains(int status) {
        for (int[] range : ranges) if (status >= range[0] && status <= range[1]) return true;
        return false;
    }
}
