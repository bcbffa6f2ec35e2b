package dev.daxviz.engine;

import dev.daxviz.model.World;

import java.util.List;

/** The engine's answer: the step-by-step trace, the outcome, and the world after the event. */
public record Result(List<TraceStep> trace, Outcome outcome, World worldAfter) {
    public Result {
        trace = List.copyOf(trace);
    }
}
