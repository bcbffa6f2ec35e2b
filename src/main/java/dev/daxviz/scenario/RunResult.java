package dev.daxviz.scenario;

import dev.daxviz.engine.Result;
import dev.daxviz.model.World;

import java.util.List;

/**
 * A scenario run: the setup, one entry per event that ran, and the events that did not run because the
 * simulated kernel crashed before them.
 *
 * @param notRun indices of events after an oops or panic, which did not run
 */
public record RunResult(BuiltScenario built, List<EventRun> events, List<Integer> notRun, World finalWorld) {
    public RunResult {
        events = List.copyOf(events);
        notRun = List.copyOf(notRun);
    }

    public String title() {
        return built.scenario().title();
    }

    public String kernel() {
        return built.profile().id();
    }

    /**
     * One event that ran.
     *
     * @param result  the engine's result for poison and remove, else null
     * @param log     kernel lines the event printed
     * @param skipped why a model event could not be applied at run time (the process was killed by an earlier
     *                event, say), else null
     * @param worldAfter the world once this event has run (unchanged when it was skipped)
     */
    public record EventRun(int index, String kind, Result result, List<String> log, String skipped, World worldAfter) {
        public EventRun {
            log = List.copyOf(log);
        }
    }
}
