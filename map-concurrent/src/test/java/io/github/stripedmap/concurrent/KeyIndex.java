package io.github.stripedmap.concurrent;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** A set of keys with O(1) add, remove and uniformly random pick, for choosing present keys. */
final class KeyIndex<K> {

    private final List<K> keys = new ArrayList<>();
    private final Map<K, Integer> positions = new HashMap<>();

    int size() {
        return keys.size();
    }

    boolean contains(K key) {
        return positions.containsKey(key);
    }

    void add(K key) {
        if (!positions.containsKey(key)) {
            positions.put(key, keys.size());
            keys.add(key);
        }
    }

    void remove(K key) {
        Integer at = positions.remove(key);
        if (at == null) {
            return;
        }
        K last = keys.remove(keys.size() - 1);
        if (at < keys.size()) {
            keys.set(at, last);
            positions.put(last, at);
        }
    }

    /** Adds or removes {@code key} so that the index agrees with {@code present}. */
    void sync(K key, boolean present) {
        if (present) {
            add(key);
        } else {
            remove(key);
        }
    }

    /** @return a uniformly random key; the index must not be empty */
    K random(Random rnd) {
        return keys.get(rnd.nextInt(keys.size()));
    }

    void reset(Collection<? extends K> all) {
        keys.clear();
        positions.clear();
        for (K k : all) {
            add(k);
        }
    }
}
