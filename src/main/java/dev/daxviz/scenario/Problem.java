package dev.daxviz.scenario;

/**
 * One thing wrong with a scenario, as the user reads it:
 * {@code file:line:col: key.path: what is wrong — how to fix it}.
 *
 * <p>Always one line: text quoted from the scenario (a value with a newline, a key with a tab) has its control
 * characters written as escapes ({@code \n}, {@code \t}, {@code \u0007}), and line and column are at least 1.
 */
public record Problem(String source, int line, int col, String path, String what, String fix) {

    public Problem {
        source = oneLine(source);
        line = Math.max(1, line);
        col = Math.max(1, col);
        path = oneLine(path);
        what = oneLine(what);
        fix = oneLine(fix);
    }

    /** {@code s} with line breaks and other control characters escaped (null stays null). */
    static String oneLine(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String esc = switch (c) {
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> "\\t";
                default -> c < 0x20 || c == 0x7f || c == 0x85 || c == '\u2028' || c == '\u2029'
                        ? String.format("\\u%04x", (int) c) : null;
            };
            if (esc != null && b == null) {
                b = new StringBuilder(s.substring(0, i));
            }
            if (b != null) {
                b.append(esc != null ? esc : String.valueOf(c));
            }
        }
        return b == null ? s : b.toString();
    }

    @Override
    public String toString() {
        return source + ":" + line + ":" + col + ": " + (path.isEmpty() ? "(document)" : path) + ": " + what
                + (fix == null || fix.isEmpty() ? "" : " — " + fix);
    }
}
