/**
 * The connector SPI of Ebb: what a source or a destination implements, and the values that cross between
 * connectors and the runtime.
 *
 * <p>Rules that hold for every type in this package:
 * <ul>
 *   <li>It depends on the JDK only. Values are records; no JSON, HTTP or logging types cross it.</li>
 *   <li>Nothing is {@code null} unless its Javadoc says it may be.</li>
 *   <li>Connectors never sleep, retry, or count requests. They describe their limits as data
 *       ({@link dev.ebb.spi.RateLimits}, {@link dev.ebb.spi.BatchLimits}) and classify what the vendor
 *       answered ({@link dev.ebb.spi.RecordResult} per record, {@link dev.ebb.spi.DestinationException} per call);
 *       the runtime batches, paces, waits and retries, once, for every connector.</li>
 *   <li>Connectors are found with {@link java.util.ServiceLoader}: a source registers
 *       {@link dev.ebb.spi.SourceConnector}, a destination {@link dev.ebb.spi.DestinationConnector}.</li>
 * </ul>
 */
package dev.ebb.spi;
