package dev.ebb.core.config;

/**
 * One {@code fields:} entry of a sync: a model column (or a constant) to a destination field.
 *
 * @param column   the model column, or {@code null} when {@code value} is set
 * @param value    a constant to send ({@code value: warehouse}), or {@code null} when {@code column} is set
 * @param field    the destination field
 * @param policy   who owns the field
 * @param nulls    what a null value does
 * @param location where the entry is written
 */
public record FieldMapping(String column, Object value, String field, FieldPolicy policy, NullPolicy nulls,
                           Location location) {
}
