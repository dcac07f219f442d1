package dev.ebb.connector.postgres;

import dev.ebb.spi.FieldSpec;
import dev.ebb.spi.FieldType;
import dev.ebb.spi.ObjectSchema;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One table as the catalog describes it: what a write needs to cast values and to check a batch before sending it.
 *
 * @param schema  the schema's name
 * @param name    the table's name
 * @param columns its columns, in table order
 */
record Table(String schema, String name, List<Column> columns) {
    Table {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(name, "name");
        columns = List.copyOf(columns);
    }

    /**
     * One column.
     *
     * @param name       its name
     * @param castType   the type a text value is cast to, without its modifier ({@code character varying}, not
     *                   {@code character varying(20)}: an explicit cast to a length truncates silently, an assignment
     *                   refuses a value that is too long)
     * @param type       what values it takes, as the runtime converts them
     * @param labels     an enum's labels, in order; empty otherwise
     * @param notNull    whether it refuses NULL
     * @param hasDefault whether an insert that leaves it out gets a value (a default, an identity, a generated value)
     * @param readOnly   whether writes to it are refused (a generated column, an identity {@code ALWAYS})
     * @param unique     whether a unique constraint or primary key covers it alone, so that it identifies rows
     */
    record Column(String name, String castType, FieldType type, List<String> labels, boolean notNull,
                  boolean hasDefault, boolean readOnly, boolean unique) {
        Column {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(castType, "castType");
            Objects.requireNonNull(type, "type");
            labels = List.copyOf(labels);
        }
    }

    Optional<Column> column(String column) {
        return columns.stream().filter(c -> c.name().equals(column)).findFirst();
    }

    /** The table's name for SQL, schema-qualified and quoted. */
    String qualified() {
        return Sql.quote(schema) + "." + Sql.quote(name);
    }

    /** The table's name for messages: {@code schema.table}. */
    String shown() {
        return schema + "." + name;
    }

    /** The fields the runtime sees. */
    ObjectSchema toSchema(String object) {
        return new ObjectSchema(object, columns.stream()
                .map(c -> new FieldSpec(c.name(), c.type(), c.unique(), c.readOnly(), c.labels()))
                .toList());
    }
}
