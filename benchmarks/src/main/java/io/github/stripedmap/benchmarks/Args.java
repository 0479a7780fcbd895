package io.github.stripedmap.benchmarks;

import java.util.HashMap;
import java.util.Map;

/** Tiny {@code --name value} parser for the tools' main methods. */
final class Args {
    private final Map<String, String> values = new HashMap<>();

    Args(String[] args, String... known) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("expected --name value, got '" + a + "'");
            }
            String name = a.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException("--" + name + " needs a value");
            }
            if (!java.util.Arrays.asList(known).contains(name)) {
                throw new IllegalArgumentException("unknown option --" + name + "; known: --" + String.join(", --", known));
            }
            values.put(name, value);
        }
    }

    String get(String name, String def) {
        return values.getOrDefault(name, def);
    }

    int getInt(String name, int def) {
        String v = values.get(name);
        return v == null ? def : Integer.parseInt(v.replace("_", ""));
    }

    long getLong(String name, long def) {
        String v = values.get(name);
        return v == null ? def : Long.parseLong(v.replace("_", ""));
    }
}
