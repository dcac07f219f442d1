package dev.ebb.core.plan.sql;

/**
 * What the engines of MySQL's lineage and Hive's share: identifiers in backticks, strings with backslash escapes, and
 * the standard {@code TRIM(TRAILING … FROM …)} for stripping characters.
 */
abstract class BacktickDialect extends Dialect {
    @Override
    public String quote(String identifier) {
        return backtick(identifier);
    }

    @Override
    public String literal(String text) {
        return backslashLiteral(text);
    }

    @Override
    protected String rtrim(String expression, String characters) {
        return "TRIM(TRAILING " + literal(characters) + " FROM " + expression + ")";
    }
}
