package dev.daxviz.bench;

import dev.daxviz.model.FsOptions;
import dev.daxviz.model.Inode;
import dev.daxviz.model.KernelProfile;
import dev.daxviz.model.PmemDevice;
import dev.daxviz.model.Process;
import dev.daxviz.model.Sysctl;
import dev.daxviz.model.Units;
import dev.daxviz.model.World;
import dev.daxviz.model.WorldEditor;
import dev.daxviz.model.WorldEditor.FileSpec;

/**
 * The worlds the benchmarks share: the 1 TiB model-benchmark world (issue 3) and a page shared by many reflinked
 * files, each mapped by its own early-kill process (issue 4).
 */
public final class BigWorlds {
    public static final long DEVICE = Units.TiB;
    public static final int FILES = 100_000;
    public static final int EXTENTS = 1_000_000;
    /** One file in ten is a whole-file reflink of the file before it. */
    public static final int CLONE_EVERY = 10;
    public static final int BLOCKS_PER_EXTENT = 4;

    /** Path of the file the shared-page world clones; its block 0 is the shared page. */
    public static final String SHARED_SOURCE = "/shared/f0";
    /** Size of each file of the shared-page world: small, so every process maps and touches all of it. */
    public static final long SHARED_FILE_SIZE = 16 * Units.KiB;
    /** pid of the process that maps file {@code k} of the shared-page world. */
    public static final int FIRST_PID = 1000;

    private BigWorlds() {
    }

    /**
     * The 1 TiB world: 4 AGs, 90,000 fragmented files of 10 extents spread over the AGs, and 10,000 whole-file
     * clones (100,000 files, 1,000,000 data extents). No processes.
     */
    public static World terabyte() {
        WorldEditor e = World.create(KernelProfile.DEFAULT, PmemDevice.fsdax("pmem0", DEVICE, 0x40000000L),
                FsOptions.defaults(), Sysctl.DEFAULTS, 1);
        int perFile = EXTENTS / FILES;
        int made = 0;
        for (int i = 0; made < FILES; i++) {
            String path = terabytePath(i);
            e.createFile(FileSpec.of(path, (long) perFile * BLOCKS_PER_EXTENT * Units.PAGE_SIZE).fragmented(perFile)
                    .inAg(i % 4));
            made++;
            if (made < FILES && made % CLONE_EVERY == CLONE_EVERY - 1) {
                e.reflink(path, path + ".clone");
                made++;
            }
        }
        return e.build();
    }

    /** The path of the {@code i}-th original (non-clone) file of {@link #terabyte()}. */
    public static String terabytePath(int i) {
        return "/d" + (i % 100) + "/f" + i;
    }

    /**
     * A 1 GiB world (kernel {@code profile}) where {@code files} files share every block: {@link #SHARED_SOURCE}
     * and {@code files - 1} reflink clones of it. File {@code k} is mapped whole (shared, 4 KiB pages) by process
     * {@code FIRST_PID + k}, which chose early kill (PR_MCE_KILL_EARLY) and has read every page of it.
     */
    public static World sharedPage(KernelProfile profile, int files) {
        WorldEditor e = World.create(profile, PmemDevice.fsdax("pmem0", Units.GiB, 0x40000000L), FsOptions.defaults(),
                Sysctl.DEFAULTS, 1);
        e.createFile(FileSpec.of(SHARED_SOURCE, SHARED_FILE_SIZE));
        for (int k = 1; k < files; k++) {
            e.reflink(SHARED_SOURCE, sharedPath(k));
        }
        for (int k = 0; k < files; k++) {
            int pid = FIRST_PID + k;
            String path = sharedPath(k);
            e.addProcess(pid, "mapper-" + k, Process.EarlyKill.EARLY, Process.OnSigbus.DIE);
            e.map(pid, path, 0, SHARED_FILE_SIZE, false, null);
            e.touch(pid, path, 0, SHARED_FILE_SIZE, false);
        }
        e.drainLog();
        return e.build();
    }

    /** File {@code k} of {@link #sharedPage}: the source for 0, its clones after. */
    public static String sharedPath(int k) {
        return k == 0 ? SHARED_SOURCE : "/shared/f" + k;
    }

    /** The pfn of file block {@code block} of {@code path} (a data page of the file). */
    public static long pfnOf(World w, String path, long block) {
        Inode i = w.fs().byPath(path);
        if (i == null) {
            throw new IllegalArgumentException("no file " + path);
        }
        return w.addressing().ofFile(path, block * Units.PAGE_SIZE).pfn();
    }
}
