package dev.daxviz.engine;

import dev.daxviz.model.KernelProfile;
import dev.daxviz.model.World;
import dev.daxviz.model.Xfs;

import java.util.List;

/**
 * Unbinding the pmem device under a mounted filesystem: {@code kill_dax} tells the holder about the whole device
 * (kernel-semantics.md §11). It does not go through memory_failure: no page, no "recovery action" line.
 */
final class DeviceRemoval {
    private final World world;
    private final FailureContext c;

    DeviceRemoval(World world) {
        this.world = world;
        this.c = new FailureContext(world);
    }

    Result run() {
        int rc = 0;
        KernelProfile.Removal how = c.profile.removal();
        Xfs fs = c.ed.fs();
        if (how == KernelProfile.Removal.NOT_NOTIFIED) {
            c.t.step(Kfn.KILL_DAX, 0, "The pmem device is unbound. This kernel has no holder notification: kill_dax "
                    + "marks the DAX device dead but tells no filesystem. Mappings keep pointing at memory that is "
                    + "going away, and nobody is signalled.");
        } else if (fs == null || fs.state() == Xfs.FsState.UNMOUNTED) {
            c.t.step(Kfn.KILL_DAX, 0, "The pmem device is unbound. No filesystem holds the DAX device, so there is "
                    + "nobody to notify.");
        } else {
            boolean preRemove = how == KernelProfile.Removal.PRE_REMOVE;
            c.t.step(Kfn.KILL_DAX, 0, "The pmem device is unbound. kill_dax tells the holder about the whole device "
                    + "(offset 0, length U64_MAX) with MF_MEM_PRE_REMOVE, before the memory goes away."
                    + (preRemove ? "" : " This kernel passes the notification on, but neither XFS nor mm knows the flag: "
                    + "the whole device is handled as if it had failed."));
            c.t.step(Kfn.DAX_HOLDER_NOTIFY_FAILURE, 1, "The DAX layer calls XFS's notify_failure.");
            rc = new XfsNotifyFailure(c).notify(2, world.device(), 0, Long.MAX_VALUE, true, preRemove);
            if (!preRemove && !c.ed.processes().isEmpty() && hadEntries()) {
                c.t.step(Kfn.KILL_DAX, 0, "Invalidating the mappings of the dead device trips a warning in "
                        + "dax_disassociate_entry.", List.of(),
                        List.of("WARNING: CPU: 0 PID: 0 at fs/dax.c:404 dax_disassociate_entry"));
            }
        }
        World after = c.ed.build();
        Outcome out = new Outcome("remove", null, 0, c.t.path(), c.owners, null, c.signals, c.oops, c.shutdown, rc, null,
                c.t.log());
        return new Result(c.t.steps(), out, after);
    }

    private boolean hadEntries() {
        return world.daxEntries().values().stream().anyMatch(m -> !m.isEmpty());
    }
}
