package dev.daxviz.engine;

import dev.daxviz.model.Inode;
import dev.daxviz.model.KernelProfile;
import dev.daxviz.model.PageState;
import dev.daxviz.model.Process;
import dev.daxviz.model.Units;
import dev.daxviz.model.World;
import dev.daxviz.model.WorldEditor;
import dev.daxviz.model.Xfs;

import java.util.ArrayList;
import java.util.List;

/** The state one failure event threads through the kernel functions: the world being changed, what was found and sent. */
final class FailureContext {
    final World before;
    final WorldEditor ed;
    final KernelProfile profile;
    final Tracer t = new Tracer();
    final List<Outcome.Owner> owners = new ArrayList<>();
    /** Inodes already in {@link #owners} with their data fork (a set: a page 1,000 files share has 1,000). */
    final java.util.Set<Long> dataOwners = new java.util.HashSet<>();
    final List<Outcome.Signal> signals = new ArrayList<>();
    /** pid of {@code current}, or null when no user task is current. */
    Integer currentPid;
    Outcome.Shutdown shutdown;
    Outcome.Oops oops;
    /** The struct page the kernel last acted on (a PMD entry's head, a stale entry's old page). */
    Long actedPfn;

    FailureContext(World world) {
        this.before = world;
        this.ed = world.edit();
        this.profile = world.profile();
    }

    String devName() {
        return before.device().name();
    }

    String xfsPrefix() {
        return "XFS (" + devName() + "): ";
    }

    String pathOf(long ino) {
        if (ino == PageState.DEVDAX_OWNER) {
            return "/dev/dax0.0";
        }
        Inode i = ed.inode(ino);
        return i == null ? "inode " + ino : i.path();
    }

    Process process(int pid) {
        return ed.process(pid);
    }

    boolean isCurrent(Process p) {
        return currentPid != null && currentPid == p.pid();
    }

    static String hex(long v) {
        return Units.hex(v);
    }

    /** {@code xfs_do_force_shutdown}: the fs goes down once; a second call is silent. */
    void forceShutdown(int depth, String reason, int flags, String why, String function, int line, List<String> pre) {
        Xfs.FsState st = ed.fsState();
        if (st == Xfs.FsState.SHUTDOWN) {
            t.step(Kfn.XFS_FORCE_SHUTDOWN, depth, "The filesystem is already shut down, so xfs_force_shutdown returns "
                    + "at once and prints nothing.");
            return;
        }
        List<String> lines = new ArrayList<>(pre);
        String msg = xfsPrefix() + why + " (0x" + Integer.toHexString(flags) + ") detected at " + function
                + " (fs/xfs/xfs_notify_failure.c:" + line + ").  Shutting down filesystem.";
        lines.add(msg);
        lines.add(xfsPrefix() + "Please unmount the filesystem and rectify the problem(s)");
        ed.setFsState(Xfs.FsState.SHUTDOWN, reason);
        shutdown = new Outcome.Shutdown(reason, msg);
        t.step(Kfn.XFS_FORCE_SHUTDOWN, depth, "XFS shuts the filesystem down (" + reason + "): every later operation on "
                + "it fails with EIO until it is unmounted and repaired. No process is signalled for this.",
                List.of(), lines);
    }
}
