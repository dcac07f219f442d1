package dev.ebb.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ebb.spi.FieldSpec;
import dev.ebb.spi.FieldType;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Pins fingerprint encoding v1 (DESIGN §3, invariant 4): a snapshot written by one Ebb must read the same under the
 * next, on another JVM or driver, or every sync would resend everything after an upgrade.
 *
 * <p>The vectors were computed once from the implementation and checked in; the file is append-only in spirit and
 * pinned by its hash here, so a changed or dropped vector fails the build loudly. A new encoding gets a new
 * version and a new file, never an edit of this one.
 */
class FingerprintGoldenTest {
    private static final String GOLDEN = "fingerprint-golden-v1.json";
    /** The SHA-256 of the golden file. Update it only when adding vectors, never when one of them changed. */
    private static final String GOLDEN_SHA256 = "6191895826c97f827deca2a3777b4ced5f6fc9b61e0d05607b20e104e091223c";

    /** One vector: the fields in mapping order, their converted values, and the fingerprint they must give. */
    record Vector(String name, List<String> fields, List<Object> values, String group, String fingerprint) {
    }

    @TestFactory
    Stream<DynamicTest> everyVectorKeepsItsFingerprint() throws Exception {
        return vectors().stream().map(v -> DynamicTest.dynamicTest(v.name(), () ->
                assertThat(Fingerprint.of(v.fields(), v.values())).as(v.name()).isEqualTo(v.fingerprint())));
    }

    @Test
    void fingerprintsAreEqualExactlyWithinAGroup() throws Exception {
        List<Vector> vectors = vectors();
        for (Vector a : vectors) {
            for (Vector b : vectors) {
                if (a == b) continue;
                boolean sameGroup = a.group() != null && a.group().equals(b.group());
                assertThat(a.fingerprint().equals(b.fingerprint()))
                        .as("'%s' and '%s' %s share a fingerprint", a.name(), b.name(), sameGroup ? "must" : "must not")
                        .isEqualTo(sameGroup);
            }
        }
    }

    @Test
    void oneAndOnePointZeroAndOnePointZeroZeroAreOneValue() throws Exception {
        List<String> ones = vectors().stream().filter(v -> "one".equals(v.group())).map(Vector::fingerprint).toList();
        assertThat(ones).hasSizeGreaterThanOrEqualTo(5).containsOnly(ones.getFirst());
        FieldSpec number = FieldSpec.of("n", FieldType.NUMBER);
        assertThat(Fingerprint.of(List.of("n"), List.of(Values.convert(new BigDecimal("1.00"), number))))
                .isEqualTo(Fingerprint.of(List.of("n"), List.of(Values.convert(new BigDecimal("1"), number))))
                .isEqualTo(ones.getFirst());
    }

    @Test
    void theEncodingIsTheOneTheJavadocDescribes() throws Exception {
        // Written from Fingerprint's Javadoc, not from its code: version byte, then per field the name, a type tag
        // and the canonical text, each text as a 4-byte big-endian length and UTF-8 bytes; SHA-256 cut to 128 bits.
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update((byte) 1);
        text(sha, "email");
        sha.update((byte) 'S');
        text(sha, "zoë@example.com");
        text(sha, "ltv");
        sha.update((byte) 'D');
        text(sha, "12500");
        text(sha, "renewal");
        sha.update((byte) 'd');
        text(sha, "2026-03-31");
        text(sha, "notes");
        sha.update((byte) 'N');
        String expected = HexFormat.of().formatHex(sha.digest(), 0, 16);

        assertThat(Fingerprint.of(List.of("email", "ltv", "renewal", "notes"),
                java.util.Arrays.asList("zoë@example.com", new BigDecimal("12500"), LocalDate.parse("2026-03-31"),
                        null)))
                .isEqualTo(expected);
    }

    @Test
    void theGoldenFileIsPinned() throws Exception {
        byte[] bytes;
        try (InputStream in = Objects.requireNonNull(getClass().getResourceAsStream(GOLDEN), GOLDEN)) {
            bytes = in.readAllBytes();
        }
        JsonNode root = new ObjectMapper().readTree(bytes);
        assertThat(root.get("version").asInt()).isEqualTo(Fingerprint.VERSION);
        Set<String> names = new HashSet<>();
        for (JsonNode v : root.get("vectors")) {
            assertThat(names.add(v.get("name").asText())).as("vector names are unique").isTrue();
            assertThat(v.get("fingerprint").asText()).matches("[0-9a-f]{32}");
        }
        // Line endings are normalised so that a checkout with CRLF conversion hashes the same.
        byte[] text = new String(bytes, StandardCharsets.UTF_8).replace("\r\n", "\n").getBytes(StandardCharsets.UTF_8);
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text)))
                .as("%s changed: v1 fingerprints are forever; a new encoding needs a new version and file", GOLDEN)
                .isEqualTo(GOLDEN_SHA256);
    }

    static List<Vector> vectors() throws IOException, Values.Unfit {
        JsonNode root;
        try (InputStream in = Objects.requireNonNull(FingerprintGoldenTest.class.getResourceAsStream(GOLDEN), GOLDEN)) {
            root = new ObjectMapper().readTree(in);
        }
        List<Vector> vectors = new ArrayList<>();
        for (JsonNode v : root.get("vectors")) {
            List<String> fields = new ArrayList<>();
            List<Object> values = new ArrayList<>();
            for (JsonNode f : v.get("fields")) {
                FieldSpec spec = FieldSpec.of(f.get("field").asText(), FieldType.valueOf(f.get("type").asText()));
                fields.add(spec.name());
                values.add(Values.convert(input(f.get("input").asText(), f.path("value").asText(null)), spec));
            }
            vectors.add(new Vector(v.get("name").asText(), fields, values,
                    v.hasNonNull("group") ? v.get("group").asText() : null, v.get("fingerprint").asText()));
        }
        return vectors;
    }

    /** The model value as a source hands it over: {@code input} names its Java type (see {@link dev.ebb.spi.ColumnType}). */
    private static Object input(String input, String text) {
        return switch (input) {
            case "string" -> text;
            case "decimal" -> new BigDecimal(text);
            case "long" -> Long.parseLong(text);
            case "double" -> Double.parseDouble(text);
            case "boolean" -> Boolean.parseBoolean(text);
            case "date" -> LocalDate.parse(text);
            case "instant" -> Instant.parse(text);
            case "null" -> null;
            default -> throw new IllegalArgumentException("unknown input kind '" + input + "' in " + GOLDEN);
        };
    }

    private static void text(MessageDigest sha, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        sha.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        sha.update(bytes);
    }
}
