package dev.ebb.sandbox;

import dev.ebb.spi.ConnectorOption;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The {@code -o key=value} options of one vendor's sandbox, checked against the options that sandbox declares and
 * read as typed values. Every sandbox reads its options here, so a malformed value is refused with the same words
 * whichever vendor it is for: the key, what it must be, and the value given.
 *
 * <p>Immutable and thread-safe. Each reader answers empty when the option was not given.
 */
public final class SandboxOptions {
    private final Map<String, String> values;

    private SandboxOptions(Map<String, String> values) {
        this.values = values;
    }

    /**
     * The options given to {@code vendor}'s sandbox.
     *
     * @param vendor   the vendor as on the command line ({@code hubspot}), for the message
     * @param accepted the options the sandbox declares
     * @param given    the options as given; values are trimmed
     * @throws IllegalArgumentException for a key the sandbox does not declare, listing the ones it does
     */
    public static SandboxOptions read(String vendor, List<ConnectorOption> accepted, Map<String, String> given) {
        List<String> names = accepted.stream().map(ConnectorOption::name).sorted().toList();
        Map<String, String> values = new LinkedHashMap<>();
        given.forEach((key, value) -> {
            if (!names.contains(key)) {
                throw new IllegalArgumentException("unknown " + vendor + " sandbox option '" + key + "'; use " + names);
            }
            values.put(key, value.trim());
        });
        return new SandboxOptions(values);
    }

    /** The keys of {@code declared}, for a sandbox's set of accepted option keys. */
    public static Set<String> names(List<ConnectorOption> declared) {
        return declared.stream().map(ConnectorOption::name).collect(Collectors.toUnmodifiableSet());
    }

    /** The value as given (trimmed). */
    public Optional<String> text(String key) {
        return Optional.ofNullable(values.get(key));
    }

    /** A comma-separated list, each item trimmed, empty items dropped. */
    public Optional<List<String>> list(String key) {
        return text(key).map(value -> Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .toList());
    }

    /** A whole number of at least 1 that fits an {@code int}. */
    public Optional<Integer> positiveInt(String key) {
        return positiveLong(key).map(n -> {
            if (n > Integer.MAX_VALUE) throw mustBe(key, "a positive whole number", String.valueOf(n));
            return n.intValue();
        });
    }

    /** A whole number of at least 1. */
    public Optional<Long> positiveLong(String key) {
        return text(key).map(value -> {
            Long parsed = parseLong(value);
            if (parsed == null || parsed < 1) throw mustBe(key, "a positive whole number", value);
            return parsed;
        });
    }

    /** A whole number of at least 0. */
    public Optional<Long> wholeNumber(String key) {
        return text(key).map(value -> {
            Long parsed = parseLong(value);
            if (parsed == null || parsed < 0) throw mustBe(key, "a whole number", value);
            return parsed;
        });
    }

    /** A number of seconds, 0 or more, fractions allowed ({@code 0.5}). */
    public Optional<Double> seconds(String key) {
        return text(key).map(value -> {
            try {
                double parsed = Double.parseDouble(value);
                if (parsed >= 0 && Double.isFinite(parsed)) return parsed;
            } catch (NumberFormatException e) {
                // refused below
            }
            throw mustBe(key, "a number of seconds, 0 or more", value);
        });
    }

    /** A yes-or-no switch: {@code true} or {@code enabled}, {@code false} or {@code disabled}. */
    public Optional<Boolean> flag(String key, String yes, String no) {
        return text(key).map(value -> switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "enabled" -> true;
            case "false", "disabled" -> false;
            default -> throw mustBe(key, yes + " or " + no, value);
        });
    }

    /** A time zone region id ({@code America/New_York}) or {@code UTC}; {@code example} is named in the message. */
    public Optional<ZoneId> zone(String key, String example) {
        return text(key).map(value -> {
            try {
                return ZoneId.of(value);
            } catch (DateTimeException e) {
                throw new IllegalArgumentException(key + " '" + value + "' is not a time zone; use a region id such as "
                        + example + ", or UTC");
            }
        });
    }

    /**
     * One of an enum's constants, spelled in lower case with {@code _} or {@code -} ({@code enterprise_plus}).
     *
     * @param what what the constants are, for the message ({@code HubSpot tier})
     */
    public <E extends Enum<E>> Optional<E> oneOf(String key, Class<E> type, String what) {
        return text(key).map(value -> choice(type, what, value));
    }

    /** {@code value} as one of {@code type}'s constants, or an exception that names them all. */
    public static <E extends Enum<E>> E choice(Class<E> type, String what, String value) {
        String wanted = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(wanted)) return constant;
        }
        throw new IllegalArgumentException("unknown " + what + " '" + value + "'; use one of "
                + Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", ")));
    }

    private static Long parseLong(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static IllegalArgumentException mustBe(String key, String what, String value) {
        return new IllegalArgumentException(key + " must be " + what + ", not '" + value + "'");
    }
}
