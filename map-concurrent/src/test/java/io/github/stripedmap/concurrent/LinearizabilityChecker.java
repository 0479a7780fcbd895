package io.github.stripedmap.concurrent;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Checks recorded concurrent histories of single-key map operations for linearizability (Wing and Gong's
 * search, with memoisation of failed (done-set, state) pairs as in Lowe's refinement). Every operation here
 * reads or writes one key, and linearizability is local: a history is linearizable if and only if each
 * key's sub-history is, so each key is checked alone, against a sequential model that is one nullable value.
 *
 * <p>An operation's interval is from a timestamp taken just before the call to one taken just after it
 * returned ({@link System#nanoTime()}, which is monotonic across threads), so the recorded interval contains
 * the real one: the check can miss a violation but never reports one that did not happen.
 */
final class LinearizabilityChecker {

    /** The state encoding of "no mapping" for the memo key. */
    private static final int ABSENT = Integer.MIN_VALUE;
    /** Most operations per key and history: the done-set is a bit mask in a {@code long}'s low bits. */
    static final int MAX_OPS_PER_KEY = 31;

    private LinearizabilityChecker() { }

    /** One single-key operation of the sequential model, with its arguments. */
    enum Kind {
        GET, CONTAINS_KEY, GET_OR_DEFAULT, PUT, REMOVE, PUT_IF_ABSENT, REPLACE, REPLACE_IF_EQUAL,
        REMOVE_IF_EQUAL, COMPUTE_IF_ABSENT, COMPUTE_IF_PRESENT, COMPUTE, MERGE
    }

    /** What a function-taking operation maps a present value to: bounded so values stay small and do get removed. */
    static Integer step(Integer v) {
        return v >= 40 ? null : v + 1;
    }

    /** An operation and its arguments; {@link #apply} is the model, {@link #run} the call on a real map. */
    record Call(Kind kind, int key, int a, int b) {

        /** The result and the new state of this call on a key whose value is {@code state} (null: absent). */
        Outcome apply(Integer state) {
            Integer a = this.a; // boxed, so that no conditional below unboxes a null state
            Integer b = this.b;
            return switch (kind) {
                case GET -> new Outcome(state, state);
                case CONTAINS_KEY -> new Outcome(state != null, state);
                case GET_OR_DEFAULT -> new Outcome(state != null ? state : a, state);
                case PUT -> new Outcome(state, a);
                case REMOVE -> new Outcome(state, null);
                case PUT_IF_ABSENT -> new Outcome(state, state != null ? state : a);
                case REPLACE -> new Outcome(state, state != null ? a : null);
                case REPLACE_IF_EQUAL -> {
                    boolean hit = Objects.equals(state, a);
                    yield new Outcome(hit, hit ? b : state);
                }
                case REMOVE_IF_EQUAL -> {
                    boolean hit = Objects.equals(state, a);
                    yield new Outcome(hit, hit ? null : state);
                }
                case COMPUTE_IF_ABSENT -> new Outcome(state != null ? state : a, state != null ? state : a);
                case COMPUTE_IF_PRESENT -> {
                    Integer next = state == null ? null : step(state);
                    yield new Outcome(next, next);
                }
                case COMPUTE -> {
                    Integer next = state == null ? a : step(state);
                    yield new Outcome(next, next);
                }
                case MERGE -> {
                    Integer next = state == null ? a : (state + a > 40 ? null : state + a);
                    yield new Outcome(next, next);
                }
            };
        }

        /** Runs this call on {@code map} and returns what it returned. */
        Object run(ConcurrentMap<Integer, Integer> map) {
            Integer k = key;
            return switch (kind) {
                case GET -> map.get(k);
                case CONTAINS_KEY -> map.containsKey(k);
                case GET_OR_DEFAULT -> map.getOrDefault(k, a);
                case PUT -> map.put(k, a);
                case REMOVE -> map.remove(k);
                case PUT_IF_ABSENT -> map.putIfAbsent(k, a);
                case REPLACE -> map.replace(k, a);
                case REPLACE_IF_EQUAL -> map.replace(k, a, b);
                case REMOVE_IF_EQUAL -> map.remove(k, a);
                case COMPUTE_IF_ABSENT -> map.computeIfAbsent(k, x -> a);
                case COMPUTE_IF_PRESENT -> map.computeIfPresent(k, (x, v) -> step(v));
                case COMPUTE -> map.compute(k, (x, v) -> v == null ? a : step(v));
                case MERGE -> map.merge(k, a, (v, w) -> v + w > 40 ? null : v + w);
            };
        }
    }

    /** A model step: what the call returns, and the key's value after it. */
    record Outcome(Object result, Integer state) { }

    /** A completed call: when it was invoked and when it returned, and what it returned. */
    record Event(Call call, long invoked, long returned, Object result, int thread) {
        @Override
        public String toString() {
            return "t" + thread + " " + call.kind + "(" + call.key + ", " + call.a + ", " + call.b + ") = " + result
                    + " [" + invoked + ", " + returned + "]";
        }
    }

    /**
     * Checks a history key by key.
     *
     * @param events  every completed call of the history, of all keys
     * @param initial each key's value before the history (absent keys may be left out)
     * @return null if the history is linearizable, else a description of the first key whose sub-history is not
     */
    static String check(List<Event> events, Map<Integer, Integer> initial) {
        Map<Integer, List<Event>> byKey = new TreeMap<>();
        for (Event e : events) {
            byKey.computeIfAbsent(e.call.key, k -> new ArrayList<>()).add(e);
        }
        for (Map.Entry<Integer, List<Event>> key : byKey.entrySet()) {
            List<Event> ops = key.getValue();
            if (ops.size() > MAX_OPS_PER_KEY) {
                throw new IllegalArgumentException(ops.size() + " operations on key " + key.getKey());
            }
            if (!new Search(ops).linearizable(0L, initial.get(key.getKey()))) {
                return "key " + key.getKey() + " starting at " + initial.get(key.getKey()) + ": " + ops;
            }
        }
        return null;
    }

    /** The search over one key's history. */
    private static final class Search {
        private final List<Event> ops;
        private final long all;
        private final Set<Long> failed = new HashSet<>();

        Search(List<Event> ops) {
            this.ops = ops;
            this.all = (1L << ops.size()) - 1;
        }

        /** True if the operations not in {@code done} can follow, in some order, from {@code state}. */
        boolean linearizable(long done, Integer state) {
            if (done == all) {
                return true;
            }
            long memo = done << Integer.SIZE | ((state == null ? ABSENT : state) & 0xFFFF_FFFFL);
            if (failed.contains(memo)) {
                return false;
            }
            long firstReturn = Long.MAX_VALUE;
            for (int i = 0; i < ops.size(); i++) {
                if ((done & 1L << i) == 0) {
                    firstReturn = Math.min(firstReturn, ops.get(i).returned);
                }
            }
            for (int i = 0; i < ops.size(); i++) {
                Event e = ops.get(i);
                // e may take effect next only if no other pending call had returned before e was invoked
                if ((done & 1L << i) == 0 && e.invoked <= firstReturn) {
                    Outcome o = e.call.apply(state);
                    if (Objects.equals(o.result(), e.result) && linearizable(done | 1L << i, o.state())) {
                        return true;
                    }
                }
            }
            failed.add(memo);
            return false;
        }
    }
}
