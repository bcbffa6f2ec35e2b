package dev.daxviz.ui;

import dev.daxviz.model.FsOptions;
import dev.daxviz.model.KernelProfile;
import dev.daxviz.model.PmemDevice;
import dev.daxviz.model.Sysctl;
import dev.daxviz.model.Units;
import dev.daxviz.model.World;
import dev.daxviz.model.WorldEditor;
import dev.daxviz.scenario.Lessons;
import dev.daxviz.scenario.Scenario;
import dev.daxviz.scenario.ScenarioReader;
import dev.daxviz.scenario.Scenarios;

/**
 * Worlds for the UI tests. The reference machine is the one xfs-layout-reference.md measured: a 502 MiB fsdax
 * namespace at 0x40000000 with a 10 MiB reserve (fs block B is pfn 0x40a00 + B), 4 AGs of 32,128 blocks, the
 * internal log in AG 2 at agbno 10 … 16,393, the AGFL reserve after it at 16,394 … 16,399, AG 0's first inode
 * chunk at agbno 16–23 and the first file data at agbno 24.
 */
public final class UiWorlds {
    public static final long PHYS = 0x40000000L;
    /** First pfn of the namespace (the reserve starts here). */
    public static final long FIRST_PFN = 0x40000L;
    /** pfn of fs block 0. */
    public static final long DATA_PFN = 0x40a00L;
    public static final long RESERVE_PAGES = DATA_PFN - FIRST_PFN;
    public static final int AGBLOCKS = 32128;
    public static final int AGCOUNT = 4;
    public static final int LOG_AGNO = 2;
    public static final int LOG_AGBNO = 10;
    public static final int LOG_BLOCKS = 16384;

    private UiWorlds() {
    }

    public static WorldEditor reference() {
        return World.create(KernelProfile.DEFAULT, PmemDevice.fsdax("pmem0", 502 * Units.MiB, PHYS), FsOptions.defaults(),
                Sysctl.DEFAULTS, 1);
    }

    /** pfn of (agno, agbno) on the reference machine, by the spec's arithmetic. */
    public static long pfn(int agno, int agbno) {
        return DATA_PFN + (long) agno * AGBLOCKS + agbno;
    }

    /**
     * The reference machine with /data/a.bin (16 KiB, agbno 24–27 of AG 0, the spec's first file data), /data/b.bin a
     * reflink of it (so agbno 24–27 are shared), and /data/c.bin (16 KiB of its own).
     */
    public static World threeFiles() {
        WorldEditor e = reference();
        e.createFile(WorldEditor.FileSpec.of("/data/a.bin", 16 * Units.KiB));
        e.reflink("/data/a.bin", "/data/b.bin");
        e.createFile(WorldEditor.FileSpec.of("/data/c.bin", 16 * Units.KiB));
        return e.build().check();
    }

    /** A built-in lesson, read and built as the window opens it (MainWindow.openSource). */
    public static Session.State lesson(String name) {
        Scenarios.Source src = Scenarios.source(Lessons.PREFIX + name);
        Scenario sc = ScenarioReader.read(src.name(), src.content());
        KernelProfile p = KernelProfile.byId(sc.kernel()).orElse(KernelProfile.DEFAULT);
        return Session.build(sc, p);
    }
}
