package dev.daxviz.scenario;

import dev.daxviz.engine.Engine;
import dev.daxviz.engine.FailureEvent;
import dev.daxviz.engine.Result;
import dev.daxviz.model.ModelException;
import dev.daxviz.model.Process;
import dev.daxviz.model.World;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs a built scenario's events in order, threading the world: model events through the editor, poison and
 * removal through the engine (its {@code worldAfter} is the next event's world). After an event whose
 * outcome is an oops or a panic the machine is dead: later events do not run and are listed in
 * {@link RunResult#notRun()}.
 */
public final class ScenarioRunner {
    private ScenarioRunner() {
    }

    public static RunResult run(BuiltScenario b) {
        World w = b.world();
        List<RunResult.EventRun> out = new ArrayList<>();
        List<Integer> notRun = new ArrayList<>();
        boolean dead = false;
        for (BuiltScenario.Step s : b.steps()) {
            Scenario.EventDef def = s.def();
            if (dead) {
                notRun.add(def.index());
                continue;
            }
            if (s instanceof BuiltScenario.FailureStep f) {
                String skip = currentGone(w, f.event());
                if (skip != null) {
                    out.add(new RunResult.EventRun(def.index(), def.kind(), null, List.of(), skip, w));
                    continue;
                }
                Result r = Engine.run(w, f.event(), b.profile());
                w = r.worldAfter();
                out.add(new RunResult.EventRun(def.index(), def.kind(), r, r.outcome().log(), null, w));
                if (r.outcome().oops() != null) {
                    dead = true;
                }
            } else {
                try {
                    ModelEvents.Applied a = ModelEvents.apply(w, def);
                    w = a.world();
                    out.add(new RunResult.EventRun(def.index(), def.kind(), null, a.log(), null, w));
                } catch (ModelException e) {
                    // possible only through an earlier failure event (a process killed by SIGBUS, say)
                    out.add(new RunResult.EventRun(def.index(), def.kind(), null, List.of(), e.getMessage(), w));
                }
            }
        }
        return new RunResult(b, out, notRun, w);
    }

    /** Why a poison by a named task cannot happen any more (it died of an earlier SIGBUS), or null. */
    private static String currentGone(World w, FailureEvent e) {
        if (e instanceof FailureEvent.Poison p && p.pid() != null) {
            Process proc = w.process(p.pid()).orElse(null);
            if (proc != null && !proc.alive()) {
                return "process " + p.pid() + " (" + proc.comm() + ") is " + proc.state().id()
                        + ", so it cannot " + (p.source() == FailureEvent.Source.MADVISE ? "call madvise" : "touch the page");
            }
        }
        return null;
    }
}
