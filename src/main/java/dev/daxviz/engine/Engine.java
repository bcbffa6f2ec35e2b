package dev.daxviz.engine;

import dev.daxviz.model.KernelProfile;
import dev.daxviz.model.World;

/**
 * The one entry point: (world, event, kernel profile) → trace + outcome + world after. A pure function: the
 * input world is never changed, and the same input gives an equal result.
 */
public final class Engine {
    private Engine() {
    }

    public static Result run(World world, FailureEvent event, KernelProfile profile) {
        World w = world.profile().equals(profile) ? world : world.withProfile(profile);
        if (event instanceof FailureEvent.Poison p) {
            return new MemoryFailure(w).run(p);
        }
        return new DeviceRemoval(w).run();
    }

    public static Result run(World world, FailureEvent event) {
        return run(world, event, world.profile());
    }
}
