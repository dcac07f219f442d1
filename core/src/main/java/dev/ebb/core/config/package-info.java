/**
 * The project format: {@code ebb.yaml}, {@code models/*.sql} (with optional {@code models/*.yaml}) and
 * {@code syncs/*.yaml}, loaded and validated as a whole by {@link dev.ebb.core.config.ProjectLoader} into immutable
 * records. Secret references stay unresolved in these records; {@link dev.ebb.core.config.Secrets} resolves them
 * when a connection is opened.
 */
package dev.ebb.core.config;
