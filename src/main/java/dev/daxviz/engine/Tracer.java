package dev.daxviz.engine;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Collects trace steps, the kernel log and the path of functions entered, in order. */
final class Tracer {
    private final List<TraceStep> steps = new ArrayList<>();
    private final List<String> log = new ArrayList<>();
    private final Set<String> path = new LinkedHashSet<>();

    void step(Kfn fn, int depth, String narration, List<Touch> touches, List<String> lines) {
        steps.add(new TraceStep(fn.fname, fn.file, depth, narration, touches, lines));
        log.addAll(lines);
        if (fn.onPath) {
            path.add(fn.fname);
        }
    }

    void step(Kfn fn, int depth, String narration, List<Touch> touches) {
        step(fn, depth, narration, touches, List.of());
    }

    void step(Kfn fn, int depth, String narration) {
        step(fn, depth, narration, List.of(), List.of());
    }

    /** A step whose function is named directly (the fault-path warning of a different function, say). */
    void printLog(List<String> lines) {
        log.addAll(lines);
    }

    List<TraceStep> steps() {
        return steps;
    }

    List<String> log() {
        return log;
    }

    List<String> path() {
        return new ArrayList<>(path);
    }
}
