package dev.daxviz.scenario;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects every problem of one scenario, so the user sees them all at once. */
final class Problems {
    private final String source;
    private final List<Problem> list = new ArrayList<>();

    Problems(String source) {
        this.source = source;
    }

    String source() {
        return source;
    }

    /** Said before every problem added while it is set: which file of a generated entry is being made. */
    private String context;

    void context(String c) {
        context = c;
    }

    void add(int line, int col, String path, String what, String fix) {
        Problem p = new Problem(source, line, col, path, context == null ? what : context + what, fix);
        if (!list.contains(p)) {
            list.add(p);
        }
    }

    void add(At at, String what, String fix) {
        add(at.line(), at.col(), at.path(), what, fix);
    }

    boolean isEmpty() {
        return list.isEmpty();
    }

    int size() {
        return list.size();
    }

    /** In document order (line, column), then in the order found. */
    List<Problem> sorted() {
        List<Problem> out = new ArrayList<>(list);
        out.sort(Comparator.comparingInt(Problem::line).thenComparingInt(Problem::col));
        return out;
    }

    void throwIfAny() {
        if (!list.isEmpty()) {
            throw new ScenarioException(sorted());
        }
    }
}
