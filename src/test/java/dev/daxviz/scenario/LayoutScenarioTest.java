package dev.daxviz.scenario;

import dev.daxviz.engine.Engine;
import dev.daxviz.engine.FailureEvent;
import dev.daxviz.model.AllocationGroup;
import dev.daxviz.model.Extent;
import dev.daxviz.model.FsLayout;
import dev.daxviz.model.Geometry;
import dev.daxviz.model.Inode;
import dev.daxviz.model.KernelProfile;
import dev.daxviz.model.PmemDevice;
import dev.daxviz.model.Process;
import dev.daxviz.model.RmapOwner;
import dev.daxviz.model.RmapRecord;
import dev.daxviz.model.Sysctl;
import dev.daxviz.model.World;
import dev.daxviz.model.WorldEditor;
import dev.daxviz.model.Xfs;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A filesystem laid out elsewhere (as an import makes it) survives a scenario file, and its metadata is real. */
class LayoutScenarioTest {
    /** Two AGs of 1,000 blocks; the four headers in block 0 and the roots after them, as on a 512-byte-sector image. */
    private static final AllocationGroup.Roots ROOTS = new AllocationGroup.Roots(0, 0, 0, 0, 1, 2, 3, -1, 5, 6);
    private static final Geometry G = new Geometry(4096, 2000, 2, 1000, 10, 512, 3, 1, 20, 100);

    static World laidOut() {
        List<FsLayout.AgPlan> plans = new ArrayList<>();
        for (int agno = 0; agno < 2; agno++) {
            List<RmapRecord> meta = new ArrayList<>(List.of(RmapRecord.special(0, 1, RmapOwner.FS),
                    RmapRecord.special(1, 2, RmapOwner.AG), RmapRecord.special(3, 1, RmapOwner.INOBT),
                    RmapRecord.special(5, 1, RmapOwner.AG), RmapRecord.special(6, 1, RmapOwner.REFC),
                    RmapRecord.special(7, 6, RmapOwner.AG)));
            if (agno == 0) {
                meta.add(RmapRecord.special(16, 8, RmapOwner.INODES));
            } else {
                meta.add(RmapRecord.special(20, 100, RmapOwner.LOG));
            }
            plans.add(new FsLayout.AgPlan(agno, 1000, ROOTS, meta, agno == 0 ? List.of(16) : List.of()));
        }
        Inode root = new Inode(128, "/", 0, List.of(), List.of(), List.of(), false, false, false, false, false, false,
                Inode.Kind.DIRECTORY, new Inode.OnDisk(0, false, List.of(), 3));
        Inode dir = new Inode(133, "/d", 4096, List.of(new Extent(0, 13, 1, false)), List.of(), List.of(), false,
                false, false, false, false, false, Inode.Kind.DIRECTORY, new Inode.OnDisk(0, false, List.of(), 2));
        Inode a = new Inode(131, "/d/a", 16384, List.of(new Extent(0, 24, 4, false)), List.of(new Extent(0, 14, 1, false)),
                List.of(), false, false, true, false, false, false, Inode.Kind.REGULAR,
                new Inode.OnDisk(15, false, List.of(), 1));
        Inode b = new Inode(132, "/d/b", 16384, List.of(new Extent(0, 24, 2, false), new Extent(2, 1000 + 200, 2, true)),
                List.of(), List.of(), false, false, true, false, false, false, Inode.Kind.REGULAR,
                new Inode.OnDisk(0, false, List.of(), 1));
        Xfs fs = FsLayout.build(G, new FsLayout.Features(true, true, false, false, Xfs.DaxPolicy.ALWAYS,
                Xfs.FsState.MOUNTED, true), plans, List.of(root, dir, a, b), new TreeSet<>(List.of("/", "/d")),
                new TreeMap<>());
        WorldEditor ed = World.withFilesystem(KernelProfile.DEFAULT, PmemDevice.fsdax("pmem0", 2000 * 4096L,
                0x100000000L), null, null, fs, Sysctl.DEFAULTS, 0);
        ed.addProcess(101, "reader", Process.EarlyKill.EARLY, Process.OnSigbus.DIE);
        ed.map(101, "/d/a", 0, 16384, false, null);
        ed.touch(101, "/d/a", 0, 16384, false);
        return ed.build().check();
    }

    private static World reread(String yaml) {
        return ScenarioBuilder.build(ScenarioReader.read("t.yaml", yaml.getBytes(StandardCharsets.UTF_8)), null).world();
    }

    @Test
    void writingAndReadingBackGivesAnEqualWorld() {
        World w = laidOut();
        ScenarioWriter.Written out = ScenarioWriter.writeChecked(w, new ScenarioWriter.Header("img", "", 0));
        assertThat(out.warnings()).isEmpty();
        assertThat(out.yaml()).contains("    agBlocks: 1000", "sectorSize: 512", "type: directory", "unwritten: true",
                "forkoff: 15");
        assertThat(reread(out.yaml())).isEqualTo(w);
    }

    @Test
    void metadataPoisonResolvesToTheLaidOutRoot() {
        String yaml = ScenarioWriter.write(laidOut(), new ScenarioWriter.Header("img", "", 0))
                + "events:\n  - poison: {at: {metadata: rmapbt, agno: 1}}\n";
        BuiltScenario b = ScenarioBuilder.build(ScenarioReader.read("t.yaml", yaml.getBytes(StandardCharsets.UTF_8)),
                null);
        World w = b.world();
        long pfn = w.addressing().ofAg(1, 5).pfn();
        var result = Engine.run(w, FailureEvent.Poison.mce(pfn), w.profile());
        // kernel-semantics §6: a non-inode owner sets want_shutdown, the filesystem goes down, nobody is signalled
        assertThat(result.outcome().signals()).isEmpty();
        assertThat(result.outcome().shutdown()).isNotNull();
        assertThat(b.steps()).isNotEmpty();
    }

    @Test
    void aLayoutWhoseBlocksCollideIsRefusedWithItsPlace() {
        String yaml = ScenarioWriter.write(laidOut(), new ScenarioWriter.Header("img", "", 0))
                .replace("agno: 0, agbno: 14, length: 1}", "agno: 0, agbno: 6, length: 1}");
        assertThatThrownBy(() -> reread(yaml)).isInstanceOf(ScenarioException.class)
                .hasMessageContaining("filesystem.layout: the layout does not hold together")
                .hasMessageContaining("block 6 has 2 owners");
    }

    @Test
    void aFinobtPoisonOnAFilesystemWithoutOneSaysSo() {
        String yaml = ScenarioWriter.write(laidOut(), new ScenarioWriter.Header("img", "", 0))
                + "events:\n  - poison: {at: {metadata: finobt, agno: 0}}\n";
        assertThatThrownBy(() -> reread(yaml)).isInstanceOf(ScenarioException.class)
                .hasMessageContaining("this filesystem has no finobt");
    }
}
