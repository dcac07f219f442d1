/**
 * What every HTTP connector shares, written once: sending one call with timeouts and classifying what went wrong
 * ({@link dev.ebb.connector.support.HttpCaller}, {@link dev.ebb.connector.support.Failures}), {@code Retry-After}
 * ({@link dev.ebb.connector.support.RetryAfter}), vendors' rate headers ({@link dev.ebb.connector.support.RateHeaders}),
 * the settings of an {@code ebb.yaml} entry ({@link dev.ebb.connector.support.Settings}), and the identifiers audience
 * APIs hash ({@link dev.ebb.connector.support.Hashes}, {@link dev.ebb.connector.support.Emails},
 * {@link dev.ebb.connector.support.PhoneNumbers}).
 *
 * <p>It depends on the SPI and the JDK only; Jackson and libphonenumber are optional, for the classes that need them.
 * It never retries, waits or counts: one {@code send} is one request. What a vendor means by its own codes stays in
 * its connector, passed in as a {@link dev.ebb.connector.support.Failures.VendorRule}.
 */
package dev.ebb.connector.support;
