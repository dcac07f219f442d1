package dev.ebb.core.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The syntax of {@code schedule: { every: … }} and {@code schedule: { cron: … }}. Stateless. */
final class ScheduleSyntax {
    private static final Pattern DURATION = Pattern.compile("(?:\\d+[dhms])+");
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+)([dhms])");
    private static final Pattern NUMBER = Pattern.compile("\\d+");
    static final String DURATION_HINT = "write a whole number and a unit (s, m, h, d), like 15s, 30m, 1h, 1d,"
            + " or a combination like 1h30m";

    private static final List<String> MONTHS = List.of(
            "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
    private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");

    private record Field(String name, int min, int max, List<String> names, int firstNamed) {
    }

    private static final List<Field> CRON_FIELDS = List.of(
            new Field("minute", 0, 59, List.of(), 0),
            new Field("hour", 0, 23, List.of(), 0),
            new Field("day of month", 1, 31, List.of(), 0),
            new Field("month", 1, 12, MONTHS, 1),
            // 0 and 7 are both Sunday, as in Vixie cron.
            new Field("day of week", 0, 7, DAYS, 0));

    private ScheduleSyntax() {
    }

    /**
     * Parses {@code 15s}, {@code 30m}, {@code 1h}, {@code 1d} or a combination such as {@code 1h30m}.
     *
     * @throws IllegalArgumentException with a message that says what to write
     */
    static Duration parseDuration(String text) {
        String written = text.strip();
        if (NUMBER.matcher(written).matches()) {
            throw new IllegalArgumentException("'" + written + "' has no unit; write " + written + "s, " + written
                    + "m or " + written + "h");
        }
        if (!DURATION.matcher(written).matches()) {
            throw new IllegalArgumentException("'" + written + "' is not a duration; " + DURATION_HINT);
        }
        Duration total = Duration.ZERO;
        Matcher part = DURATION_PART.matcher(written);
        try {
            while (part.find()) {
                long amount = Long.parseLong(part.group(1));
                total = total.plus(switch (part.group(2)) {
                    case "d" -> Duration.ofDays(amount);
                    case "h" -> Duration.ofHours(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    default -> Duration.ofSeconds(amount);
                });
            }
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("'" + written + "' is too long a duration");
        }
        if (total.isZero()) {
            throw new IllegalArgumentException("'" + written + "' is zero; a sync cannot run every instant (use"
                    + " schedule: manual to run it only on demand)");
        }
        return total;
    }

    /** What is wrong with a five-field cron expression, or empty when it is valid. */
    static Optional<String> cronProblem(String expression) {
        String written = expression.strip();
        if (written.startsWith("@")) {
            return Optional.of("'" + written + "': macros like @hourly are not supported; write the five fields,"
                    + " e.g. \"0 * * * *\" for hourly");
        }
        String[] fields = written.isEmpty() ? new String[0] : written.split("\\s+");
        if (fields.length != CRON_FIELDS.size()) {
            return Optional.of("'" + written + "' has " + fields.length + " field" + (fields.length == 1 ? "" : "s")
                    + "; a cron expression has 5: minute hour day-of-month month day-of-week, e.g. \"0 * * * *\""
                    + (fields.length == 6 ? " (seconds are not supported)" : ""));
        }
        for (int i = 0; i < fields.length; i++) {
            Optional<String> problem = fieldProblem(fields[i], CRON_FIELDS.get(i));
            if (problem.isPresent()) {
                return Optional.of("'" + written + "': " + problem.get());
            }
        }
        return Optional.empty();
    }

    private static Optional<String> fieldProblem(String text, Field field) {
        for (String item : text.split(",", -1)) {
            String range = item;
            int slash = item.indexOf('/');
            if (slash >= 0) {
                range = item.substring(0, slash);
                String step = item.substring(slash + 1);
                if (!NUMBER.matcher(step).matches() || Integer.parseInt(step) < 1
                        || Integer.parseInt(step) > field.max()) {
                    return Optional.of("the " + field.name() + " step '" + step + "' must be a number from 1 to "
                            + field.max());
                }
            }
            if (range.equals("*")) {
                continue;
            }
            int dash = range.indexOf('-');
            String from = dash < 0 ? range : range.substring(0, dash);
            Optional<Integer> low = value(from, field);
            if (low.isEmpty()) {
                return Optional.of(outOfRange(from, field));
            }
            if (dash >= 0) {
                String to = range.substring(dash + 1);
                Optional<Integer> high = value(to, field);
                if (high.isEmpty()) {
                    return Optional.of(outOfRange(to, field));
                }
                if (high.get() < low.get()) {
                    return Optional.of("the " + field.name() + " range '" + range + "' runs backwards");
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<Integer> value(String text, Field field) {
        if (NUMBER.matcher(text).matches() && text.length() <= 2) {
            int value = Integer.parseInt(text);
            return value >= field.min() && value <= field.max() ? Optional.of(value) : Optional.empty();
        }
        int named = field.names().indexOf(text.toUpperCase(Locale.ROOT));
        return named >= 0 ? Optional.of(named + field.firstNamed()) : Optional.empty();
    }

    private static String outOfRange(String text, Field field) {
        String names = field.names().isEmpty() ? ""
                : " or " + field.names().getFirst() + "-" + field.names().getLast();
        return "the " + field.name() + " '" + text + "' must be '*' or a number from " + field.min() + " to "
                + field.max() + names + " (lists a,b, ranges a-b and steps */n are allowed)";
    }
}
