package dev.daxviz.scenario;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed, located access to one mapping of a scenario: every getter checks the value's type and range and
 * reports what is wrong (with the fix) instead of throwing; absent keys give the default. Unknown keys are
 * reported once, when the object is made, with the nearest valid key.
 */
final class Fields {
    private static final Pattern SIZE = Pattern.compile("(?i)^\\s*(0x[0-9a-f]+|[0-9]+)\\s*(b|kib|mib|gib|tib|pib)?\\s*$");
    private static final Pattern WRONG_SUFFIX = Pattern.compile("(?i)^\\s*[0-9]+\\s*(k|m|g|t|p|kb|mb|gb|tb|pb)\\s*$");

    final YNode.YMap map;
    final At at;
    final Problems pr;
    private final Map<String, At> located = new LinkedHashMap<>();

    private Fields(YNode.YMap map, At at, Problems pr) {
        this.map = map;
        this.at = at;
        this.pr = pr;
    }

    /** The mapping at {@code node}, or null (reported) if it is something else. */
    static Fields of(YNode node, String path, Problems pr, String what, List<String> allowed) {
        if (!(node instanceof YNode.YMap m)) {
            pr.add(At.of(path, node), "expected " + what + " (a mapping of keys), found " + node.describe(),
                    "write it as 'key: value' lines, for example " + example(allowed));
            return null;
        }
        Fields f = new Fields(m, At.of(path, m), pr);
        for (YNode.Entry e : m.entries().values()) {
            if (!allowed.contains(e.key())) {
                String sub = path.isEmpty() ? e.key() : path + "." + e.key();
                String near = nearest(e.key(), allowed);
                pr.add(e.keyLine(), e.keyCol(), sub, "unknown key '" + e.key() + "'",
                        (near != null ? "did you mean '" + near + "'? " : "") + "valid keys here: "
                                + String.join(", ", allowed));
            }
        }
        return f;
    }

    private static String example(List<String> allowed) {
        return allowed.isEmpty() ? "{}" : "'" + allowed.get(0) + ": ...'";
    }

    /** The closest key by edit distance (case-insensitive), if it is close enough to be a typo. */
    static String nearest(String key, List<String> candidates) {
        String best = null;
        int bestD = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(key.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT));
            if (d < bestD) {
                bestD = d;
                best = c;
            }
        }
        return best != null && bestD <= Math.max(2, best.length() / 3) ? best : null;
    }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    String path(String key) {
        return at.path().isEmpty() ? key : at.path() + "." + key;
    }

    boolean has(String key) {
        return map.has(key);
    }

    YNode raw(String key) {
        return map.get(key);
    }

    /** Where the value of {@code key} was written (the mapping itself when absent). */
    At at(String key) {
        YNode n = map.get(key);
        return n == null ? at : At.of(path(key), n);
    }

    /** Every key looked at so far with its place, for {@link Scenario.Locs}. */
    Scenario.Locs locs() {
        Map<String, At> m = new LinkedHashMap<>();
        for (YNode.Entry e : map.entries().values()) {
            m.put(e.key(), At.of(path(e.key()), e.value()));
        }
        m.putAll(located);
        return new Scenario.Locs(at, m);
    }

    boolean require(String key, String hint) {
        if (!map.has(key)) {
            pr.add(at, "the required key '" + key + "' is missing", hint);
            return false;
        }
        return true;
    }

    private boolean isNull(YNode n) {
        return n instanceof YNode.YScalar s && s.type() == YNode.YScalar.Type.NULL;
    }

    String str(String key, String def) {
        YNode n = map.get(key);
        if (n == null) {
            return def;
        }
        if (n instanceof YNode.YScalar s && s.type() != YNode.YScalar.Type.NULL) {
            return s.text();
        }
        pr.add(At.of(path(key), n), "expected text, found " + n.describe(), "write a value such as " + key + ": \"...\"");
        return def;
    }

    Boolean bool(String key, Boolean def) {
        YNode n = map.get(key);
        if (n == null) {
            return def;
        }
        if (n instanceof YNode.YScalar s && s.type() == YNode.YScalar.Type.BOOL
                && (s.text().equalsIgnoreCase("true") || s.text().equalsIgnoreCase("false"))) {
            return s.text().equalsIgnoreCase("true");
        }
        pr.add(At.of(path(key), n), "expected true or false, found " + n.describe(), "write " + key + ": true or "
                + key + ": false");
        return def;
    }

    /** A whole number in [min, max]. */
    Long integer(String key, Long def, long min, long max) {
        YNode n = map.get(key);
        if (n == null) {
            return def;
        }
        return integerOf(n, path(key), min, max, def);
    }

    Long integerOf(YNode n, String path, long min, long max, Long def) {
        At a = At.of(path, n);
        if (!(n instanceof YNode.YScalar s) || s.type() == YNode.YScalar.Type.NULL || s.type() == YNode.YScalar.Type.BOOL) {
            pr.add(a, "expected a whole number, found " + n.describe(), "write a number such as 4");
            return def;
        }
        if (s.type() == YNode.YScalar.Type.FLOAT) {
            pr.add(a, "expected a whole number, found " + n.describe(), "write it without a fraction");
            return def;
        }
        BigInteger v = parseInt(s.text().trim());
        if (v == null) {
            pr.add(a, "expected a whole number, found " + n.describe(), "write digits, or hex such as 0x1f");
            return def;
        }
        if (v.compareTo(BigInteger.valueOf(min)) < 0 || v.compareTo(BigInteger.valueOf(max)) > 0) {
            pr.add(a, "the number " + s.text().trim() + " is out of range", "use a value from " + min + " to " + max);
            return def;
        }
        return v.longValue();
    }

    Integer intval(String key, Integer def, int min, int max) {
        Long v = integer(key, def == null ? null : (long) def, min, max);
        return v == null ? null : (int) (long) v;
    }

    private static BigInteger parseInt(String t) {
        try {
            if (t.startsWith("0x") || t.startsWith("0X")) {
                return new BigInteger(t.substring(2), 16);
            }
            if (t.startsWith("-0x") || t.startsWith("-0X")) {
                return new BigInteger(t.substring(3), 16).negate();
            }
            return new BigInteger(t);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A size or offset in bytes: 4096, 0x1000, "4KiB", "2MiB", "1GiB". Must be in [min, max]. */
    Long size(String key, Long def, long min, long max) {
        YNode n = map.get(key);
        if (n == null) {
            return def;
        }
        return sizeOf(n, path(key), min, max, def, pr);
    }

    static Long sizeOf(YNode n, String path, long min, long max, Long def, Problems pr) {
        At a = At.of(path, n);
        String how = "write bytes (4096), hex (0x1000) or a binary size (\"4KiB\", \"2MiB\", \"1GiB\")";
        if (!(n instanceof YNode.YScalar s) || s.type() == YNode.YScalar.Type.NULL || s.type() == YNode.YScalar.Type.BOOL
                || s.type() == YNode.YScalar.Type.FLOAT) {
            pr.add(a, "expected a size, found " + n.describe(), how);
            return def;
        }
        String t = s.text().trim();
        if (t.startsWith("-")) {
            pr.add(a, "a size cannot be negative: " + t, how);
            return def;
        }
        Matcher m = SIZE.matcher(t);
        if (!m.matches()) {
            if (WRONG_SUFFIX.matcher(t).matches()) {
                pr.add(a, "'" + t + "' has a decimal or ambiguous unit", "use a binary suffix: B, KiB, MiB, GiB or TiB");
            } else {
                pr.add(a, "'" + t + "' is not a size", how);
            }
            return def;
        }
        String num = m.group(1);
        BigInteger v = num.toLowerCase(Locale.ROOT).startsWith("0x") ? new BigInteger(num.substring(2), 16)
                : new BigInteger(num);
        String suf = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
        int shift = switch (suf) {
            case "kib" -> 10;
            case "mib" -> 20;
            case "gib" -> 30;
            case "tib" -> 40;
            case "pib" -> 50;
            default -> 0;
        };
        v = v.shiftLeft(shift);
        if (v.compareTo(BigInteger.valueOf(max)) > 0) {
            pr.add(a, "the size " + t + " is too large", "use at most " + human(max));
            return def;
        }
        if (v.compareTo(BigInteger.valueOf(min)) < 0) {
            pr.add(a, "the size " + t + " is too small", "use at least " + human(min));
            return def;
        }
        return v.longValue();
    }

    static String human(long v) {
        return dev.daxviz.model.Units.human(v).replace(" ", "");
    }

    /** One of the named choices (case-sensitive, as the spec writes them). */
    <E> E choice(String key, E def, Map<String, E> choices) {
        YNode n = map.get(key);
        if (n == null) {
            return def;
        }
        if (n instanceof YNode.YScalar s && s.type() != YNode.YScalar.Type.NULL) {
            E e = choices.get(s.text());
            if (e != null) {
                return e;
            }
            String near = nearest(s.text(), new ArrayList<>(choices.keySet()));
            pr.add(At.of(path(key), n), "'" + s.text() + "' is not a valid " + key,
                    (near != null ? "did you mean '" + near + "'? " : "") + "use one of: "
                            + String.join(", ", choices.keySet()));
            return def;
        }
        pr.add(At.of(path(key), n), "expected one of " + String.join(", ", choices.keySet()) + ", found "
                + n.describe(), "write for example " + key + ": " + choices.keySet().iterator().next());
        return def;
    }

    /** The list at {@code key} (absent: empty), reported if it is not a list. */
    List<YNode> list(String key) {
        YNode n = map.get(key);
        if (n == null || isNull(n)) {
            return List.of();
        }
        if (n instanceof YNode.YList l) {
            return l.items();
        }
        pr.add(At.of(path(key), n), "expected a list, found " + n.describe(), "write each item on its own line "
                + "starting with '- '");
        return List.of();
    }
}
