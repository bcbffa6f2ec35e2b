package dev.daxviz.engine;

import dev.daxviz.model.FsOptions;
import dev.daxviz.model.KernelProfile;
import dev.daxviz.model.PmemDevice;
import dev.daxviz.model.Process;
import dev.daxviz.model.Sysctl;
import dev.daxviz.model.Units;
import dev.daxviz.model.World;
import dev.daxviz.model.WorldEditor;

import java.util.List;

/** Small worlds for the spec's cases: a 256 MiB fsdax namespace at 4 GiB with XFS (reflink, rmapbt, dax=always). */
final class Fixture {
    static final long PHYS = 0x100000000L;
    static final long KiB4 = 4 * Units.KiB;

    private Fixture() {
    }

    static WorldEditor fresh(KernelProfile p) {
        return fresh(p, FsOptions.defaults(), Sysctl.DEFAULTS);
    }

    static WorldEditor fresh(KernelProfile p, FsOptions o, Sysctl s) {
        return World.create(p, PmemDevice.fsdax("pmem0", 256 * Units.MiB, PHYS), o, s, 0);
    }

    static void file(WorldEditor e, String path, long size) {
        e.createFile(WorldEditor.FileSpec.of(path, size));
    }

    /** A process mapping the whole of {@code path} (touched = all pages when {@code touch}). */
    static void mapper(WorldEditor e, int pid, String comm, Process.EarlyKill ek, String path, boolean touch) {
        mapper(e, pid, comm, ek, Process.OnSigbus.DIE, path, touch);
    }

    static void mapper(WorldEditor e, int pid, String comm, Process.EarlyKill ek, Process.OnSigbus on, String path,
                       boolean touch) {
        if (e.process(pid) == null) {
            e.addProcess(pid, comm, ek, on);
        }
        long size = Units.alignUp(e.inode(path).size(), Units.PAGE_SIZE);
        e.map(pid, path, 0, size, false, null);
        if (touch) {
            e.touch(pid, path, 0, size, false);
        }
    }

    static long pfnOf(World w, String path, long offset) {
        return w.addressing().ofFile(path, offset).pfn();
    }

    static Result mce(World w, String path, long offset) {
        return Engine.run(w, FailureEvent.Poison.mce(pfnOf(w, path, offset)));
    }

    static Result poison(World w, long pfn, FailureEvent.Source src, Integer pid) {
        return Engine.run(w, new FailureEvent.Poison(pfn, Units.PAGE_SIZE, src, pid));
    }

    static List<Integer> pids(Result r) {
        return r.outcome().signals().stream().map(Outcome.Signal::pid).toList();
    }

    static List<String> codes(Result r) {
        return r.outcome().signals().stream().map(Outcome.Signal::code).toList();
    }
}
