package dev.daxviz.realkernel;

import java.util.List;

/** Quoting for the guest's busybox sh: every word the plan writes from scenario text goes through here. */
final class ShellWords {
    private ShellWords() {
    }

    /** {@code s} as one shell word: bare when it is plainly safe, else single-quoted. */
    static String quote(String s) {
        if (!s.isEmpty() && s.chars().allMatch(c -> Character.isLetterOrDigit(c) && c < 128 || "/._-+,:=@".indexOf(c) >= 0)) {
            return s;
        }
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** A command line: the words quoted and joined by spaces. */
    static String line(List<String> words) {
        StringBuilder b = new StringBuilder();
        for (String w : words) {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(quote(w));
        }
        return b.toString();
    }

    static String line(String... words) {
        return line(List.of(words));
    }
}
