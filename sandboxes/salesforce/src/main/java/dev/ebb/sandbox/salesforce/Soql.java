package dev.ebb.sandbox.salesforce;

import dev.ebb.sandbox.salesforce.SObjectType.Stored;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The part of SOQL the sandbox understands
 * (https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select.htm):
 * {@code SELECT field, … | COUNT() FROM Object [WHERE …] [ORDER BY field [ASC|DESC]] [LIMIT n] [OFFSET n]}, where a
 * condition compares a field with a literal ({@code = != <> < <= > >=}, {@code [NOT] IN (…)}, {@code LIKE}) and
 * conditions combine with {@code AND}, {@code OR}, {@code NOT} and parentheses. No relationship fields, functions,
 * date literals like {@code TODAY}, {@code GROUP BY} or sub-queries. Immutable once parsed.
 */
final class Soql {

    /** A query the sandbox refuses, with Salesforce's error code ({@code MALFORMED_QUERY}, {@code INVALID_FIELD}, …). */
    static final class SoqlException extends Exception {
        final String errorCode;

        SoqlException(String errorCode, String message) {
            super(message, null, false, false);
            this.errorCode = errorCode;
        }
    }

    final SObjectType type;
    final List<SalesforceField> selected;
    final boolean count;
    private final Predicate<Stored> where;
    private final SalesforceField orderBy;
    private final boolean descending;
    private final Integer limit;
    private final int offset;

    private Soql(SObjectType type, List<SalesforceField> selected, boolean count, Predicate<Stored> where,
                 SalesforceField orderBy, boolean descending, Integer limit, int offset) {
        this.type = type;
        this.selected = selected;
        this.count = count;
        this.where = where;
        this.orderBy = orderBy;
        this.descending = descending;
        this.limit = limit;
        this.offset = offset;
    }

    /** The matching records, ordered, after OFFSET and LIMIT. */
    List<Stored> run() {
        List<Stored> rows = new ArrayList<>(type.records().stream().filter(where).toList());
        if (orderBy != null) {
            Comparator<Stored> comparator = Comparator.comparing(s -> s.get(orderBy), Soql::compareNullsFirst);
            rows.sort(descending ? comparator.reversed() : comparator);
        }
        int from = Math.min(offset, rows.size());
        int to = limit == null ? rows.size() : Math.min(rows.size(), from + limit);
        return rows.subList(from, to);
    }

    // ---- parsing ------------------------------------------------------------------------------------------

    static Soql parse(String text, Org org) throws SoqlException {
        return new Parser(tokenize(text), org).query();
    }

    private record Token(Kind kind, String text) {
        enum Kind { WORD, STRING, NUMBER, SYMBOL, END }

        boolean is(String word) {
            return (kind == Kind.WORD || kind == Kind.SYMBOL) && text.equalsIgnoreCase(word);
        }
    }

    private static List<Token> tokenize(String text) throws SoqlException {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '\'') {
                StringBuilder value = new StringBuilder();
                i++;
                boolean closed = false;
                while (i < text.length()) {
                    char d = text.charAt(i);
                    if (d == '\\' && i + 1 < text.length()) {
                        char e = text.charAt(i + 1);
                        value.append(switch (e) {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            case 'b' -> '\b';
                            case 'f' -> '\f';
                            default -> e;
                        });
                        i += 2;
                    } else if (d == '\'') {
                        closed = true;
                        i++;
                        break;
                    } else {
                        value.append(d);
                        i++;
                    }
                }
                if (!closed) throw new SoqlException("MALFORMED_QUERY", "unexpected token: '" + value);
                tokens.add(new Token(Token.Kind.STRING, value.toString()));
            } else if (Character.isDigit(c) || (c == '-' && i + 1 < text.length() && Character.isDigit(text.charAt(i + 1)))) {
                int start = i++;
                while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || "-.:+".indexOf(text.charAt(i)) >= 0)) i++;
                tokens.add(new Token(Token.Kind.NUMBER, text.substring(start, i)));
            } else if (Character.isLetter(c) || c == '_') {
                int start = i++;
                while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_'
                        || text.charAt(i) == '.')) i++;
                tokens.add(new Token(Token.Kind.WORD, text.substring(start, i)));
            } else if ("<>!".indexOf(c) >= 0 && i + 1 < text.length() && (text.charAt(i + 1) == '=' || (c == '<'
                    && text.charAt(i + 1) == '>'))) {
                tokens.add(new Token(Token.Kind.SYMBOL, text.substring(i, i + 2)));
                i += 2;
            } else if ("(),=<>".indexOf(c) >= 0) {
                tokens.add(new Token(Token.Kind.SYMBOL, String.valueOf(c)));
                i++;
            } else {
                throw new SoqlException("MALFORMED_QUERY", "unexpected token: " + c);
            }
        }
        tokens.add(new Token(Token.Kind.END, ""));
        return tokens;
    }

    private static final class Parser {
        private final List<Token> tokens;
        private final Org org;
        private int at;
        private SObjectType type;

        Parser(List<Token> tokens, Org org) {
            this.tokens = tokens;
            this.org = org;
        }

        Soql query() throws SoqlException {
            expect("SELECT");
            List<String> names = new ArrayList<>();
            boolean count = false;
            if (peek().is("COUNT") && tokens.get(at + 1).is("(")) {
                at += 2;
                expect(")");
                count = true;
            } else {
                names.add(word("a field name"));
                while (peek().is(",")) {
                    at++;
                    names.add(word("a field name"));
                }
            }
            expect("FROM");
            String object = word("an object name");
            type = org.type(object).orElseThrow(() -> new SoqlException("INVALID_TYPE", "sObject type '" + object
                    + "' is not supported. If you are attempting to use a custom object, be sure to append the "
                    + "'__c' after the entity name. Please reference your WSDL or the describe call for the "
                    + "appropriate names."));
            List<SalesforceField> selected = new ArrayList<>();
            for (String name : names) {
                SalesforceField field = field(name);
                if (!selected.contains(field)) selected.add(field);
            }
            Predicate<Stored> where = s -> true;
            if (peek().is("WHERE")) {
                at++;
                where = or();
            }
            SalesforceField orderBy = null;
            boolean descending = false;
            if (peek().is("ORDER")) {
                at++;
                expect("BY");
                orderBy = field(word("a field name"));
                if (peek().is("ASC")) at++;
                else if (peek().is("DESC")) {
                    at++;
                    descending = true;
                }
                if (peek().is("NULLS")) {
                    at++;
                    at++;
                }
            }
            Integer limit = null;
            int offset = 0;
            if (peek().is("LIMIT")) {
                at++;
                limit = integer();
            }
            if (peek().is("OFFSET")) {
                at++;
                offset = integer();
            }
            if (peek().kind() != Token.Kind.END) throw unexpected();
            return new Soql(type, selected, count, where, orderBy, descending, limit, offset);
        }

        private Predicate<Stored> or() throws SoqlException {
            Predicate<Stored> left = and();
            while (peek().is("OR")) {
                at++;
                left = left.or(and());
            }
            return left;
        }

        private Predicate<Stored> and() throws SoqlException {
            Predicate<Stored> left = not();
            while (peek().is("AND")) {
                at++;
                left = left.and(not());
            }
            return left;
        }

        private Predicate<Stored> not() throws SoqlException {
            if (peek().is("NOT")) {
                at++;
                return not().negate();
            }
            if (peek().is("(")) {
                at++;
                Predicate<Stored> inner = or();
                expect(")");
                return inner;
            }
            return comparison();
        }

        private Predicate<Stored> comparison() throws SoqlException {
            SalesforceField field = field(word("a field name"));
            boolean negated = false;
            if (peek().is("NOT")) {
                at++;
                negated = true;
                if (!peek().is("IN")) throw unexpected();
            }
            if (peek().is("IN")) {
                at++;
                expect("(");
                List<Object> values = new ArrayList<>();
                values.add(literal(field));
                while (peek().is(",")) {
                    at++;
                    values.add(literal(field));
                }
                expect(")");
                Predicate<Stored> in = s -> values.stream().anyMatch(v -> equal(field, s.get(field), v));
                return negated ? in.negate() : in;
            }
            if (peek().is("LIKE")) {
                at++;
                Object pattern = literal(field);
                String regex = pattern == null ? "" : toRegex(pattern.toString());
                return s -> s.get(field) != null && FieldValues.text(s.get(field)).toLowerCase(Locale.ROOT).matches(regex);
            }
            Token op = next();
            if (op.kind() != Token.Kind.SYMBOL || op.is("(") || op.is(")") || op.is(",")) throw unexpected(op);
            Object value = literal(field);
            return switch (op.text()) {
                case "=" -> s -> equal(field, s.get(field), value);
                case "!=", "<>" -> s -> !equal(field, s.get(field), value);
                case "<" -> s -> compare(s.get(field), value) < 0;
                case "<=" -> s -> compare(s.get(field), value) <= 0;
                case ">" -> s -> compare(s.get(field), value) > 0;
                case ">=" -> s -> compare(s.get(field), value) >= 0;
                default -> throw unexpected(op);
            };
        }

        private Object literal(SalesforceField field) throws SoqlException {
            Token token = next();
            return switch (token.kind()) {
                case STRING -> {
                    if (!field.type().textual()) {
                        throw new SoqlException("INVALID_QUERY_FILTER_OPERATOR", "value of filter criterion for field '"
                                + field.name() + "' must be of type " + field.type().describeName()
                                + " and should not be enclosed in quotes");
                    }
                    yield token.text();
                }
                case NUMBER -> switch (field.type()) {
                    case DATE -> require(FieldValues.parseDate(token.text()), token);
                    case DATETIME -> require(FieldValues.parseInstant(token.text()), token);
                    case DOUBLE, CURRENCY, PERCENT, INT -> require(FieldValues.parseNumber(token.text()), token);
                    case ID, REFERENCE, STRING, EMAIL, PHONE, URL, TEXTAREA, PICKLIST, MULTIPICKLIST, BOOLEAN ->
                            throw new SoqlException("INVALID_QUERY_FILTER_OPERATOR", "value of filter criterion "
                                    + "for field '" + field.name() + "' must be of type " + field.type().describeName());
                };
                case WORD -> {
                    if (token.is("NULL")) yield null;
                    if (token.is("TRUE")) yield Boolean.TRUE;
                    if (token.is("FALSE")) yield Boolean.FALSE;
                    throw unexpected(token);
                }
                case SYMBOL, END -> throw unexpected(token);
            };
        }

        private Object require(Object value, Token token) throws SoqlException {
            if (value == null) throw unexpected(token);
            return value;
        }

        private SalesforceField field(String name) throws SoqlException {
            if (name.contains(".")) {
                throw new SoqlException("INVALID_FIELD", "Didn't understand relationship '" + name.substring(0,
                        name.indexOf('.')) + "' in field path (relationship queries are not modelled by the sandbox)");
            }
            return type.field(name).orElseThrow(() -> new SoqlException("INVALID_FIELD", "No such column '" + name
                    + "' on entity '" + type.name + "'. If you are attempting to use a custom field, be sure to "
                    + "append the '__c' after the custom field name. Please reference your WSDL or the describe call "
                    + "for the appropriate names."));
        }

        private int integer() throws SoqlException {
            Token token = next();
            try {
                return Integer.parseInt(token.text());
            } catch (NumberFormatException e) {
                throw unexpected(token);
            }
        }

        private String word(String what) throws SoqlException {
            Token token = next();
            if (token.kind() != Token.Kind.WORD) throw unexpected(token);
            return token.text();
        }

        private void expect(String word) throws SoqlException {
            Token token = next();
            if (!token.is(word)) throw unexpected(token);
        }

        private Token peek() {
            return tokens.get(at);
        }

        private Token next() {
            Token token = tokens.get(at);
            if (token.kind() != Token.Kind.END) at++;
            return token;
        }

        private SoqlException unexpected() {
            return unexpected(peek());
        }

        private SoqlException unexpected(Token token) {
            return new SoqlException("MALFORMED_QUERY", token.kind() == Token.Kind.END
                    ? "unexpected token: <EOF>" : "unexpected token: " + token.text());
        }
    }

    private static boolean equal(SalesforceField field, Object stored, Object literal) {
        if (stored == null || literal == null) return stored == null && literal == null;
        if (field.type().textual()) {
            String left = FieldValues.text(stored);
            String right = literal.toString();
            if (field.type() == SalesforceField.Type.ID || field.type() == SalesforceField.Type.REFERENCE) {
                return SalesforceIds.normalize(right).map(left::equals).orElse(false);
            }
            return left.equalsIgnoreCase(right);
        }
        return compare(stored, literal) == 0;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Object stored, Object literal) {
        if (stored == null || literal == null) return stored == null && literal == null ? 0 : -2;
        if (stored instanceof BigDecimal a && literal instanceof BigDecimal b) return a.compareTo(b);
        if (stored instanceof String a) return a.compareToIgnoreCase(literal.toString());
        if (stored instanceof Comparable a && stored.getClass() == literal.getClass()) return a.compareTo(literal);
        if (stored instanceof Instant a && literal instanceof LocalDate b) return a.compareTo(b.atStartOfDay().toInstant(java.time.ZoneOffset.UTC));
        return Objects.equals(stored, literal) ? 0 : -2;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compareNullsFirst(Object a, Object b) {
        if (a == null || b == null) return a == null ? (b == null ? 0 : -1) : 1;
        if (a instanceof String x && b instanceof String y) return x.compareToIgnoreCase(y);
        if (a instanceof Comparable x && a.getClass() == b.getClass()) return x.compareTo(b);
        return FieldValues.text(a).compareTo(FieldValues.text(b));
    }

    private static String toRegex(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toLowerCase(Locale.ROOT).toCharArray()) {
            switch (c) {
                case '%' -> regex.append(".*");
                case '_' -> regex.append('.');
                default -> regex.append(java.util.regex.Pattern.quote(String.valueOf(c)));
            }
        }
        return regex.toString();
    }
}
