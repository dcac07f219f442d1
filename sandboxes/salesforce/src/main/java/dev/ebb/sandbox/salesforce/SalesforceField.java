package dev.ebb.sandbox.salesforce;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One field of a sandbox object, as {@code GET /sobjects/{Object}/describe} reports it
 * (https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_describesobjects_describesobjectresult.htm,
 * "Field"). Immutable: every modifier returns a copy.
 *
 * <pre>
 * SalesforceField.text("Customer_Key__c", 80).externalId().unique()
 * SalesforceField.number("Churn_Risk_Score__c", 18, 4)
 * SalesforceField.picklist("Plan__c", "Free", "Pro", "Enterprise").restricted()
 * </pre>
 */
public final class SalesforceField {

    /** Field types, by their describe name. */
    public enum Type {
        ID("id", "tns:ID"),
        REFERENCE("reference", "tns:ID"),
        STRING("string", "xsd:string"),
        EMAIL("email", "xsd:string"),
        PHONE("phone", "xsd:string"),
        URL("url", "xsd:string"),
        TEXTAREA("textarea", "xsd:string"),
        PICKLIST("picklist", "xsd:string"),
        MULTIPICKLIST("multipicklist", "xsd:string"),
        DOUBLE("double", "xsd:double"),
        CURRENCY("currency", "xsd:double"),
        PERCENT("percent", "xsd:double"),
        INT("int", "xsd:int"),
        BOOLEAN("boolean", "xsd:boolean"),
        DATE("date", "xsd:date"),
        DATETIME("datetime", "xsd:dateTime");

        private final String describeName;
        private final String soapType;

        Type(String describeName, String soapType) {
            this.describeName = describeName;
            this.soapType = soapType;
        }

        /** The type as describe spells it ({@code double}). */
        public String describeName() {
            return describeName;
        }

        boolean textual() {
            return switch (this) {
                case ID, REFERENCE, STRING, EMAIL, PHONE, URL, TEXTAREA, PICKLIST, MULTIPICKLIST -> true;
                case DOUBLE, CURRENCY, PERCENT, INT, BOOLEAN, DATE, DATETIME -> false;
            };
        }

        boolean numeric() {
            return this == DOUBLE || this == CURRENCY || this == PERCENT || this == INT;
        }

        /** The type named {@code name} (case-insensitive). */
        public static Type parse(String name) {
            for (Type type : values()) {
                if (type.describeName.equalsIgnoreCase(name.trim())) return type;
            }
            throw new IllegalArgumentException("unknown field type '" + name + "'; use one of "
                    + Arrays.stream(values()).map(Type::describeName).collect(Collectors.joining(", ")));
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final String label;
    private final Type type;
    private final int length;
    private final int precision;
    private final int scale;
    private final boolean nillable;
    private final boolean createable;
    private final boolean updateable;
    private final boolean defaultedOnCreate;
    private final boolean externalId;
    private final boolean idLookup;
    private final boolean unique;
    private final boolean caseSensitive;
    private final boolean restrictedPicklist;
    private final List<String> picklistValues;
    private final List<String> referenceTo;

    private SalesforceField(String name, String label, Type type, int length, int precision, int scale,
                            boolean nillable, boolean createable, boolean updateable, boolean defaultedOnCreate,
                            boolean externalId, boolean idLookup, boolean unique, boolean caseSensitive,
                            boolean restrictedPicklist, List<String> picklistValues, List<String> referenceTo) {
        this.name = Objects.requireNonNull(name, "name");
        this.label = label;
        this.type = type;
        this.length = length;
        this.precision = precision;
        this.scale = scale;
        this.nillable = nillable;
        this.createable = createable;
        this.updateable = updateable;
        this.defaultedOnCreate = defaultedOnCreate;
        this.externalId = externalId;
        this.idLookup = idLookup;
        this.unique = unique;
        this.caseSensitive = caseSensitive;
        this.restrictedPicklist = restrictedPicklist;
        this.picklistValues = List.copyOf(picklistValues);
        this.referenceTo = List.copyOf(referenceTo);
    }

    private static SalesforceField of(String name, Type type, int length, int precision, int scale) {
        if (!name.matches("[A-Za-z][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("field name '" + name + "' must be letters, digits and underscores, "
                    + "starting with a letter (custom fields end in __c)");
        }
        return new SalesforceField(name, defaultLabel(name), type, length, precision, scale, true, true, true, false,
                false, false, false, false, false, List.of(), List.of());
    }

    /** A text field of at most {@code length} characters. */
    public static SalesforceField text(String name, int length) {
        return of(name, Type.STRING, length, 0, 0);
    }

    public static SalesforceField email(String name) {
        return of(name, Type.EMAIL, 80, 0, 0);
    }

    public static SalesforceField phone(String name) {
        return of(name, Type.PHONE, 40, 0, 0);
    }

    public static SalesforceField url(String name) {
        return of(name, Type.URL, 255, 0, 0);
    }

    public static SalesforceField textarea(String name, int length) {
        return of(name, Type.TEXTAREA, length, 0, 0);
    }

    /** A picklist; Salesforce accepts values outside the list unless it is {@link #restricted()}. */
    public static SalesforceField picklist(String name, String... values) {
        return of(name, Type.PICKLIST, 255, 0, 0).withPicklist(List.of(values));
    }

    /** A number with {@code precision} digits, {@code scale} of them after the point. */
    public static SalesforceField number(String name, int precision, int scale) {
        return of(name, Type.DOUBLE, 0, precision, scale);
    }

    public static SalesforceField currency(String name, int precision, int scale) {
        return of(name, Type.CURRENCY, 0, precision, scale);
    }

    public static SalesforceField percent(String name, int precision, int scale) {
        return of(name, Type.PERCENT, 0, precision, scale);
    }

    /** A whole number of at most {@code digits} digits. */
    public static SalesforceField integer(String name, int digits) {
        return of(name, Type.INT, 0, digits, 0);
    }

    /** A checkbox: never null, false unless set. */
    public static SalesforceField bool(String name) {
        return of(name, Type.BOOLEAN, 0, 0, 0).with(false, true, true, true);
    }

    public static SalesforceField date(String name) {
        return of(name, Type.DATE, 0, 0, 0);
    }

    public static SalesforceField datetime(String name) {
        return of(name, Type.DATETIME, 0, 0, 0);
    }

    /** A lookup to records of {@code object}. */
    public static SalesforceField reference(String name, String object) {
        SalesforceField field = of(name, Type.REFERENCE, 18, 0, 0);
        return new SalesforceField(field.name, field.label, field.type, 18, 0, 0, true, true, true, false, false, false,
                false, false, false, List.of(), List.of(object));
    }

    /** The record id field every object has. */
    static SalesforceField id() {
        return new SalesforceField("Id", "Record ID", Type.ID, 18, 0, 0, false, false, false, true, false, true,
                false, false, false, List.of(), List.of());
    }

    /**
     * A field from an option spec: {@code Name:type[(args)][:external][:unique][:required][:restricted]}, e.g.
     * {@code Customer_Key__c:string(80):external:unique}, {@code Score__c:double(18,4)},
     * {@code Plan__c:picklist(Free|Pro):restricted}.
     */
    public static SalesforceField parse(String spec) {
        String[] parts = spec.trim().split(":");
        if (parts.length < 2) {
            throw new IllegalArgumentException("field '" + spec + "' should read Name:type, e.g. Customer_Key__c:string(80)");
        }
        String typeText = parts[1].trim();
        String args = "";
        int open = typeText.indexOf('(');
        if (open >= 0) {
            if (!typeText.endsWith(")")) throw new IllegalArgumentException("field '" + spec + "': unclosed (");
            args = typeText.substring(open + 1, typeText.length() - 1);
            typeText = typeText.substring(0, open);
        }
        Type type = Type.parse(typeText);
        String name = parts[0].trim();
        String[] numbers = args.isEmpty() ? new String[0] : args.split(",");
        SalesforceField field = switch (type) {
            case STRING -> text(name, intArg(numbers, 0, 255, spec));
            case TEXTAREA -> textarea(name, intArg(numbers, 0, 32_768, spec));
            case EMAIL -> email(name);
            case PHONE -> phone(name);
            case URL -> url(name);
            case PICKLIST, MULTIPICKLIST -> {
                SalesforceField p = picklist(name, args.isEmpty() ? new String[0] : args.split("\\|"));
                yield type == Type.MULTIPICKLIST ? p.ofType(Type.MULTIPICKLIST) : p;
            }
            case DOUBLE -> number(name, intArg(numbers, 0, 18, spec), intArg(numbers, 1, 0, spec));
            case CURRENCY -> currency(name, intArg(numbers, 0, 18, spec), intArg(numbers, 1, 2, spec));
            case PERCENT -> percent(name, intArg(numbers, 0, 5, spec), intArg(numbers, 1, 2, spec));
            case INT -> integer(name, intArg(numbers, 0, 9, spec));
            case BOOLEAN -> bool(name);
            case DATE -> date(name);
            case DATETIME -> datetime(name);
            case REFERENCE -> reference(name, args.isEmpty() ? "Account" : args.trim());
            case ID -> throw new IllegalArgumentException("field '" + spec + "': every object has its Id already");
        };
        for (int i = 2; i < parts.length; i++) {
            field = switch (parts[i].trim().toLowerCase(Locale.ROOT)) {
                case "external", "externalid" -> field.externalId();
                case "unique" -> field.unique();
                case "required" -> field.required();
                case "restricted" -> field.restricted();
                case "casesensitive" -> field.caseSensitive();
                default -> throw new IllegalArgumentException("field '" + spec + "': unknown attribute '" + parts[i]
                        + "'; use external, unique, required, restricted or casesensitive");
            };
        }
        return field;
    }

    private static int intArg(String[] numbers, int index, int fallback, String spec) {
        if (index >= numbers.length || numbers[index].isBlank()) return fallback;
        try {
            return Integer.parseInt(numbers[index].trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("field '" + spec + "': '" + numbers[index] + "' is not a number");
        }
    }

    // ---- modifiers ----------------------------------------------------------------------------------------

    /** An External ID: it can match records in upserts. */
    public SalesforceField externalId() {
        return externalId(true);
    }

    /** Values are unique across records (case-insensitively unless {@link #caseSensitive()}). */
    public SalesforceField unique() {
        return new SalesforceField(name, label, type, length, precision, scale, nillable, createable, updateable,
                defaultedOnCreate, externalId, idLookup, true, caseSensitive, restrictedPicklist, picklistValues,
                referenceTo);
    }

    public SalesforceField caseSensitive() {
        return new SalesforceField(name, label, type, length, precision, scale, nillable, createable, updateable,
                defaultedOnCreate, externalId, idLookup, unique, true, restrictedPicklist, picklistValues, referenceTo);
    }

    /** A value is required when a record is created (and cannot be cleared). */
    public SalesforceField required() {
        return with(false, createable, updateable, false);
    }

    /** Only the picklist's values are accepted. */
    public SalesforceField restricted() {
        return new SalesforceField(name, label, type, length, precision, scale, nillable, createable, updateable,
                defaultedOnCreate, externalId, idLookup, unique, caseSensitive, true, picklistValues, referenceTo);
    }

    /** Neither createable nor updateable (a formula, a system field). */
    public SalesforceField readOnly() {
        return with(nillable, false, false, defaultedOnCreate);
    }

    /** Set when a record is created, never changed after. */
    public SalesforceField createOnly() {
        return with(nillable, true, false, defaultedOnCreate);
    }

    /** Can identify a record in upserts although it is not an External ID (describe's {@code idLookup}). */
    public SalesforceField idLookup() {
        return new SalesforceField(name, label, type, length, precision, scale, nillable, createable, updateable,
                defaultedOnCreate, externalId, true, unique, caseSensitive, restrictedPicklist, picklistValues,
                referenceTo);
    }

    public SalesforceField labelled(String label) {
        return new SalesforceField(name, label, type, length, precision, scale, nillable, createable, updateable,
                defaultedOnCreate, externalId, idLookup, unique, caseSensitive, restrictedPicklist, picklistValues,
                referenceTo);
    }

    /** Salesforce fills it when a record is created without it. */
    SalesforceField defaulted() {
        return with(nillable, createable, updateable, true);
    }

    private SalesforceField externalId(boolean value) {
        return new SalesforceField(name, label, type, length, precision, scale, nillable, createable, updateable,
                defaultedOnCreate, value, value || idLookup, unique, caseSensitive, restrictedPicklist, picklistValues,
                referenceTo);
    }

    private SalesforceField withPicklist(List<String> values) {
        return new SalesforceField(name, label, type, length, precision, scale, nillable, createable, updateable,
                defaultedOnCreate, externalId, idLookup, unique, caseSensitive, restrictedPicklist, values, referenceTo);
    }

    private SalesforceField ofType(Type newType) {
        return new SalesforceField(name, label, newType, newType == Type.MULTIPICKLIST ? 4_099 : length, precision,
                scale, nillable, createable, updateable, defaultedOnCreate, externalId, idLookup, unique, caseSensitive,
                restrictedPicklist, picklistValues, referenceTo);
    }

    private SalesforceField with(boolean nillable, boolean createable, boolean updateable, boolean defaulted) {
        return new SalesforceField(name, label, type, length, precision, scale, nillable, createable, updateable,
                defaulted, externalId, idLookup, unique, caseSensitive, restrictedPicklist, picklistValues, referenceTo);
    }

    // ---- accessors ----------------------------------------------------------------------------------------

    public String name() {
        return name;
    }

    public String label() {
        return label;
    }

    public Type type() {
        return type;
    }

    public int length() {
        return length;
    }

    public int precision() {
        return precision;
    }

    public int scale() {
        return scale;
    }

    public boolean nillable() {
        return nillable;
    }

    public boolean createable() {
        return createable;
    }

    public boolean updateable() {
        return updateable;
    }

    public boolean isExternalId() {
        return externalId;
    }

    public boolean isIdLookup() {
        return idLookup;
    }

    public boolean isUnique() {
        return unique;
    }

    public boolean isCaseSensitive() {
        return caseSensitive;
    }

    public boolean isRestrictedPicklist() {
        return restrictedPicklist;
    }

    public List<String> picklistValues() {
        return picklistValues;
    }

    public List<String> referenceTo() {
        return referenceTo;
    }

    /** Whether a record cannot be created without a value: createable, not nillable, not defaulted. */
    public boolean isRequired() {
        return createable && !nillable && !defaultedOnCreate;
    }

    public boolean isCustom() {
        return name.endsWith("__c");
    }

    /** Whether upserts may match records on it: an External ID, an {@code idLookup} field, or the Id. */
    boolean canMatch() {
        return externalId || idLookup;
    }

    /** Whether it needs an index: values looked up by upserts, queries on matches, or unique checks. */
    boolean indexed() {
        return type != Type.ID && (externalId || idLookup || unique);
    }

    /** The field as describe returns it. */
    ObjectNode describe() {
        ObjectNode node = JSON.createObjectNode();
        node.put("aggregatable", type != Type.TEXTAREA);
        node.put("autoNumber", false);
        node.put("byteLength", type.textual() ? length * 3 : 0);
        node.put("calculated", false);
        node.put("caseSensitive", caseSensitive);
        node.put("createable", createable);
        node.put("custom", isCustom());
        node.putNull("defaultValue");
        node.put("defaultedOnCreate", defaultedOnCreate);
        node.put("digits", type == Type.INT ? precision : 0);
        node.put("externalId", externalId);
        node.put("filterable", type != Type.TEXTAREA);
        node.put("groupable", type.textual() || type == Type.INT || type == Type.BOOLEAN || type == Type.DATE);
        node.put("idLookup", idLookup);
        node.put("label", label);
        node.put("length", type.textual() ? length : 0);
        node.put("name", name);
        node.put("nameField", name.equals("Name"));
        node.put("nillable", nillable);
        ArrayNode values = node.putArray("picklistValues");
        for (int i = 0; i < picklistValues.size(); i++) {
            values.addObject().put("active", true).put("defaultValue", false).put("label", picklistValues.get(i))
                    .putNull("validFor").put("value", picklistValues.get(i));
        }
        node.put("precision", type.numeric() && type != Type.INT ? precision : 0);
        ArrayNode references = node.putArray("referenceTo");
        referenceTo.forEach(references::add);
        if (type == Type.REFERENCE) node.put("relationshipName", name.endsWith("Id")
                ? name.substring(0, name.length() - 2) : name.replace("__c", "__r"));
        else node.putNull("relationshipName");
        node.put("restrictedPicklist", restrictedPicklist);
        node.put("scale", type.numeric() && type != Type.INT ? scale : 0);
        node.put("soapType", type.soapType);
        node.put("sortable", type != Type.TEXTAREA && type != Type.MULTIPICKLIST);
        node.put("type", type.describeName);
        node.put("unique", unique);
        node.put("updateable", updateable);
        return node;
    }

    private static String defaultLabel(String name) {
        String base = name.endsWith("__c") ? name.substring(0, name.length() - 3) : name;
        return base.replace('_', ' ');
    }

    @Override
    public String toString() {
        return name + ":" + type.describeName;
    }
}
