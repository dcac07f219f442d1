package dev.ebb.core.config;

import java.util.List;

/**
 * What a dbt model's manifest entry says about it, for a model written {@code model: { ref: NAME }}. Immutable.
 *
 * @param uniqueId   the manifest's node id, e.g. {@code model.analytics.customer_health}
 * @param relation   the relation the model is built as, quoted for the source's engine
 * @param columns    the columns the dbt project documents, in its order; may be empty or incomplete (dbt lists only
 *                   the columns its YAML describes), so they are checked with a warning, never an error
 * @param uniqueKeys the column sets that the model's {@code unique} and {@code unique_combination_of_columns} tests
 *                   declare unique, sorted
 */
public record DbtModel(String uniqueId, String relation, List<String> columns, List<List<String>> uniqueKeys) {
    public DbtModel {
        columns = List.copyOf(columns);
        uniqueKeys = uniqueKeys.stream().map(List::copyOf).toList();
    }
}
