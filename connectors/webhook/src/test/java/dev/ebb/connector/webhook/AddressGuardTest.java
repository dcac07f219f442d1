package dev.ebb.connector.webhook;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;

class AddressGuardTest {

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.1.2.3", "::1", "169.254.169.254", "fe80::1", "10.0.0.1", "172.16.5.4",
            "192.168.1.1", "100.64.0.1", "0.0.0.0", "::", "fc00::1", "fd12:3456::1", "224.0.0.1", "ff02::1",
            "255.255.255.255", "::ffff:127.0.0.1", "::ffff:10.1.2.3", "64:ff9b::a9fe:a9fe", "::127.0.0.1"})
    void internalAddressesAreRefused(String address) throws Exception {
        assertThat(AddressGuard.forbidden(InetAddress.getByName(address))).as(address).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:2800:220:1::1"})
    void publicAddressesPass(String address) throws Exception {
        assertThat(AddressGuard.forbidden(InetAddress.getByName(address))).as(address).isEmpty();
    }

    @Test
    void localhostNamesAreRecognisedWithoutALookup() {
        assertThat(AddressGuard.isLocalName("localhost")).isTrue();
        assertThat(AddressGuard.isLocalName("LOCALHOST.")).isTrue();
        assertThat(AddressGuard.isLocalName("api.localhost")).isTrue();
        assertThat(AddressGuard.isLocalName("localhost.example.com")).isFalse();
    }
}
