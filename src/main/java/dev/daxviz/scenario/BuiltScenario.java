package dev.daxviz.scenario;

import dev.daxviz.engine.FailureEvent;
import dev.daxviz.model.KernelProfile;
import dev.daxviz.model.World;

import java.util.List;

/**
 * A scenario that validated: the world after setup, the kernel lines setup printed, and the events ready to run
 * (model events as written, poison and removal resolved to engine events).
 */
public record BuiltScenario(Scenario scenario, KernelProfile profile, World world, List<String> setupLog,
                            List<Step> steps) {
    public BuiltScenario {
        setupLog = List.copyOf(setupLog);
        steps = List.copyOf(steps);
    }

    /** One event to run. */
    public sealed interface Step permits ModelStep, FailureStep {
        Scenario.EventDef def();
    }

    /** A write, touch, punch, unlink or exit: applied to the world with the model's editor. */
    public record ModelStep(Scenario.EventDef def) implements Step {
    }

    /** A poison or a device removal: run through the engine. */
    public record FailureStep(Scenario.EventDef def, FailureEvent event) implements Step {
    }
}
