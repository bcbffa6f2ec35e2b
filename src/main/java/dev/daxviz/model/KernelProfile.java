package dev.daxviz.model;

import java.util.List;
import java.util.Optional;

/**
 * A kernel version as data: the switches in which the memory-failure path differs between the kernels
 * DaxViz simulates (kernel-semantics.md §0). Code asks a switch, never a version number.
 *
 * @param id                       profile id used in scenarios ("5.17", "6.1", "6.12")
 * @param title                    one line for menus
 * @param holderOps                pgmap {@code memory_failure} op and dax holder notification exist (5.19+)
 * @param xfsDaxWithReflink        XFS mounts with dax and reflink together (6.0+)
 * @param association              how a fault associates a page with its owner (fs/dax.c)
 * @param invalidateOnCowWrite     write(2) CoW invalidates the file's DAX entries and PTEs ("fsdax: invalidate pages when CoW")
 * @param reflinkedInodeDaxFromDisk a reflinked inode read from disk may still be DAX (lifted in 6.2)
 * @param skipNonDaxInodes         {@code xfs_dax_failure_fn} skips inodes whose mapping is not DAX (6.7)
 * @param removal                  what unbinding the device under a mounted XFS does
 * @param inclusiveRangeEnd        {@code end = start + len - 1} in the rmap query range
 * @param daxLockFunction          name of the generic path's lock function
 * @param shutdownSite             where the metadata-hit shutdown is reported (function, line)
 * @param externalLogSite          where the external-log shutdown is reported (function, line)
 * @param experimentalDaxWarning   mount prints the EXPERIMENTAL DAX warning
 * @param mountLineHasUuid         the "Mounting V5 Filesystem" line names the UUID
 */
public record KernelProfile(
        String id,
        String title,
        boolean holderOps,
        boolean xfsDaxWithReflink,
        Association association,
        boolean invalidateOnCowWrite,
        boolean reflinkedInodeDaxFromDisk,
        boolean skipNonDaxInodes,
        Removal removal,
        boolean inclusiveRangeEnd,
        String daxLockFunction,
        CodeSite shutdownSite,
        CodeSite externalLogSite,
        boolean experimentalDaxWarning,
        boolean mountLineHasUuid) {

    /** How {@code dax_insert_entry} records a page's owner (kernel-semantics.md §2). */
    public enum Association {
        /** 5.17: page->mapping/index of the one owner. */
        SINGLE_OWNER,
        /** 6.1: CoW marker only on a write fault of a shared extent; a read fault through a second file warns and overwrites. */
        COW_MARKER_ON_WRITE_FAULT,
        /** 6.12: any fault of a shared extent marks the page shared and counts owners, and unmaps the index from the file's other mappings. */
        SHARED_MARKER_ON_ANY_FAULT
    }

    /** What happens when the pmem device is unbound under the filesystem (kernel-semantics.md §11). */
    public enum Removal {
        /** No notification reaches the filesystem. */
        NOT_NOTIFIED,
        /** The holder is notified but treats the whole device as failed memory. */
        TREATED_AS_FAILURE,
        /** {@code MF_MEM_PRE_REMOVE}: freeze, kill every mapper, forced unmount. */
        PRE_REMOVE
    }

    /** A place in the kernel source that a log line names. */
    public record CodeSite(String function, int line) {
    }

    public static final KernelProfile V5_17 = new KernelProfile("5.17",
            "5.17 — before the patchset: one owner through page->mapping",
            false, false, Association.SINGLE_OWNER, false, false, false, Removal.NOT_NOTIFIED, true,
            "dax_lock_page", null, null, true, false);

    public static final KernelProfile V6_1 = new KernelProfile("6.1",
            "6.1 LTS — the patchset as merged (default)",
            true, true, Association.COW_MARKER_ON_WRITE_FAULT, false, false, false, Removal.TREATED_AS_FAILURE, true,
            "dax_lock_page", new CodeSite("xfs_dax_notify_failure", 169), new CodeSite("xfs_dax_notify_failure", 201),
            true, false);

    public static final KernelProfile V6_12 = new KernelProfile("6.12",
            "6.12 — newest: shared pages counted, device removal, non-DAX inodes skipped",
            true, true, Association.SHARED_MARKER_ON_ANY_FAULT, true, true, true, Removal.PRE_REMOVE, true,
            "dax_lock_folio", new CodeSite("xfs_dax_notify_ddev_failure", 318), new CodeSite("xfs_dax_notify_failure", 225),
            false, true);

    public static final KernelProfile DEFAULT = V6_1;

    public static List<KernelProfile> all() {
        return List.of(V5_17, V6_1, V6_12);
    }

    public static Optional<KernelProfile> byId(String id) {
        return all().stream().filter(p -> p.id.equals(id)).findFirst();
    }

    public static String ids() {
        return String.join(", ", all().stream().map(KernelProfile::id).toList());
    }

    @Override
    public String toString() {
        return id;
    }
}
