package io.github.stripedmap.benchmarks;

import org.openjdk.jol.info.GraphLayout;
import org.openjdk.jol.vm.VM;

import java.util.Map;

/** JOL measurements shared by the footprint, retained-bytes and quick-comparison tools. */
public final class Jol {
    private Jol() {
    }

    /** Bytes of everything reachable from the map (the map, its arrays/nodes, the keys and values). */
    public static long totalBytes(Map<?, ?> map) {
        return GraphLayout.parseInstance(map).totalSize();
    }

    /**
     * Bytes of the keys' and values' own objects: one graph rooted at each element of the array (not the
     * array itself), so objects that are shared (a small cached Integer, a value equal to its key) count once,
     * exactly as they do in the map's graph.
     */
    public static long payloadBytes(Object[] keysAndValues) {
        if (keysAndValues.length == 0) {
            return 0;
        }
        return GraphLayout.parseInstance(keysAndValues).totalSize();
    }

    /**
     * The map's structure: all bytes reachable from it minus the bytes of the keys and values it holds.
     * {@code keysAndValues} must hold exactly the map's current keys and values (any order, duplicates fine).
     */
    public static long structureBytes(Map<?, ?> map, Object[] keysAndValues) {
        return totalBytes(map) - payloadBytes(keysAndValues);
    }

    /** The map's current keys and values, read through its entry set. */
    public static Object[] contents(Map<?, ?> map) {
        Object[] out = new Object[2 * map.size()];
        int i = 0;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            out[i++] = e.getKey();
            out[i++] = e.getValue();
        }
        if (i != out.length) {
            throw new IllegalStateException("entrySet gave " + i / 2 + " entries, size() says " + map.size());
        }
        return out;
    }

    /** One line about the VM the sizes come from (compressed oops, object alignment). */
    public static String vmDetails() {
        StringBuilder sb = new StringBuilder();
        for (String line : VM.current().details().split("\n")) {
            String l = line.replaceFirst("^#\\s*", "").trim();
            if (l.startsWith("VM mode") || l.startsWith("Compressed references") || l.startsWith("Object alignment")) {
                sb.append(sb.length() == 0 ? "" : "; ").append(l);
            }
        }
        return sb.toString();
    }
}
