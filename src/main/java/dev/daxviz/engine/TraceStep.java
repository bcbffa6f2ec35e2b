package dev.daxviz.engine;

import java.util.List;

/**
 * One step of the failure path: a kernel function entered (or continuing), at a call depth, what happens and
 * why in plain words, the entities it touches and the log lines it prints. A value: the UI animates by
 * indexing into the list of steps.
 *
 * @param depth call depth: memory_failure is 0, what it calls 1, …; the call-chain panel rebuilds the stack
 */
public record TraceStep(String function, String file, int depth, String narration, List<Touch> touches,
                        List<String> log) {
    public TraceStep {
        touches = List.copyOf(touches);
        log = List.copyOf(log);
    }
}
