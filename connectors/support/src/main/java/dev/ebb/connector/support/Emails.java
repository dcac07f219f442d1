package dev.ebb.connector.support;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Email addresses as audience APIs match them: trimmed and lowercased, and refused when they cannot be an address at
 * all, so that Ebb never sends the hash of garbage. A vendor's extra rules (Google's for Gmail) build on this.
 */
public final class Emails {
    // One @, a local part and a dotted domain, no whitespace or second @: what every vendor's matching can use.
    private static final Pattern ADDRESS = Pattern.compile("[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+");

    private Emails() {
    }

    /** The address trimmed and lowercased, or empty when it is not an email address. */
    public static Optional<String> normalised(String raw) {
        String value = raw.strip().toLowerCase(Locale.ROOT);
        return ADDRESS.matcher(value).matches() ? Optional.of(value) : Optional.empty();
    }

    /**
     * Google's rule on top of {@link #normalised}: in {@code gmail.com} and {@code googlemail.com} addresses, the dots
     * of the local part are removed.
     */
    public static Optional<String> normalisedForGoogle(String raw) {
        return normalised(raw).map(address -> {
            int at = address.indexOf('@');
            String domain = address.substring(at + 1);
            if (!domain.equals("gmail.com") && !domain.equals("googlemail.com")) return address;
            return address.substring(0, at).replace(".", "") + "@" + domain;
        });
    }
}
