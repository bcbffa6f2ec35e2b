package dev.daxviz.scenario;

import dev.daxviz.model.ModelException;
import dev.daxviz.model.Process;
import dev.daxviz.model.World;
import dev.daxviz.model.WorldEditor;

import java.util.List;

/** Applies a scenario's model events (write, touch, punch, unlink, exit) to a world with the model's editor. */
final class ModelEvents {
    private ModelEvents() {
    }

    /** The applied event's world and the kernel lines it printed. */
    record Applied(World world, List<String> log) {
    }

    static Applied apply(World w, Scenario.EventDef e) {
        WorldEditor ed = w.edit();
        if (e instanceof Scenario.Write x) {
            if (x.pid() != null) {
                live(ed, x.pid());
            }
            ed.write(x.path(), x.offset(), x.length());
        } else if (e instanceof Scenario.Touch x) {
            live(ed, x.pid());
            ed.touch(x.pid(), x.path(), x.offset(), x.length(), x.write());
        } else if (e instanceof Scenario.Punch x) {
            ed.punch(x.path(), x.offset(), x.length());
        } else if (e instanceof Scenario.Unlink x) {
            ed.unlink(x.path());
        } else if (e instanceof Scenario.Exit x) {
            live(ed, x.pid());
            ed.endProcess(x.pid(), Process.State.EXITED);
        } else {
            throw new IllegalArgumentException("not a model event: " + e.kind());
        }
        List<String> log = ed.drainLog();
        return new Applied(ed.build(), log);
    }

    static Process live(WorldEditor ed, int pid) {
        Process p = ed.process(pid);
        if (p == null) {
            throw new ModelException("there is no process with pid " + pid);
        }
        if (!p.alive()) {
            throw new ModelException("process " + pid + " (" + p.comm() + ") is " + p.state().id());
        }
        return p;
    }
}
