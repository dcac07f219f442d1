package dev.ebb.sandbox.googleads;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ebb.sandbox.googleads.Audiences.Address;
import dev.ebb.sandbox.googleads.Audiences.Identifier;
import dev.ebb.sandbox.googleads.Audiences.Incoming;
import dev.ebb.sandbox.googleads.Audiences.Kind;
import dev.ebb.sandbox.googleads.Audiences.Request;
import dev.ebb.sandbox.googleads.Audiences.UserList;
import dev.ebb.sandbox.googleads.RpcErrors.Violation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The IngestionService's audience methods as REST (ingestion_service.proto's {@code google.api.http} annotations):
 * {@code POST /v1/audienceMembers:ingest}, {@code POST /v1/audienceMembers:remove} and
 * {@code GET /v1/requestStatus:retrieve?requestId=}. Bodies are proto3 JSON: camelCase names (snake_case accepted,
 * as proto3 JSON parsers do), enums by name.
 *
 * <p>A request is checked whole before it is accepted, and refused whole with a 400 whose {@code BadRequest} names
 * every offending field; an accepted one is answered with a {@code requestId} and applied later (see
 * {@link Audiences}).
 */
final class AudienceEndpoints {
    /**
     * "IngestAudienceMembersRequest and RemoveAudienceMembersRequest: 10,000 AudienceMember resources in the
     * audience_members list; 10 user identifiers in the UserData for an AudienceMember; 10 Destination resources in
     * the destinations list" (https://developers.google.com/data-manager/api/devguides/limits, "Request limits").
     */
    static final int MAX_MEMBERS = 10_000;
    /** Same page. */
    static final int MAX_IDENTIFIERS = 10;
    /** Same page. */
    static final int MAX_DESTINATIONS = 10;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern HEX_DIGEST = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern REGION = Pattern.compile("[A-Z]{2}");
    private static final Set<String> CONSENT = Set.of("CONSENT_STATUS_UNSPECIFIED", "CONSENT_GRANTED", "CONSENT_DENIED");

    private final GoogleAdsSandbox sandbox;

    AudienceEndpoints(GoogleAdsSandbox sandbox) {
        this.sandbox = sandbox;
    }

    /** A checked request: where it goes and what it carries. */
    record Checked(List<UserList> destinations, List<Incoming> members) {
    }

    /** Checks an ingest or remove body; throws the 400 that lists every problem. */
    Checked check(JsonNode body, boolean removal, boolean termsSigned) {
        List<Violation> violations = new ArrayList<>();
        List<UserList> destinations = destinations(body, violations);
        String encoding = text(body, "encoding", "encoding");
        boolean base64 = "BASE64".equals(encoding);
        if (!encoding.isEmpty() && !base64 && !"HEX".equals(encoding)) {
            violations.add(new Violation("encoding", "INVALID_ENUM_VALUE", "Invalid value for encoding: " + encoding));
        }
        if (!removal) {
            consent(field(body, "consent", "consent"), "consent", violations);
            String terms = text(field(body, "termsOfService", "terms_of_service"),
                    "customerMatchTermsOfServiceStatus", "customer_match_terms_of_service_status");
            if (!termsSigned && !"ACCEPTED".equals(terms)) {
                violations.add(new Violation("terms_of_service.customer_match_terms_of_service_status",
                        "TERMS_AND_CONDITIONS_NOT_SIGNED", "The Customer Match terms of service must be accepted "
                        + "to ingest user data (https://support.google.com/adspolicy/answer/6299717)."));
            }
        }
        // A member's own consent wins over the request's (audience.proto, consent.proto).
        String requestAdUserData = text(field(body, "consent", "consent"), "adUserData", "ad_user_data");
        JsonNode members = field(body, "audienceMembers", "audience_members");
        List<Incoming> incoming = new ArrayList<>();
        if (!members.isArray() || members.isEmpty()) {
            violations.add(new Violation("audience_members", "REQUIRED_FIELD_MISSING", "audience_members is required."));
        } else if (members.size() > MAX_MEMBERS) {
            violations.add(new Violation("audience_members", "TOO_MANY_AUDIENCE_MEMBERS",
                    "Maximum number of audience members allowed per request is 10,000."));
        } else {
            for (int i = 0; i < members.size(); i++) {
                incoming.add(member(members.get(i), "audience_members[" + i + "]", encoding, base64, requestAdUserData,
                        violations));
            }
        }
        if (!violations.isEmpty()) throw RpcErrors.invalid(violations);
        return new Checked(destinations, incoming);
    }

    private List<UserList> destinations(JsonNode body, List<Violation> violations) {
        JsonNode destinations = field(body, "destinations", "destinations");
        List<UserList> lists = new ArrayList<>();
        if (!destinations.isArray() || destinations.isEmpty()) {
            violations.add(new Violation("destinations", "REQUIRED_FIELD_MISSING", "destinations is required."));
            return lists;
        }
        if (destinations.size() > MAX_DESTINATIONS) {
            violations.add(new Violation("destinations", "TOO_MANY_DESTINATIONS",
                    "Maximum number of destinations allowed per request is 10."));
            return lists;
        }
        for (int i = 0; i < destinations.size(); i++) {
            String path = "destinations[" + i + "]";
            JsonNode destination = destinations.get(i);
            JsonNode operating = field(destination, "operatingAccount", "operating_account");
            String account = text(operating, "accountId", "account_id");
            String type = text(operating, "accountType", "account_type");
            String listId = text(destination, "productDestinationId", "product_destination_id");
            if (account.isEmpty()) {
                violations.add(new Violation(path + ".operating_account.account_id", "REQUIRED_FIELD_MISSING",
                        "operating_account.account_id is required."));
            } else if (!type.equals("GOOGLE_ADS")) {
                violations.add(new Violation(path + ".operating_account.account_type", "INVALID_DESTINATION",
                        "The sandbox holds Google Ads accounts only; account_type must be GOOGLE_ADS."));
            } else if (listId.isEmpty()) {
                violations.add(new Violation(path + ".product_destination_id", "REQUIRED_FIELD_MISSING",
                        "product_destination_id is required."));
            } else {
                sandbox.list(account, listId).ifPresentOrElse(lists::add, () -> violations.add(new Violation(
                        path + ".product_destination_id", "INVALID_USER_LIST_ID",
                        "User list " + listId + " is not valid for account " + account + ".")));
            }
        }
        return lists;
    }

    private static Incoming member(JsonNode member, String path, String encoding, boolean base64,
                                   String requestAdUserData, List<Violation> violations) {
        String own = text(field(member, "consent", "consent"), "adUserData", "ad_user_data");
        boolean denied = "CONSENT_DENIED".equals(own.isEmpty() ? requestAdUserData : own);
        consent(field(member, "consent", "consent"), path + ".consent", violations);
        JsonNode identifiers = field(field(member, "userData", "user_data"), "userIdentifiers", "user_identifiers");
        List<Identifier> ids = new ArrayList<>();
        List<Address> addresses = new ArrayList<>();
        if (!identifiers.isArray() || identifiers.isEmpty()) {
            violations.add(new Violation(path + ".user_data.user_identifiers", "INVALID_AUDIENCE_MEMBER",
                    "This audience member is not valid: it needs user_data with at least one user identifier."));
            return new Incoming(ids, addresses, denied);
        }
        if (identifiers.size() > MAX_IDENTIFIERS) {
            violations.add(new Violation(path + ".user_data.user_identifiers", "TOO_MANY_USER_IDENTIFIERS",
                    "Maximum number of user identifiers allowed per audience member is 10."));
            return new Incoming(ids, addresses, denied);
        }
        if (encoding.isEmpty()) {
            violations.add(new Violation("encoding", "REQUIRED_FIELD_MISSING",
                    "encoding is required for hashed user identifiers."));
            return new Incoming(ids, addresses, denied);
        }
        for (int j = 0; j < identifiers.size(); j++) {
            String at = path + ".user_data.user_identifiers[" + j + "]";
            JsonNode identifier = identifiers.get(j);
            String email = text(identifier, "emailAddress", "email_address");
            String phone = text(identifier, "phoneNumber", "phone_number");
            JsonNode address = field(identifier, "address", "address");
            int set = (email.isEmpty() ? 0 : 1) + (phone.isEmpty() ? 0 : 1) + (address.isObject() ? 1 : 0);
            if (set != 1) {
                violations.add(new Violation(at, "INVALID_FORMAT", "Exactly one of email_address, phone_number or "
                        + "address must be set."));
            } else if (!email.isEmpty()) {
                digest(email, at + ".email_address", base64, violations).ifPresent(d -> ids.add(new Identifier(Kind.EMAIL, d)));
            } else if (!phone.isEmpty()) {
                digest(phone, at + ".phone_number", base64, violations).ifPresent(d -> ids.add(new Identifier(Kind.PHONE, d)));
            } else {
                address(address, at + ".address", base64, violations).ifPresent(a -> {
                    addresses.add(a);
                    ids.add(new Identifier(Kind.ADDRESS, a.key()));
                });
            }
        }
        return new Incoming(ids, addresses, denied);
    }

    private static java.util.Optional<Address> address(JsonNode address, String path, boolean base64,
                                                       List<Violation> violations) {
        int before = violations.size();
        var given = digest(text(address, "givenName", "given_name"), path + ".given_name", base64, violations);
        var family = digest(text(address, "familyName", "family_name"), path + ".family_name", base64, violations);
        String region = text(address, "regionCode", "region_code");
        String postal = text(address, "postalCode", "postal_code");
        if (!REGION.matcher(region).matches()) {
            violations.add(new Violation(path + ".region_code", "INVALID_FORMAT",
                    "region_code must be a 2-letter ISO-3166-1 alpha-2 code."));
        }
        if (postal.isBlank()) {
            violations.add(new Violation(path + ".postal_code", "INVALID_POSTAL_CODE", "Postal code is not valid."));
        }
        if (violations.size() > before || given.isEmpty() || family.isEmpty()) return java.util.Optional.empty();
        return java.util.Optional.of(new Address(given.get(), family.get(), region, postal));
    }

    /** A SHA-256 digest in the request's encoding, as lowercase hex; a violation when it is not one. */
    private static java.util.Optional<String> digest(String value, String path, boolean base64,
                                                     List<Violation> violations) {
        if (value.isEmpty()) {
            violations.add(new Violation(path, "REQUIRED_FIELD_MISSING", path + " is required."));
            return java.util.Optional.empty();
        }
        if (!base64) {
            if (!value.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                violations.add(new Violation(path, "INVALID_HEX_ENCODING", "The HEX encoded value is malformed."));
                return java.util.Optional.empty();
            }
            if (!HEX_DIGEST.matcher(value).matches()) {
                violations.add(new Violation(path, "INVALID_SHA256_FORMAT", "The SHA256 encoded value is malformed."));
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(value.toLowerCase(Locale.ROOT));
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            violations.add(new Violation(path, "INVALID_BASE64_ENCODING", "The base64 encoded value is malformed."));
            return java.util.Optional.empty();
        }
        if (bytes.length != 32) {
            violations.add(new Violation(path, "INVALID_SHA256_FORMAT", "The SHA256 encoded value is malformed."));
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(HexFormat.of().formatHex(bytes));
    }

    private static void consent(JsonNode consent, String path, List<Violation> violations) {
        if (!consent.isObject()) return;
        for (String[] names : new String[][] {{"adUserData", "ad_user_data"}, {"adPersonalization", "ad_personalization"}}) {
            String value = text(consent, names[0], names[1]);
            if (!value.isEmpty() && !CONSENT.contains(value)) {
                violations.add(new Violation(path + "." + names[1], "INVALID_ENUM_VALUE",
                        "Invalid value for " + names[1] + ": " + value));
            }
        }
    }

    // ---- status -------------------------------------------------------------------------------------------

    /** The {@code RetrieveRequestStatusResponse} of {@code request} at {@code now}. */
    static ObjectNode status(Request request, Instant now) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode perDestination = body.putArray("requestStatusPerDestination");
        for (UserList list : request.destinations) {
            ObjectNode entry = perDestination.addObject();
            ObjectNode destination = entry.putObject("destination");
            destination.putObject("operatingAccount").put("accountType", "GOOGLE_ADS").put("accountId", list.account);
            destination.put("productDestinationId", list.id);
            String state;
            if (request.processed == null) {
                state = "PROCESSING";
            } else if (request.processed.failed() == 0) {
                state = "SUCCESS";
            } else {
                state = request.processed.failed() >= request.members.size() ? "FAILED" : "PARTIAL_SUCCESS";
                ArrayNode counts = entry.putObject("errorInfo").putArray("errorCounts");
                // int64 fields are strings in proto3 JSON.
                request.processed.errors().forEach((reason, count) ->
                        counts.addObject().put("recordCount", String.valueOf(count)).put("reason", reason));
            }
            entry.put("requestStatus", state);
            ObjectNode counts = JSON.createObjectNode().put("recordCount", String.valueOf(request.members.size()))
                    .put("userIdentifierCount", String.valueOf(request.identifierCount()));
            if (request.removal) {
                entry.putObject("audienceMembersRemovalStatus").set("userDataRemovalStatus", counts);
            } else {
                entry.putObject("audienceMembersIngestionStatus").set("userDataIngestionStatus", counts);
            }
        }
        return body;
    }

    // ---- proto3 JSON --------------------------------------------------------------------------------------

    /** A field by its JSON name or its proto name (proto3 JSON parsers accept both). */
    static JsonNode field(JsonNode node, String jsonName, String protoName) {
        JsonNode value = node.path(jsonName);
        return value.isMissingNode() ? node.path(protoName) : value;
    }

    static String text(JsonNode node, String jsonName, String protoName) {
        JsonNode value = field(node, jsonName, protoName);
        return value.isValueNode() ? value.asText().strip() : "";
    }

    static Map<String, Object> listJson(UserList list) {
        return Map.of("name", "accountTypes/GOOGLE_ADS/accounts/" + list.account + "/userLists/" + list.id,
                "id", list.id, "displayName", list.displayName, "membershipStatus", "OPEN",
                "ingestedUserListInfo", Map.of("uploadKeyTypes", List.of("CONTACT_ID")));
    }
}
