package io.github.stripedmap.tracing.report;

import java.util.Locale;

/**
 * Writes SVG markup into a {@link StringBuilder}: elements with escaped attribute values and text, and
 * coordinates with one decimal. Knows SVG's syntax only, nothing about charts. The output is well-formed
 * XML (only the five predefined entities are used), so it stands alone as an {@code .svg} file and
 * parses with any XML parser.
 */
final class Svg {

    /** The SVG namespace, written on the root element of a chart saved as a file of its own. */
    static final String NAMESPACE = "http://www.w3.org/2000/svg";

    private final StringBuilder out;

    /**
     * @param out where the markup is appended
     */
    Svg(StringBuilder out) {
        this.out = out;
    }

    /**
     * Starts an element.
     *
     * @param tag        element name
     * @param attributes name, value pairs; a null value leaves its attribute out
     * @return this
     */
    Svg open(String tag, Object... attributes) {
        tag(tag, attributes);
        out.append(">");
        return this;
    }

    /**
     * Writes an element without content.
     *
     * @param tag        element name
     * @param attributes name, value pairs; a null value leaves its attribute out
     * @return this
     */
    Svg empty(String tag, Object... attributes) {
        tag(tag, attributes);
        out.append("/>\n");
        return this;
    }

    /**
     * Writes an element holding only text.
     *
     * @param tag        element name
     * @param text       its text, escaped here
     * @param attributes name, value pairs; a null value leaves its attribute out
     * @return this
     */
    Svg element(String tag, String text, Object... attributes) {
        tag(tag, attributes);
        out.append('>').append(esc(text)).append("</").append(tag).append(">\n");
        return this;
    }

    /**
     * Writes a tooltip: a {@code <title>} child of the element just opened.
     *
     * @param text the tooltip
     * @return this
     */
    Svg title(String text) {
        out.append("<title>").append(esc(text)).append("</title>");
        return this;
    }

    /**
     * Ends an element.
     *
     * @param tag element name
     * @return this
     */
    Svg close(String tag) {
        out.append("</").append(tag).append(">\n");
        return this;
    }

    /**
     * Appends markup as it is (for a list of points built by the caller).
     *
     * @param markup already escaped text
     * @return this
     */
    Svg raw(String markup) {
        out.append(markup);
        return this;
    }

    private void tag(String tag, Object... attributes) {
        if (attributes.length % 2 != 0) {
            throw new IllegalArgumentException("attributes come in name, value pairs: " + attributes.length);
        }
        out.append('<').append(tag);
        for (int i = 0; i < attributes.length; i += 2) {
            Object value = attributes[i + 1];
            if (value == null) {
                continue;
            }
            out.append(' ').append(attributes[i]).append("=\"").append(value(value)).append('"');
        }
    }

    private static String value(Object value) {
        if (value instanceof Double d) {
            return num(d);
        }
        if (value instanceof Float f) {
            return num(f);
        }
        return esc(value.toString());
    }

    /**
     * @param d a coordinate or length
     * @return it with one decimal, whatever the default locale
     */
    static String num(double d) {
        return String.format(Locale.ROOT, "%.1f", d);
    }

    /**
     * @param s text
     * @return it escaped for XML text and attribute values
     */
    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    // control characters other than tab, newline and return are not allowed in XML 1.0
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                        b.append('?');
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
