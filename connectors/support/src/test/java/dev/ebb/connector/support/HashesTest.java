package dev.ebb.connector.support;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HashesTest {
    @Test
    void theDigestIsLowercaseHexOfTheUtf8Bytes() {
        // The SHA-256 test vector of FIPS 180-2 ("abc").
        assertThat(Hashes.sha256Hex("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        // Non-ASCII is hashed as UTF-8 (Meta and Google both say so): "é" is the two bytes c3 a9.
        assertThat(Hashes.sha256Hex("\u00e9"))
                .isEqualTo("4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c");
        assertThat(Hashes.sha256Hex("someone@example.com"))
                .isEqualTo("72497f475e4f76d0b28f57c73a084ece576d170874eba3ee2609d9afe4b71aab");
    }

    @Test
    void aValueThatIsADigestAlreadyIsNotHashedTwice() {
        String digest = Hashes.sha256Hex("someone@example.com");
        assertThat(Hashes.isSha256Hex(digest)).isTrue();
        assertThat(Hashes.isSha256Hex(digest.toUpperCase())).isTrue();
        assertThat(Hashes.sha256HexOnce(" " + digest.toUpperCase() + " ", "ignored")).isEqualTo(digest);
        assertThat(Hashes.sha256HexOnce("someone@example.com", "someone@example.com")).isEqualTo(digest);
        assertThat(Hashes.isSha256Hex(digest.substring(1))).isFalse();
        assertThat(Hashes.isSha256Hex(digest.substring(1) + "g")).isFalse();
    }
}
