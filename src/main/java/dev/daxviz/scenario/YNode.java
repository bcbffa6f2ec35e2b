package dev.daxviz.scenario;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A node of a scenario document with the line and column where it starts, so that every validation message
 * can point at the exact place. Built by {@link YamlTree} from Jackson's streaming YAML parser.
 */
public sealed interface YNode permits YNode.YMap, YNode.YList, YNode.YScalar {

    int line();

    int col();

    /** What a reader calls this kind of value in a message ("a mapping", "a list", "a number", …). */
    String describe();

    /** A mapping; keys keep document order. Each entry remembers where its key was written. */
    record YMap(int line, int col, Map<String, Entry> entries) implements YNode {
        public YMap {
            entries = new LinkedHashMap<>(entries);
        }

        public YNode get(String key) {
            Entry e = entries.get(key);
            return e == null ? null : e.value();
        }

        public boolean has(String key) {
            return entries.containsKey(key);
        }

        public String describe() {
            return "a mapping";
        }
    }

    /** One {@code key: value} of a mapping. */
    record Entry(String key, int keyLine, int keyCol, YNode value) {
    }

    record YList(int line, int col, List<YNode> items) implements YNode {
        public YList {
            items = List.copyOf(items);
        }

        public String describe() {
            return "a list";
        }
    }

    /**
     * A scalar as written: its text and what YAML made of it.
     *
     * @param type  STRING, INT, FLOAT, BOOL or NULL (YAML's own reading of the plain scalar)
     * @param text  the text as written (without quotes)
     */
    record YScalar(int line, int col, Type type, String text) implements YNode {
        public enum Type { STRING, INT, FLOAT, BOOL, NULL }

        public String describe() {
            return switch (type) {
                case STRING -> "the text \"" + shorten(text) + "\"";
                case INT, FLOAT -> "the number " + shorten(text);
                case BOOL -> "the boolean " + text;
                case NULL -> "nothing (null)";
            };
        }

        private static String shorten(String s) {
            return s.length() > 40 ? s.substring(0, 37) + "..." : s;
        }
    }
}
