package dev.daxviz.cli;

import dev.daxviz.model.KernelProfile;
import dev.daxviz.scenario.Problem;
import dev.daxviz.scenario.ScenarioException;

import java.util.List;

/** The {@code --kernel ID} option's value. */
final class Kernels {
    private Kernels() {
    }

    static KernelProfile parse(String id) {
        if (id == null) {
            return null;
        }
        return KernelProfile.byId(id).orElseThrow(() -> new ScenarioException(List.of(new Problem("--kernel", 1, 1, "",
                "'" + id + "' is not a kernel profile", "use one of: " + KernelProfile.ids()))));
    }
}
