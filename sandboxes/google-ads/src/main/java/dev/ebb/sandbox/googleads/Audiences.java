package dev.ebb.sandbox.googleads;

import java.time.Instant;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The sandbox's Customer Match state: the user lists of each Google Ads account, their members, and the ingestion
 * and removal requests that Google processes after it has answered them.
 *
 * <p>Google does not publish how it groups identifiers into users; the sandbox models a member as one user: the
 * identifiers sent together in one {@code AudienceMember}, merged with every member already holding one of them.
 * A removal removes every member holding any identifier it names (Google removes the users it matches). So adding a
 * row's identifiers and later removing the same identifiers leaves the list as it was.
 *
 * <p>Requests are applied when their processing time has come ({@link #settle}), not when they are answered: until
 * then a request's status is {@code PROCESSING} and the list does not show it, as "the data for the destination is
 * still being processed" (https://developers.google.com/data-manager/api/devguides/diagnostics).
 *
 * <p>Not thread-safe on its own: {@link GoogleAdsSandbox} calls it under one lock.
 */
final class Audiences {

    /** One identifier as stored: its kind and its value (SHA-256 as lowercase hex; address parts joined). */
    record Identifier(Kind kind, String value) {
    }

    enum Kind { EMAIL, PHONE, ADDRESS }

    /** An address as stored: names hashed (hex), region and postal code as sent. */
    record Address(String givenName, String familyName, String regionCode, String postalCode) {
        String key() {
            return givenName + "|" + familyName + "|" + regionCode + "|" + postalCode;
        }
    }

    /** One member (a user) of a list. */
    static final class Member {
        final long id;
        final Set<Identifier> identifiers = new LinkedHashSet<>();
        final Map<String, Address> addresses = new LinkedHashMap<>();

        Member(long id) {
            this.id = id;
        }
    }

    /** One user list of one account. */
    static final class UserList {
        final String account;
        final String id;
        final String displayName;
        final Map<Identifier, Member> byIdentifier = new HashMap<>();
        final Set<Member> members = Collections.newSetFromMap(new IdentityHashMap<>());

        UserList(String account, String id, String displayName) {
            this.account = account;
            this.id = id;
            this.displayName = displayName;
        }
    }

    /** One audience member of a request, after validation: its identifiers and whether its data may be used. */
    record Incoming(List<Identifier> identifiers, List<Address> addresses, boolean consentDenied) {
    }

    /** A request Google answered with a request id and processes later. */
    static final class Request {
        final String id;
        final boolean removal;
        final List<UserList> destinations;
        final List<Incoming> members;
        final Instant due;
        final String forcedFailure;
        Processed processed;

        Request(String id, boolean removal, List<UserList> destinations, List<Incoming> members, Instant due,
                String forcedFailure) {
            this.id = id;
            this.removal = removal;
            this.destinations = destinations;
            this.members = members;
            this.due = due;
            this.forcedFailure = forcedFailure;
        }

        int identifierCount() {
            return members.stream().mapToInt(m -> m.identifiers().size()).sum();
        }
    }

    /** What processing found: how many members failed for which processing error reason. */
    record Processed(Map<String, Long> errors) {
        long failed() {
            return errors.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private final Map<String, UserList> lists = new LinkedHashMap<>();
    private final Map<String, Request> requests = new LinkedHashMap<>();
    private final Deque<String> forcedFailures = new ArrayDeque<>();
    private long nextMemberId = 1;

    UserList createList(String account, String id, String displayName) {
        return lists.computeIfAbsent(account + "/" + id, k -> new UserList(account, id, displayName));
    }

    Optional<UserList> list(String account, String id) {
        return Optional.ofNullable(lists.get(account + "/" + id));
    }

    List<UserList> lists() {
        return List.copyOf(lists.values());
    }

    Optional<Request> request(String id) {
        return Optional.ofNullable(requests.get(id));
    }

    /** Makes the next {@code count} accepted requests fail in processing with {@code reason}. */
    void failNext(String reason, int count) {
        for (int i = 0; i < count; i++) forcedFailures.addLast(reason);
    }

    void accept(Request request) {
        requests.put(request.id, request);
    }

    /** A request as {@link #accept} wants it, taking the next forced failure, if any. */
    Request newRequest(String id, boolean removal, List<UserList> destinations, List<Incoming> members, Instant due) {
        return new Request(id, removal, destinations, members, due, forcedFailures.pollFirst());
    }

    /** Applies every request whose processing time has come, in the order they were accepted. */
    void settle(Instant now) {
        for (Request request : requests.values()) {
            if (request.processed != null || request.due.isAfter(now)) continue;
            request.processed = process(request);
        }
    }

    private Processed process(Request request) {
        Map<String, Long> errors = new LinkedHashMap<>();
        if (request.forcedFailure != null) {
            errors.put(request.forcedFailure, (long) request.members.size());
            return new Processed(errors);
        }
        for (Incoming member : request.members) {
            if (!request.removal && member.consentDenied()) {
                // "The ad user data is denied, either by the user or in the advertiser default settings."
                errors.merge("PROCESSING_ERROR_REASON_DENIED_CONSENT", 1L, Long::sum);
                continue;
            }
            for (UserList list : request.destinations) {
                if (request.removal) remove(list, member); else add(list, member);
            }
        }
        return new Processed(errors);
    }

    private void add(UserList list, Incoming incoming) {
        List<Member> holders = new ArrayList<>();
        for (Identifier identifier : incoming.identifiers()) {
            Member holder = list.byIdentifier.get(identifier);
            if (holder != null && !holders.contains(holder)) holders.add(holder);
        }
        Member member = holders.isEmpty() ? new Member(nextMemberId++) : holders.getFirst();
        for (Member other : holders.subList(Math.min(1, holders.size()), holders.size())) {
            // The new identifiers tie two users together: one user from now on.
            other.identifiers.forEach(id -> list.byIdentifier.put(id, member));
            member.identifiers.addAll(other.identifiers);
            member.addresses.putAll(other.addresses);
            list.members.remove(other);
        }
        for (Identifier identifier : incoming.identifiers()) {
            member.identifiers.remove(identifier); // re-added last, so that the latest value reads last
            member.identifiers.add(identifier);
            list.byIdentifier.put(identifier, member);
        }
        for (Address address : incoming.addresses()) {
            member.addresses.remove(address.key());
            member.addresses.put(address.key(), address);
        }
        list.members.add(member);
    }

    private static void remove(UserList list, Incoming incoming) {
        for (Identifier identifier : incoming.identifiers()) {
            Member holder = list.byIdentifier.get(identifier);
            if (holder == null) continue;
            holder.identifiers.forEach(list.byIdentifier::remove);
            list.members.remove(holder);
        }
    }
}
