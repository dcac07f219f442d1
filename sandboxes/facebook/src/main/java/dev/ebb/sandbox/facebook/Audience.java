package dev.ebb.sandbox.facebook;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * One customer-file custom audience and its members. Meta matches an uploaded row to a person by any of its
 * identifiers; the sandbox models that by the strong identifiers ({@code EMAIL}, {@code PHONE}, {@code MADID},
 * {@code EXTERN_ID}): a row that shares one with a member is that member (its identifiers are merged), and a row
 * without any is identified by all its other keys together. Removing a row removes the members it identifies.
 *
 * <p>A replace session ({@code usersreplace}) stages rows; when its last batch arrives the staged rows become the
 * whole membership ("usersreplace … removes the existing users … and replaces them", custom-audience/usersreplace
 * reference page).
 *
 * <p>Not thread-safe: the sandbox guards every audience with its one lock.
 */
final class Audience {
    /** The keys that identify a person on their own. */
    static final Set<String> STRONG = Set.of("EMAIL", "PHONE", "MADID", "EXTERN_ID");

    final String id;
    final String name;
    final String description;
    final String subtype;
    final long created;
    long updated;
    boolean flagged;
    private final Map<Long, Member> members = new TreeMap<>();
    private final Map<String, Long> index = new HashMap<>();
    private final Map<Long, Session> sessions = new LinkedHashMap<>();
    private long nextMember = 1;

    Audience(String id, String name, String description, String subtype, long created) {
        this.id = id;
        this.name = name;
        this.description = description;
        this.subtype = subtype;
        this.created = created;
        this.updated = created;
    }

    /** An upload session: what Meta reports at {@code GET /{audience_id}/sessions}. */
    static final class Session {
        final long sessionId;
        final boolean replace;
        final long started;
        long ended;
        long received;
        long invalid;
        int lastBatch;
        boolean finished;
        final List<Map<String, String>> staged = new ArrayList<>();
        final Set<Integer> batches = new java.util.HashSet<>();

        Session(long sessionId, boolean replace, long started) {
            this.sessionId = sessionId;
            this.replace = replace;
            this.started = started;
        }
    }

    List<Member> members() {
        return List.copyOf(members.values());
    }

    int size() {
        return members.size();
    }

    /** The member whose {@code key} was sent as {@code value}. */
    Optional<Member> find(String key, String value) {
        if (STRONG.contains(key)) return Optional.ofNullable(index.get(key + "=" + value)).map(members::get);
        return members.values().stream().filter(m -> value.equals(m.key(key))).findFirst();
    }

    /** Adds (or merges) a valid row. */
    void add(Map<String, String> row) {
        Optional<Long> existing = identify(row);
        Map<String, String> keys = new LinkedHashMap<>();
        existing.ifPresent(id -> keys.putAll(members.get(id).keys()));
        keys.putAll(row);
        long memberId = existing.orElseGet(() -> nextMember++);
        existing.ifPresent(this::unindex);
        Member member = new Member(memberId, keys);
        members.put(memberId, member);
        indexMember(member);
    }

    /** Removes the member a valid row identifies, if any. */
    void remove(Map<String, String> row) {
        identify(row).ifPresent(id -> {
            unindex(id);
            members.remove(id);
        });
    }

    /** The session {@code sessionId}, started now if it is new. */
    Session session(long sessionId, boolean replace, long now) {
        return sessions.computeIfAbsent(sessionId, id -> new Session(id, replace, now));
    }

    List<Session> sessions() {
        return List.copyOf(sessions.values());
    }

    /** Ends a replace session: its staged rows become the whole membership. */
    void replaceWith(Session session) {
        members.clear();
        index.clear();
        session.staged.forEach(this::add);
    }

    private Optional<Long> identify(Map<String, String> row) {
        for (String key : STRONG) {
            String value = row.get(key);
            if (value != null && index.containsKey(key + "=" + value)) return Optional.of(index.get(key + "=" + value));
        }
        boolean strong = row.keySet().stream().anyMatch(STRONG::contains);
        if (strong) return Optional.empty();
        return members.values().stream().filter(m -> m.keys().equals(row)).map(Member::id).findFirst();
    }

    private void indexMember(Member member) {
        member.keys().forEach((key, value) -> {
            if (STRONG.contains(key)) index.put(key + "=" + value, member.id());
        });
    }

    private void unindex(long memberId) {
        Member member = members.get(memberId);
        if (member != null) member.keys().forEach((key, value) -> index.remove(key + "=" + value, memberId));
    }
}
