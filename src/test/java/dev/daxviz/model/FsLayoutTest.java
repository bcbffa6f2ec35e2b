package dev.daxviz.model;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A filesystem laid out elsewhere: the rmap, refcounts and free space follow from the metadata and the inodes. */
class FsLayoutTest {
    /** Two AGs of 1,000 blocks, headers in block 0 as on a 512-byte-sector image. */
    private static final Geometry G = new Geometry(4096, 2000, 2, 1000, 10, 512, 3, 0, 20, 100);
    private static final AllocationGroup.Roots ROOTS_512 = new AllocationGroup.Roots(0, 0, 0, 0, 1, 2, 3, 4, 5, 6);

    private static List<FsLayout.AgPlan> plans() {
        List<RmapRecord> ag0 = List.of(RmapRecord.special(0, 1, RmapOwner.FS), RmapRecord.special(1, 2, RmapOwner.AG),
                RmapRecord.special(3, 2, RmapOwner.INOBT), RmapRecord.special(5, 1, RmapOwner.AG),
                RmapRecord.special(6, 1, RmapOwner.REFC), RmapRecord.special(7, 6, RmapOwner.AG),
                RmapRecord.special(16, 8, RmapOwner.INODES), RmapRecord.special(20 + 100, 0 + 4, RmapOwner.LOG));
        List<RmapRecord> ag1 = List.of(RmapRecord.special(0, 1, RmapOwner.FS), RmapRecord.special(1, 2, RmapOwner.AG),
                RmapRecord.special(3, 2, RmapOwner.INOBT), RmapRecord.special(5, 1, RmapOwner.AG),
                RmapRecord.special(6, 1, RmapOwner.REFC), RmapRecord.special(7, 6, RmapOwner.AG));
        return List.of(new FsLayout.AgPlan(0, 1000, ROOTS_512, ag0, List.of(16)),
                new FsLayout.AgPlan(1, 1000, ROOTS_512, ag1, List.of()));
    }

    private static Inode file(long ino, String path, List<Extent> data) {
        return new Inode(ino, path, data.stream().mapToLong(Extent::endoff).max().orElse(0) * 4096, data, List.of(),
                List.of(), false, false, false, false, false, false);
    }

    private static World world(List<Inode> inodes) {
        TreeSet<String> dirs = new TreeSet<>(List.of("/", "/d"));
        Xfs fs = FsLayout.build(G, new FsLayout.Features(true, true, false, false, Xfs.DaxPolicy.ALWAYS,
                Xfs.FsState.MOUNTED, true), plans(), inodes, dirs, new TreeMap<>());
        return World.withFilesystem(KernelProfile.DEFAULT, PmemDevice.fsdax("pmem0", 2000 * 4096L, 0x40000000L), null,
                null, fs, Sysctl.DEFAULTS, 0).build();
    }

    @Test
    void sharedBlocksGetRefcountsAndEverythingElseIsFree() {
        Inode a = file(131, "/a", List.of(new Extent(0, 24, 4, false)));
        Inode b = file(132, "/b", List.of(new Extent(0, 24, 2, false), new Extent(2, 1000 + 50, 2, true)));
        Inode dir = new Inode(133, "/d", 4096, List.of(new Extent(0, 13, 1, false)), List.of(), List.of(), false, false,
                false, false, false, false, Inode.Kind.DIRECTORY, null);
        World w = world(List.of(a, b, dir)).check();

        AllocationGroup ag0 = w.fs().ag(0);
        assertThat(ag0.refcounts()).isEqualTo(Map.of(24, 2, 25, 2));
        assertThat(ag0.free().firstEntry()).isEqualTo(Map.entry(14, 2)); // 13 is the directory's, 16–23 inodes
        assertThat(ag0.isFree(28)).isTrue();
        assertThat(ag0.rmap().queryRange(24, 24).records()).extracting(RmapRecord::owner).containsExactly(131L, 132L);
        assertThat(w.fs().ag(1).rmap().queryRange(50, 51).records()).singleElement()
                .satisfies(r -> assertThat(r.unwritten()).isTrue());
        assertThat(w.fs().paths()).containsOnlyKeys("/a", "/b");
        assertThat(w.fs().inode(133).kind()).isEqualTo(Inode.Kind.DIRECTORY);
        assertThat(ag0.inodesUsed()).isEqualTo(64); // new files of this world take a new chunk
    }

    @Test
    void attrForkBtreeBlocksAreOwnedWithBothFlags() {
        Inode.OnDisk disk = new Inode.OnDisk(15, false, List.of(300L), 1);
        Inode x = new Inode(131, "/x", 4096, List.of(new Extent(0, 24, 1, false)),
                List.of(new Extent(0, 301, 1, false), new Extent(5, 302, 1, false)), List.of(), false, false, false,
                false, false, false, Inode.Kind.REGULAR, disk);
        World w = world(List.of(x)).check();
        List<RmapRecord> recs = w.fs().ag(0).rmap().queryRange(300, 302).records();
        assertThat(recs).containsExactly(new RmapRecord(300, 1, 131, 0, true, true, false),
                new RmapRecord(301, 1, 131, 0, true, false, false), new RmapRecord(302, 1, 131, 5, true, false, false));
    }

    @Test
    void unlinkingOneHardLinkKeepsTheInodeUnderItsOtherName() {
        Inode a = new Inode(131, "/a", 16384, List.of(new Extent(0, 24, 4, false)), List.of(), List.of(), false, false,
                false, false, false, false, Inode.Kind.REGULAR, new Inode.OnDisk(0, false, List.of(), 2,
                List.of("/a", "/d/a2")));
        World w = world(List.of(a)).check();
        assertThat(w.fs().byPath("/d/a2")).isSameAs(w.fs().byPath("/a"));
        WorldEditor ed = w.edit();
        ed.unlink("/a");
        World after = ed.build().check();
        assertThat(after.fs().byPath("/a")).isNull();
        assertThat(after.fs().byPath("/d/a2").path()).isEqualTo("/d/a2");
        assertThat(after.fs().ag(0).isFree(24)).isFalse();
        ed = after.edit();
        ed.unlink("/d/a2");
        assertThat(ed.build().check().fs().ag(0).isFree(24)).isTrue();
    }

    @Test
    void aFileOnMetadataBreaksTheInvariants() {
        Inode a = file(131, "/a", List.of(new Extent(0, 6, 1, false)));
        assertThatThrownBy(() -> world(List.of(a)).check()).isInstanceOf(Invariants.Violation.class)
                .hasMessageContaining("block 6 has 2 owners but is not a shared data block");
    }

    @Test
    void metadataRecordsMustNameSpecialOwners() {
        List<RmapRecord> bad = new ArrayList<>(List.of(RmapRecord.data(0, 1, 131, 0, false)));
        assertThatThrownBy(() -> new FsLayout.AgPlan(0, 1000, ROOTS_512, bad, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("names an inode");
    }
}
