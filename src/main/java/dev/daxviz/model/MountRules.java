package dev.daxviz.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What {@code xfs_fs_fill_super} says about a filesystem and mount options on a kernel (kernel-semantics.md §12). */
public final class MountRules {
    private MountRules() {
    }

    /** The kernel's refusal, with the log line it prints, if it refuses to mount. */
    public static Optional<String> refusal(KernelProfile profile, String devName, FsOptions fs) {
        String p = "XFS (" + devName + "): ";
        if (fs.rtDevice() != null && fs.reflink()) {
            return Optional.of(p + "reflink not compatible with realtime device!");
        }
        if (fs.rtDevice() != null && fs.rmapbt()) {
            return Optional.of(p + "reverse mapping btree not compatible with realtime device!");
        }
        if (!profile.xfsDaxWithReflink() && fs.reflink() && fs.dax() == Xfs.DaxPolicy.ALWAYS) {
            return Optional.of(p + "DAX and reflink cannot be used together!");
        }
        return Optional.empty();
    }

    /** The lines a successful mount prints. */
    public static List<String> mountLines(KernelProfile profile, String devName, FsOptions fs, String uuid) {
        String p = "XFS (" + devName + "): ";
        List<String> out = new ArrayList<>();
        if (fs.dax() == Xfs.DaxPolicy.ALWAYS && profile.experimentalDaxWarning()) {
            out.add(p + "DAX enabled. Warning: EXPERIMENTAL, use at your own risk");
        }
        out.add(p + "Mounting V5 Filesystem" + (profile.mountLineHasUuid() ? " " + uuid : ""));
        out.add(p + "Ending clean mount");
        return out;
    }
}
