package io.github.stripedmap.demo;

/** The maps the demo compares. */
public enum MapKind {
    /** stripedmap's concurrent map, traced through the tracing module. */
    STRIPED("striped", "StripedMap"),
    /** The JDK's default concurrent map. */
    CHM("chm", "ConcurrentHashMap");

    private final String flag;
    private final String title;

    MapKind(String flag, String title) {
        this.flag = flag;
        this.title = title;
    }

    /** @return the name in tables */
    public String title() {
        return title;
    }

    static MapKind byFlag(String flag) {
        for (MapKind kind : values()) {
            if (kind.flag.equals(flag)) {
                return kind;
            }
        }
        return null;
    }
}
