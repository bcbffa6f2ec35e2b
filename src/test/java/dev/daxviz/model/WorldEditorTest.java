package dev.daxviz.model;

import static dev.daxviz.model.TestWorlds.data;
import static dev.daxviz.model.TestWorlds.inode;
import static dev.daxviz.model.TestWorlds.rmap;
import static dev.daxviz.model.TestWorlds.special;
import static dev.daxviz.model.TestWorlds.vma;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.daxviz.model.AllocationGroup.RefcountRecord;
import dev.daxviz.model.WorldEditor.FileSpec;
import dev.daxviz.model.WorldEditor.Placement;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Every editor operation on the reference machine (502 MiB at 0x40000000: fs block B = pfn 0x40a00 + B), with
 * {@link World#check()} after each. Expected values are the reference's (xfs-layout-reference.md) and
 * kernel-semantics.md §2's.
 */
class WorldEditorTest {
    static final long K4 = 4096;
    static final long BASE_PFN = 0x40a00;
    static final KernelProfile V61 = KernelProfile.V6_1;
    static final KernelProfile V612 = KernelProfile.V6_12;

    /** A snapshot of the edit so far, checked. */
    static World ok(WorldEditor e) {
        return e.peek().check();
    }

    static long pfn(long fsblock) {
        return BASE_PFN + fsblock;
    }

    /** a = 131 (16 KiB at agbno 24–27), b = 132 and c = 133 clones of it. */
    static WorldEditor abc(KernelProfile p) {
        WorldEditor e = TestWorlds.reference(p);
        e.createFile(FileSpec.of("/a", 16 * 1024));
        ok(e);
        e.reflink("/a", "/b");
        ok(e);
        e.reflink("/a", "/c");
        ok(e);
        return e;
    }

    static int addMapper(WorldEditor e, int pid, String path) {
        e.addProcess(pid, "p" + pid, Process.EarlyKill.EARLY, Process.OnSigbus.DIE);
        ok(e);
        e.map(pid, path, 0, inode(e.peek(), path).size(), false, null);
        ok(e);
        return pid;
    }

    @Test
    void peekIsASnapshotLaterEditsDoNotChange() {
        WorldEditor e = TestWorlds.reference(V61);
        e.createFile(FileSpec.of("/a", 8192));
        ok(e);
        e.addProcess(10, "p", Process.EarlyKill.DEFAULT, Process.OnSigbus.DIE);
        ok(e);
        e.map(10, "/a", 0, 8192, false, null);
        ok(e);
        e.touch(10, "/a", 0, 4096, false);
        World w1 = ok(e);
        World copy = TestWorlds.deepCopy(w1);
        assertThat(copy).isEqualTo(w1);
        e.createFile(FileSpec.of("/b", 8192));
        ok(e);
        e.touch(10, "/a", 4096, 4096, false);
        ok(e);
        e.punch("/a", 0, 4096);
        ok(e);
        e.unlink("/b");
        ok(e);
        e.setHwpoison(pfn(25), true);
        World w2 = ok(e);
        assertThat(w1).isEqualTo(copy);
        assertThat(w1.fs().byPath("/b")).isNull();
        assertThat(w1.entriesOf(131)).containsOnlyKeys(0L);
        assertThat(w2.entriesOf(131)).containsOnlyKeys(1L);
        w1.check();
    }

    @Nested
    class CreateFile {
        @Test
        void sizeRoundsUpToBlocks() {
            WorldEditor e = TestWorlds.reference(V61);
            Inode i = e.createFile(FileSpec.of("/x", 10_000));
            World w = ok(e);
            assertThat(i.size()).isEqualTo(10_000);
            assertThat(i.blocks()).isEqualTo(3);
            assertThat(inode(w, "/x").dataExtents()).containsExactly(new Extent(0, 24, 3, false));
            assertThat(inode(w, "/x").incore()).isTrue();
            assertThat(inode(w, "/x").dax()).isTrue();
            assertThat(w.fs().paths()).containsEntry("/x", 131L);
        }

        @Test
        void inAnotherAg() {
            WorldEditor e = TestWorlds.reference(V61);
            Inode i = e.createFile(FileSpec.of("/x", 8192).inAg(2));
            World w = ok(e);
            Geometry g = w.fs().geometry();
            assertThat(g.agnoOfIno(i.ino())).isEqualTo(2);
            Extent x = i.dataExtents().get(0);
            assertThat(g.agnoOf(x.startblock())).isEqualTo(2);
            // after the log and its AGFL blocks: AG 2's free space starts at 16,400
            assertThat(g.agbnoOf(x.startblock())).isGreaterThanOrEqualTo(16_400);
            assertThat(rmap(w, 2, g.agbnoOf(x.startblock()), g.agbnoOf(x.startblock())))
                    .containsExactly(data(g.agbnoOf(x.startblock()), 2, i.ino(), 0));
        }

        @Test
        void alignedFileStartsOnA2MiBPhysicalBoundary() {
            WorldEditor e = TestWorlds.reference(V61);
            e.createFile(FileSpec.of("/small", 4096));
            ok(e);
            Inode i = e.createFile(FileSpec.of("/big", 8 * Units.MiB).aligned(2 * Units.MiB));
            World w = ok(e);
            assertThat(i.dataExtents()).hasSize(1);
            Extent x = i.dataExtents().get(0);
            assertThat(x.blockcount()).isEqualTo(2048);
            Address a = w.addressing().ofFsblock(x.startblock());
            assertThat(a.physAddr() % (2 * Units.MiB)).isZero();
            assertThat(a.pfn() % 512).isZero();
            // every 2 MiB of the file is one aligned run of 512 pages
            for (long off = 0; off < 8 * Units.MiB; off += 2 * Units.MiB) {
                assertThat(w.addressing().ofFile("/big", off).physAddr() % (2 * Units.MiB)).isZero();
            }
        }

        @Test
        void fragmentsGiveManyExtentsAndBmbtBlocksPast21() {
            WorldEditor e = TestWorlds.reference(V61);
            Inode f21 = e.createFile(FileSpec.of("/f21", 42 * K4).fragmented(21));
            ok(e);
            Inode f22 = e.createFile(FileSpec.of("/f22", 44 * K4).fragmented(22));
            ok(e);
            Inode f300 = e.createFile(FileSpec.of("/f300", 300 * K4).fragmented(300));
            World w = ok(e);
            assertThat(f21.dataExtents()).hasSize(21);
            assertThat(f21.bmbtBlocks()).isEmpty();
            assertThat(f22.dataExtents()).hasSize(22);
            assertThat(f22.bmbtBlocks()).hasSize(1);
            // (4096 − 72) / 16 = 251 records per bmbt leaf
            assertThat(f300.dataExtents()).hasSize(300);
            assertThat(f300.bmbtBlocks()).hasSize(2);
            assertThat(f300.blocks()).isEqualTo(300);
            // extents are contiguous in the file, apart on disk
            long off = 0;
            for (Extent x : f22.dataExtents()) {
                assertThat(x.startoff()).isEqualTo(off);
                off = x.endoff();
            }
            for (long b : f22.bmbtBlocks()) {
                int agbno = w.fs().geometry().agbnoOf(b);
                assertThat(rmap(w, 0, agbno, agbno))
                        .containsExactly(new RmapRecord(agbno, 1, f22.ino(), 0, false, true, false));
            }
        }

        @Test
        void xattrBlocksGetAnAttrForkRecord() {
            WorldEditor e = TestWorlds.reference(V61);
            Inode i = e.createFile(FileSpec.of("/x", 4096).withXattrBlocks(2));
            World w = ok(e);
            assertThat(i.attrExtents()).hasSize(1);
            Extent attr = i.attrExtents().get(0);
            assertThat(attr.blockcount()).isEqualTo(2);
            int agbno = w.fs().geometry().agbnoOf(attr.startblock());
            List<RmapRecord> recs = rmap(w, 0, agbno, agbno + 1);
            assertThat(recs).containsExactly(new RmapRecord(agbno, 2, i.ino(), 0, true, false, false));
            assertThat(recs.get(0).attrFork()).isTrue();
            assertThat(i.inlineExtentCapacity()).isEqualTo(18);
        }

        @Test
        void impossibleCreatesThrow() {
            WorldEditor e = TestWorlds.reference(V61);
            e.createFile(FileSpec.of("/d/x", 4096));
            ok(e);
            assertThatThrownBy(() -> e.createFile(FileSpec.of("/d/x", 4096))).isInstanceOf(ModelException.class);
            assertThatThrownBy(() -> e.createFile(FileSpec.of("/d", 4096))).isInstanceOf(ModelException.class);
            assertThatThrownBy(() -> e.createFile(FileSpec.of("/d/x/y", 4096))).isInstanceOf(ModelException.class);
            assertThatThrownBy(() -> e.createFile(FileSpec.of("rel", 4096))).isInstanceOf(ModelException.class);
            assertThatThrownBy(() -> e.createFile(FileSpec.of("/y", 4096).inAg(4))).isInstanceOf(ModelException.class);
            assertThatThrownBy(() -> e.createFile(FileSpec.of("/y1", 2 * K4).fragmented(3))).isInstanceOf(ModelException.class);
            // (an editor that threw is half-way through the operation: callers discard it)
            WorldEditor e2 = TestWorlds.reference(V61);
            assertThatThrownBy(() -> e2.createFile(FileSpec.of("/y2", 600 * Units.MiB))).isInstanceOf(ModelException.class)
                    .hasMessageContaining("no space");
        }
    }

    @Nested
    class PlaceFile {
        @Test
        void exactExtentsWithHoles() {
            WorldEditor e = TestWorlds.reference(V61);
            Inode i = e.placeFile("/p", List.of(new Placement(0, 0, 100, 2), new Placement(4, 1, 50, 1)), null, false);
            World w = ok(e);
            assertThat(i.dataExtents()).containsExactly(new Extent(0, 100, 2, false), new Extent(4, 32_128 + 50, 1, false));
            assertThat(i.size()).isEqualTo(5 * K4);
            assertThat(rmap(w, 0, 100, 101)).containsExactly(data(100, 2, i.ino(), 0));
            assertThat(rmap(w, 1, 50, 50)).containsExactly(data(50, 1, i.ino(), 4));
            assertThat(w.addressing().ofFile("/p", 2 * K4)).isNull();
            assertThat(w.fs().ag(0).isFree(100)).isFalse();
            assertThat(w.fs().ag(0).isFree(99)).isTrue();
            Inode sized = e.placeFile("/q", List.of(new Placement(0, 0, 200, 1)), 100L, false);
            ok(e);
            assertThat(sized.size()).isEqualTo(100);
            ok(e);
        }

        @Test
        void overlappingAnInUseBlockNamesTheOwner() {
            WorldEditor e = TestWorlds.reference(V61);
            e.createFile(FileSpec.of("/a", 16 * 1024));
            ok(e);
            assertThatThrownBy(() -> e.placeFile("/p", List.of(new Placement(0, 0, 26, 4)), null, false))
                    .isInstanceOf(ModelException.class).hasMessageContaining("26").hasMessageContaining("/a");
            assertThatThrownBy(() -> e.placeFile("/q", List.of(new Placement(0, 0, 9, 1)), null, false))
                    .isInstanceOf(ModelException.class).hasMessageContaining("refcount btree");
            assertThatThrownBy(() -> e.placeFile("/r", List.of(new Placement(0, 2, 100, 1)), null, false))
                    .isInstanceOf(ModelException.class).hasMessageContaining("log");
            assertThatThrownBy(() -> e.placeFile("/s", List.of(new Placement(0, 0, 32_127, 2)), null, false))
                    .isInstanceOf(ModelException.class);
            assertThatThrownBy(() -> e.placeFile("/t", List.of(new Placement(0, 7, 1, 1)), null, false))
                    .isInstanceOf(ModelException.class);
        }
    }

    @Nested
    class Reflink {
        @Test
        void wholeFileCloneOneRecordPerOwnerRefcountIsOwners() {
            World w = ok(abc(V61));
            assertThat(inode(w, "/b").ino()).isEqualTo(132);
            assertThat(inode(w, "/c").ino()).isEqualTo(133);
            assertThat(rmap(w, 0, 24, 27)).containsExactly(data(24, 4, 131, 0), data(24, 4, 132, 0), data(24, 4, 133, 0));
            assertThat(w.fs().ag(0).refcountRecords()).containsExactly(new RefcountRecord(24, 4, 3));
            assertThat(w.fs().ag(0).refcountOf(25)).isEqualTo(3);
            assertThat(w.fs().ag(0).refcountOf(24 + 4)).isZero();
            assertThat(w.fs().ag(0).refcountOf(16)).isEqualTo(1);
            for (String f : List.of("/a", "/b", "/c")) {
                assertThat(inode(w, f).reflinked()).isTrue();
                assertThat(inode(w, f).dataExtents()).containsExactly(new Extent(0, 24, 4, false));
                assertThat(inode(w, f).size()).isEqualTo(16 * 1024);
            }
            // no new data blocks: AG 0 free space as after the first file
            assertThat(w.fs().ag(0).freeBlocks()).isEqualTo(32_128 - 28);
        }

        @Test
        void withoutReflinkItIsRefused() {
            WorldEditor e = World.create(V61, PmemDevice.fsdax("pmem0", 502 * Units.MiB, TestWorlds.PHYS),
                    FsOptions.defaults().withReflink(false), Sysctl.DEFAULTS, 1);
            e.createFile(FileSpec.of("/a", 4096));
            ok(e);
            assertThatThrownBy(() -> e.reflink("/a", "/b")).isInstanceOf(ModelException.class);
            assertThatThrownBy(() -> e.reflink("/nope", "/b")).isInstanceOf(ModelException.class);
        }

        @Test
        void cloneRangeAsTheReference() {
            // a 16 KiB at 24–27; c 16 KiB written first at 28–31; FICLONERANGE a[0, 8K) → c at 4K
            WorldEditor e = TestWorlds.reference(V61);
            e.createFile(FileSpec.of("/a", 16 * 1024));
            ok(e);
            Inode c0 = e.createFile(FileSpec.of("/c", 16 * 1024));
            World before = ok(e);
            assertThat(c0.dataExtents()).containsExactly(new Extent(0, 28, 4, false));
            Inode c = e.reflinkRange("/a", 0, 8192, "/c", 4096);
            World w = ok(e);
            // c's block 0 → 28 (its own), 1–2 → 24–25 (a's 0–1), 3 → 31 (its own)
            assertThat(c.dataExtents()).containsExactly(new Extent(0, 28, 1, false), new Extent(1, 24, 2, false),
                    new Extent(3, 31, 1, false));
            assertThat(w.addressing().ofFile("/c", 4096).agbno()).isEqualTo(24);
            assertThat(w.addressing().ofFile("/c", 8192).agbno()).isEqualTo(25);
            // the rmap record for c at agbno 24 has file offset 1
            assertThat(rmap(w, 0, 24, 31)).containsExactly(data(24, 4, 131, 0), data(24, 2, c.ino(), 1),
                    data(28, 1, c.ino(), 0), data(31, 1, c.ino(), 3));
            assertThat(w.fs().ag(0).refcountRecords()).containsExactly(new RefcountRecord(24, 2, 2));
            // c's displaced blocks 29–30 are free again
            assertThat(w.fs().ag(0).isFree(29)).isTrue();
            assertThat(w.fs().ag(0).isFree(30)).isTrue();
            assertThat(w.fs().ag(0).freeBlocks()).isEqualTo(before.fs().ag(0).freeBlocks() + 2);
            assertThat(inode(w, "/a").reflinked()).isTrue();
            assertThat(c.reflinked()).isTrue();
            assertThat(c.size()).isEqualTo(16 * 1024);
            // a's page 1 is c's page 2 (§14 case 9: a's mapper at 4096, c's at 8192)
            assertThat(w.addressing().ofFile("/c", 8192).pfn()).isEqualTo(w.addressing().ofFile("/a", 4096).pfn());
        }

        @Test
        void cloneRangeRulesAndGrowth() {
            WorldEditor e = TestWorlds.reference(V61);
            e.createFile(FileSpec.of("/a", 16 * 1024));
            ok(e);
            e.createFile(FileSpec.of("/c", 4096));
            ok(e);
            assertThatThrownBy(() -> e.reflinkRange("/a", 1, 4096, "/c", 0)).isInstanceOf(ModelException.class);
            assertThatThrownBy(() -> e.reflinkRange("/a", 0, 0, "/c", 0)).isInstanceOf(ModelException.class);
            assertThatThrownBy(() -> e.reflinkRange("/a", 12 * 1024, 8192, "/c", 0)).isInstanceOf(ModelException.class);
            // cloning past the end of the destination grows it
            Inode c = e.reflinkRange("/a", 8192, 8192, "/c", 8192);
            ok(e);
            assertThat(c.size()).isEqualTo(16 * 1024);
            assertThat(c.dataExtents()).containsExactly(new Extent(0, 28, 1, false), new Extent(2, 26, 2, false));
        }
    }

    @Nested
    class Write {
        @Test
        void copyOnWriteGivesANewBlockAndSplitsTheExtentMap() {
            WorldEditor e = abc(V61);
            Inode b = e.write("/b", 4096, 4096);
            World w = ok(e);
            // "b got a new block, its extent map split into three extents, and a's and c's records stayed"
            assertThat(b.dataExtents()).hasSize(3);
            assertThat(b.dataExtents().get(0)).isEqualTo(new Extent(0, 24, 1, false));
            assertThat(b.dataExtents().get(2)).isEqualTo(new Extent(2, 26, 2, false));
            Extent fresh = b.dataExtents().get(1);
            assertThat(fresh.startoff()).isEqualTo(1);
            assertThat(fresh.blockcount()).isEqualTo(1);
            assertThat(fresh.startblock()).isNotIn(24L, 25L, 26L, 27L);
            assertThat(rmap(w, 0, 24, 27)).contains(data(24, 4, 131, 0), data(24, 4, 133, 0), data(24, 1, 132, 0),
                    data(26, 2, 132, 2)).hasSize(4);
            // the old block lost one owner, the others kept theirs
            assertThat(w.fs().ag(0).refcountOf(25)).isEqualTo(2);
            assertThat(w.fs().ag(0).refcountOf(24)).isEqualTo(3);
            assertThat(w.fs().ag(0).refcountOf((int) fresh.startblock())).isEqualTo(1);
            assertThat(w.fs().ag(0).refcountRecords()).containsExactly(new RefcountRecord(24, 1, 3),
                    new RefcountRecord(25, 1, 2), new RefcountRecord(26, 2, 3));
            // writing an unshared block changes nothing; writing past the end fills and grows
            Inode b2 = e.write("/b", 4096, 100);
            ok(e);
            assertThat(b2.dataExtents()).isEqualTo(b.dataExtents());
            Inode b3 = e.write("/b", 20 * 1024, 10);
            ok(e);
            assertThat(b3.size()).isEqualTo(20 * 1024 + 10);
            assertThat(b3.extentAt(5)).isNotNull();
            assertThat(b3.extentAt(4)).isNull();
        }

        private WorldEditor mappedAb(KernelProfile p) {
            WorldEditor e = TestWorlds.reference(p);
            e.createFile(FileSpec.of("/a", 16 * 1024));
            ok(e);
            e.reflink("/a", "/b");
            ok(e);
            addMapper(e, 10, "/a");
            addMapper(e, 20, "/b");
            e.touch(10, "/a", 0, 16 * 1024, false);
            ok(e);
            e.touch(20, "/b", 0, 16 * 1024, false);
            ok(e);
            return e;
        }

        @Test
        void on612TheWritersEntriesAndPtesAreInvalidated() {
            WorldEditor e = mappedAb(V612);
            assertThat(e.peek().daxEntry(132, 1).pfn()).isEqualTo(pfn(25));
            e.write("/b", 4096, 4096);
            World w = ok(e);
            assertThat(w.daxEntry(132, 1)).isNull();
            assertThat(vma(w, 20, 0).isPresent(1)).isFalse();
            assertThat(vma(w, 20, 0).isPresent(0)).isTrue();
            assertThat(w.daxEntry(132, 0).pfn()).isEqualTo(pfn(24));
            // a's entries and its mapper's page tables are untouched
            assertThat(w.daxEntry(131, 1).pfn()).isEqualTo(pfn(25));
            assertThat(vma(w, 10, 0).isPresent(1)).isTrue();
            // the old page: one sharer left
            assertThat(w.page(pfn(25)).marker()).isEqualTo(PageState.Marker.SHARED);
            assertThat(w.page(pfn(25)).share()).isEqualTo(1);
            assertThat(w.page(pfn(24)).share()).isEqualTo(2);
        }

        @Test
        void on61TheWritersEntryStaysStaleOnTheOldBlock() {
            WorldEditor e = mappedAb(V61);
            Inode b = e.write("/b", 4096, 4096);
            World w = ok(e);
            long newBlock = b.extentAt(1).blockAt(1);
            assertThat(newBlock).isNotEqualTo(25);
            // the entry still points at the old block, the mapper keeps its PTE
            assertThat(w.daxEntry(132, 1).pfn()).isEqualTo(pfn(25));
            assertThat(vma(w, 20, 0).isPresent(1)).isTrue();
            assertThat(w.daxEntry(131, 1).pfn()).isEqualTo(pfn(25));
            assertThat(w.addressing().ofFile("/b", 4096).pfn()).isEqualTo(pfn(newBlock));
            assertThat(w.page(pfn(newBlock)).unassociated()).isTrue();
        }
    }

    @Nested
    class PunchTruncateUnlink {
        @Test
        void punchFreesBlocksAndDropsTheirPages() {
            WorldEditor e = TestWorlds.reference(V61);
            e.createFile(FileSpec.of("/a", 16 * 1024));
            ok(e);
            addMapper(e, 10, "/a");
            e.touch(10, "/a", 0, 16 * 1024, false);
            ok(e);
            Inode a = e.punch("/a", 4096, 8192);
            World w = ok(e);
            assertThat(a.dataExtents()).containsExactly(new Extent(0, 24, 1, false), new Extent(3, 27, 1, false));
            assertThat(a.size()).isEqualTo(16 * 1024);
            assertThat(rmap(w, 0, 24, 27)).containsExactly(data(24, 1, 131, 0), data(27, 1, 131, 3));
            assertThat(w.fs().ag(0).isFree(25)).isTrue();
            assertThat(w.fs().ag(0).isFree(26)).isTrue();
            assertThat(w.entriesOf(131)).containsOnlyKeys(0L, 3L);
            assertThat(w.page(pfn(25)).unassociated()).isTrue();
            assertThat(w.page(pfn(24)).owner()).isEqualTo(131);
            // the DAX entries outside the range stay, but the punch broke the file's DAX layouts: no page-table
            // entry of it is left (real 6.1 and 6.12: after a punch, the file's early mappers were not signalled)
            assertThat(vma(w, 10, 0).present()).isEmpty();
            // a range inside one block punches nothing
            Inode same = e.punch("/a", 100, 1000);
            ok(e);
            assertThat(same.dataExtents()).isEqualTo(a.dataExtents());
            ok(e);
        }

        @Test
        void punchOfASharedBlockDropsOneOwner() {
            WorldEditor e = abc(V61);
            e.punch("/b", 0, 4096);
            World w = ok(e);
            assertThat(inode(w, "/b").dataExtents()).containsExactly(new Extent(1, 25, 3, false));
            assertThat(w.fs().ag(0).refcountOf(24)).isEqualTo(2);
            assertThat(w.fs().ag(0).refcountOf(25)).isEqualTo(3);
            assertThat(w.fs().ag(0).isFree(24)).isFalse();
        }

        @Test
        void on61PunchingAPageLastAssociatedThroughAnotherFileWarns() {
            WorldEditor e = TestWorlds.reference(V61);
            e.createFile(FileSpec.of("/a", 16 * 1024));
            ok(e);
            e.reflink("/a", "/b");
            ok(e);
            addMapper(e, 10, "/a");
            addMapper(e, 20, "/b");
            e.touch(10, "/a", 0, 4096, false);
            ok(e);
            e.touch(20, "/b", 0, 4096, false);
            ok(e);
            assertThat(e.page(pfn(24)).owner()).isEqualTo(132);
            e.drainLog();
            e.punch("/a", 0, 4096);
            World w = ok(e);
            assertThat(e.log()).anySatisfy(l -> assertThat(l).contains("WARNING").contains("fs/dax.c:404")
                    .contains("dax_disassociate_entry"));
            assertThat(w.page(pfn(24)).unassociated()).isTrue();
        }

        @Test
        void truncateDownAndUp() {
            WorldEditor e = TestWorlds.reference(V61);
            e.createFile(FileSpec.of("/a", 16 * 1024));
            ok(e);
            addMapper(e, 10, "/a");
            e.touch(10, "/a", 0, 16 * 1024, false);
            ok(e);
            Inode a = e.truncate("/a", 5000);
            World w = ok(e);
            assertThat(a.size()).isEqualTo(5000);
            assertThat(a.dataExtents()).containsExactly(new Extent(0, 24, 2, false));
            assertThat(w.fs().ag(0).isFree(26)).isTrue();
            assertThat(w.entriesOf(131)).containsOnlyKeys(0L, 1L);
            assertThat(vma(w, 10, 0).present()).containsExactly(0L, 1L);
            Inode up = e.truncate("/a", 64 * 1024);
            ok(e);
            assertThat(up.size()).isEqualTo(64 * 1024);
            assertThat(up.dataExtents()).containsExactly(new Extent(0, 24, 2, false));
            Inode zero = e.truncate("/a", 0);
            World w0 = ok(e);
            assertThat(zero.dataExtents()).isEmpty();
            assertThat(w0.entriesOf(131)).isEmpty();
            assertThat(rmap(w0, 0, 24, 100)).isEmpty();
        }

        @Test
        void unlinkFreesAnUnmappedFile() {
            WorldEditor e = abc(V61);
            e.createFile(FileSpec.of("/x", 8192).withXattrBlocks(1).fragmented(2));
            ok(e);
            e.unlink("/x");
            World w = ok(e);
            assertThat(w.fs().byPath("/x")).isNull();
            assertThat(w.fs().inodes()).doesNotContainKey(134L);
            e.unlink("/a");
            ok(e);
            e.unlink("/b");
            w = ok(e);
            assertThat(rmap(w, 0, 24, 27)).containsExactly(data(24, 4, 133, 0));
            assertThat(w.fs().ag(0).refcounts()).isEmpty();
            e.unlink("/c");
            w = ok(e);
            assertThat(rmap(w, 0, 24, 1000)).isEmpty();
            assertThat(w.fs().ag(0).freeBlocks()).isEqualTo(32_128 - 24); // all of /x's blocks came back too
            assertThatThrownBy(() -> e.unlink("/c")).isInstanceOf(ModelException.class);
        }

        @Test
        void aMappedFileStaysUntilItsLastMapperExits() {
            WorldEditor e = TestWorlds.reference(V61);
            e.createFile(FileSpec.of("/a", 16 * 1024));
            ok(e);
            addMapper(e, 10, "/a");
            e.touch(10, "/a", 0, 4096, false);
            ok(e);
            e.unlink("/a");
            World w = ok(e);
            assertThat(w.fs().byPath("/a")).isNull();
            Inode gone = w.fs().inode(131);
            assertThat(gone.unlinked()).isTrue();
            assertThat(gone.path()).isEqualTo("/a (deleted)");
            assertThat(rmap(w, 0, 24, 27)).containsExactly(data(24, 4, 131, 0));
            // the name can be used again meanwhile
            e.createFile(FileSpec.of("/a", 4096));
            ok(e);
            e.endProcess(10, Process.State.EXITED);
            w = ok(e);
            assertThat(w.fs().inode(131)).isNull();
            assertThat(rmap(w, 0, 24, 27)).isEmpty();
            assertThat(w.entriesOf(131)).isEmpty();
            assertThat(w.page(pfn(24)).unassociated()).isTrue();
            assertThat(w.process(10).orElseThrow().state()).isEqualTo(Process.State.EXITED);
            assertThat(w.process(10).orElseThrow().vmas()).isEmpty();
        }
    }

    @Nested
    class Faults {
        @Test
        void readFaultMakesAPteEntryAndAssociatesThePage() {
            WorldEditor e = TestWorlds.reference(V61);
            e.createFile(FileSpec.of("/a", 16 * 1024));
            ok(e);
            e.addProcess(10, "reader", Process.EarlyKill.DEFAULT, Process.OnSigbus.DIE);
            ok(e);
            Vma v = e.map(10, "/a", 0, 16 * 1024, false, null);
            World w0 = ok(e);
            assertThat(v.start()).isEqualTo(WorldEditor.MMAP_BASE);
            assertThat(w0.entriesOf(131)).isEmpty();
            assertThat(vma(w0, 10, 0).present()).isEmpty();
            e.touch(10, "/a", 4096, 1, false);
            World w = ok(e);
            assertThat(w.daxEntry(131, 1)).isEqualTo(DaxEntry.pte(pfn(25)));
            assertThat(w.entriesOf(131)).containsOnlyKeys(1L);
            assertThat(w.page(pfn(25))).isEqualTo(new PageState(false, 131, 1, PageState.Marker.NONE, 0));
            assertThat(vma(w, 10, 0).present()).containsExactly(1L);
            assertThat(vma(w, 10, 0).mappingShift(1)).isEqualTo(12);
            assertThat(vma(w, 10, 0).mappingShift(0)).isZero();
            assertThat(vma(w, 10, 0).addressOf(1)).isEqualTo(WorldEditor.MMAP_BASE + 4096);
            assertThatThrownBy(() -> e.touch(10, "/b", 0, 1, false)).isInstanceOf(ModelException.class);
            assertThatThrownBy(() -> e.map(10, "/a", 0, 32 * 1024, false, null)).isInstanceOf(ModelException.class);
            assertThatThrownBy(() -> e.map(10, "/a", 0, 4096, false, WorldEditor.MMAP_BASE)).isInstanceOf(ModelException.class);
            assertThatThrownBy(() -> e.map(11, "/a", 0, 4096, false, null)).isInstanceOf(ModelException.class);
        }

        @Test
        void readFaultOfAHoleMapsTheZeroPage() {
            WorldEditor e = TestWorlds.reference(V61);
            e.placeFile("/h", List.of(new Placement(1, 0, 100, 1)), null, false);
            ok(e);
            addMapper(e, 10, "/h");
            e.touch(10, "/h", 0, 4096, false);
            World w = ok(e);
            assertThat(w.daxEntry(131, 0).zero()).isTrue();
            assertThat(vma(w, 10, 0).isPresent(0)).isTrue();
            // a write fault of the hole allocates a block
            e.touch(10, "/h", 0, 4096, true);
            w = ok(e);
            assertThat(w.fs().inode(131).extentAt(0)).isNotNull();
        }

        @Test
        void on61AReadFaultThroughASecondFileWarnsAndOverwritesTheOwner() {
            WorldEditor e = abc(V61);
            addMapper(e, 10, "/a");
            addMapper(e, 20, "/b");
            addMapper(e, 30, "/c");
            e.drainLog();
            e.touch(10, "/a", 0, 4096, false);
            ok(e);
            assertThat(e.log()).isEmpty();
            assertThat(e.page(pfn(24)).owner()).isEqualTo(131);
            e.touch(20, "/b", 0, 4096, false);
            ok(e);
            assertThat(e.log()).singleElement().satisfies(l -> assertThat(l).startsWith("WARNING:")
                    .contains("fs/dax.c").contains("dax_insert_entry"));
            e.touch(30, "/c", 0, 4096, false);
            World w = ok(e);
            // after three files read-faulted one shared block, page->mapping names the last file only
            assertThat(w.page(pfn(24)).owner()).isEqualTo(133);
            assertThat(w.page(pfn(24)).index()).isZero();
            assertThat(w.page(pfn(24)).hasMarker()).isFalse();
            for (long ino : new long[] {131, 132, 133}) {
                assertThat(w.daxEntry(ino, 0)).isEqualTo(DaxEntry.pte(pfn(24)));
            }
            // 6.1 read faults do not unmap other mappers
            assertThat(vma(w, 10, 0).isPresent(0)).isTrue();
            assertThat(vma(w, 20, 0).isPresent(0)).isTrue();
        }

        @Test
        void on612AnyFaultOfASharedBlockMarksItSharedAndCountsOwners() {
            WorldEditor e = abc(V612);
            addMapper(e, 10, "/a");
            addMapper(e, 20, "/b");
            addMapper(e, 30, "/c");
            e.drainLog();
            e.touch(10, "/a", 0, 4096, false);
            ok(e);
            e.touch(20, "/b", 0, 4096, false);
            World w2 = ok(e);
            assertThat(w2.page(pfn(24)).marker()).isEqualTo(PageState.Marker.SHARED);
            assertThat(w2.page(pfn(24)).share()).isEqualTo(2);
            e.touch(30, "/c", 0, 4096, false);
            World w = ok(e);
            assertThat(w.page(pfn(24)).share()).isEqualTo(3);
            assertThat(w.page(pfn(24)).hasOwner()).isFalse();
            assertThat(e.log()).isEmpty();
            // different files: nobody's page tables were touched
            assertThat(vma(w, 10, 0).isPresent(0)).isTrue();
            assertThat(vma(w, 20, 0).isPresent(0)).isTrue();
            assertThat(vma(w, 30, 0).isPresent(0)).isTrue();
        }

        @Test
        void on612ASecondProcessFaultingTheSameFileUnmapsTheFirst() {
            // §14 case 28: a, b, c; p1, p2, p3 map them; then another process reads b's page
            WorldEditor e = abc(V612);
            addMapper(e, 10, "/a");
            addMapper(e, 20, "/b");
            addMapper(e, 30, "/c");
            addMapper(e, 40, "/b");
            for (int pid : new int[] {10, 20, 30}) {
                e.touch(pid, pid == 10 ? "/a" : pid == 20 ? "/b" : "/c", 0, 16 * 1024, false);
                ok(e);
            }
            ok(e);
            e.touch(40, "/b", 4096, 4096, false);
            World w = ok(e);
            assertThat(vma(w, 20, 0).isPresent(1)).isFalse();
            assertThat(vma(w, 20, 0).isPresent(0)).isTrue();
            assertThat(vma(w, 20, 0).isPresent(2)).isTrue();
            assertThat(vma(w, 40, 0).isPresent(1)).isTrue();
            assertThat(vma(w, 10, 0).isPresent(1)).isTrue();
            assertThat(vma(w, 30, 0).isPresent(1)).isTrue();
            // b's entry was replaced, not added: still three files share the page
            assertThat(w.page(pfn(25)).share()).isEqualTo(3);
        }

        @Test
        void on61TheSameSecondFaultLeavesTheFirstMapped() {
            WorldEditor e = abc(V61);
            addMapper(e, 20, "/b");
            addMapper(e, 40, "/b");
            e.touch(20, "/b", 0, 16 * 1024, false);
            ok(e);
            e.touch(40, "/b", 4096, 4096, false);
            World w = ok(e);
            assertThat(vma(w, 20, 0).isPresent(1)).isTrue();
            assertThat(vma(w, 40, 0).isPresent(1)).isTrue();
        }

        @Test
        void writeFaultOnASharedBlockIsCopyOnWrite() {
            for (KernelProfile p : List.of(V61, V612)) {
                WorldEditor e = abc(p);
                addMapper(e, 10, "/a");
                addMapper(e, 20, "/b");
                e.touch(10, "/a", 0, 4096, false);
                ok(e);
                e.touch(20, "/b", 0, 4096, false);
                ok(e);
                e.touch(20, "/b", 0, 4096, true);
                World w = ok(e);
                Inode b = inode(w, "/b");
                long nb = b.extentAt(0).blockAt(0);
                assertThat(nb).as(p.id()).isNotEqualTo(24);
                assertThat(w.daxEntry(132, 0)).as(p.id()).isEqualTo(DaxEntry.pte(pfn(nb)));
                assertThat(w.fs().ag(0).refcountOf(24)).as(p.id()).isEqualTo(2);
                assertThat(vma(w, 20, 0).isPresent(0)).isTrue();
                PageState fresh = w.page(pfn(nb));
                if (p == V61) {
                    // the CoW fault associates the new block with the CoW marker
                    assertThat(fresh.marker()).isEqualTo(PageState.Marker.COW);
                    assertThat(fresh.share()).isEqualTo(1);
                } else {
                    assertThat(fresh.marker()).isEqualTo(PageState.Marker.SHARED);
                    assertThat(fresh.share()).isEqualTo(1);
                    // the old page lost b's entry
                    assertThat(w.page(pfn(24)).share()).isEqualTo(1);
                }
                // a keeps the old block
                assertThat(w.daxEntry(131, 0)).isEqualTo(DaxEntry.pte(pfn(24)));
            }
        }

        @Test
        void pmdMappingAssociates512Pages() {
            WorldEditor e = TestWorlds.reference(V61);
            e.createFile(FileSpec.of("/small", 4096));
            ok(e);
            Inode big = e.createFile(FileSpec.of("/big", 4 * Units.MiB).aligned(2 * Units.MiB));
            ok(e);
            e.addProcess(10, "vm", Process.EarlyKill.EARLY, Process.OnSigbus.DIE);
            ok(e);
            assertThatThrownBy(() -> e.map(10, "/big", 4096, 2 * Units.MiB, true, null)).isInstanceOf(ModelException.class);
            Vma v = e.map(10, "/big", 0, 4 * Units.MiB, true, null);
            ok(e);
            assertThat(v.start() % Units.PMD_SIZE).isZero();
            e.touch(10, "/big", 5 * 4096, 1, false);
            World w = ok(e);
            long head = w.addressing().ofFile("/big", 0).pfn();
            assertThat(head % 512).isZero();
            DaxEntry entry = w.daxEntry(big.ino(), 5);
            assertThat(entry).isEqualTo(DaxEntry.pmdEntry(head));
            assertThat(w.entriesOf(big.ino())).containsOnlyKeys(0L);
            for (int k = 0; k < 512; k++) {
                assertThat(w.page(head + k).owner()).isEqualTo(big.ino());
                assertThat(w.page(head + k).index()).isEqualTo(k);
            }
            assertThat(w.page(head + 512).unassociated()).isTrue();
            assertThat(vma(w, 10, 0).present()).hasSize(512);
            assertThat(vma(w, 10, 0).mappingShift(5)).isEqualTo(21);
            assertThat(vma(w, 10, 0).mappingShift(512)).isZero();
            assertThat(w.daxEntry(big.ino(), 512)).isNull();
        }

        @Test
        void endProcessDropsItsMappingsButNotTheEntries() {
            WorldEditor e = TestWorlds.reference(V61);
            e.createFile(FileSpec.of("/a", 8192));
            ok(e);
            addMapper(e, 10, "/a");
            e.touch(10, "/a", 0, 8192, false);
            ok(e);
            e.endProcess(10, Process.State.KILLED);
            World w = ok(e);
            Process p = w.process(10).orElseThrow();
            assertThat(p.state()).isEqualTo(Process.State.KILLED);
            assertThat(p.alive()).isFalse();
            assertThat(p.vmas()).isEmpty();
            assertThat(w.entriesOf(131)).containsOnlyKeys(0L, 1L);
            assertThatThrownBy(() -> e.touch(10, "/a", 0, 1, false)).isInstanceOf(ModelException.class);
            assertThatThrownBy(() -> e.map(10, "/a", 0, 4096, false, null)).isInstanceOf(ModelException.class);
            assertThatThrownBy(() -> e.endProcess(99, Process.State.EXITED)).isInstanceOf(ModelException.class);
            assertThatThrownBy(() -> e.addProcess(10, "again", Process.EarlyKill.DEFAULT, Process.OnSigbus.DIE))
                    .isInstanceOf(ModelException.class);
        }
    }

    @Nested
    class Remount {
        private World remounted(KernelProfile p) {
            WorldEditor e = TestWorlds.reference(p);
            e.createFile(FileSpec.of("/a", 16 * 1024));
            ok(e);
            e.reflink("/a", "/b");
            ok(e);
            e.createFile(FileSpec.of("/plain", 4096));
            ok(e);
            addMapper(e, 10, "/a");
            e.touch(10, "/a", 0, 4096, false);
            ok(e);
            e.endProcess(10, Process.State.EXITED);
            ok(e);
            e.remount();
            World w = ok(e);
            for (Inode i : w.fs().inodes().values()) {
                assertThat(i.incore()).as(i.path()).isFalse();
            }
            assertThat(w.entriesOf(131)).isEmpty();
            assertThat(w.page(pfn(24)).unassociated()).isTrue();
            e.addProcess(20, "p20", Process.EarlyKill.EARLY, Process.OnSigbus.DIE);
            ok(e);
            e.map(20, "/a", 0, 16 * 1024, false, null);
            ok(e);
            e.touch(20, "/a", 0, 4096, false);
            ok(e);
            e.map(20, "/plain", 0, 4096, false, null);
            ok(e);
            e.touch(20, "/plain", 0, 4096, false);
            return ok(e);
        }

        @Test
        void on61AReflinkedInodeReadBackIsNotDax() {
            World w = remounted(V61);
            Inode a = inode(w, "/a");
            assertThat(a.incore()).isTrue();
            assertThat(a.dax()).isFalse();
            assertThat(w.entriesOf(a.ino())).isEmpty();
            assertThat(vma(w, 20, 0).isPresent(0)).isTrue(); // a page-cache page
            assertThat(w.page(pfn(24)).unassociated()).isTrue();
            // an inode that was never reflinked is DAX as before
            assertThat(inode(w, "/plain").dax()).isTrue();
            assertThat(inode(w, "/b").incore()).isFalse();
        }

        @Test
        void on612AReflinkedInodeStaysDax() {
            World w = remounted(V612);
            Inode a = inode(w, "/a");
            assertThat(a.incore()).isTrue();
            assertThat(a.dax()).isTrue();
            assertThat(w.daxEntry(a.ino(), 0)).isEqualTo(DaxEntry.pte(pfn(24)));
            assertThat(w.page(pfn(24)).marker()).isEqualTo(PageState.Marker.SHARED);
        }

        @Test
        void hwpoisonSurvivesRemount() {
            WorldEditor e = TestWorlds.reference(V61);
            e.createFile(FileSpec.of("/a", 4096));
            ok(e);
            e.setHwpoison(pfn(24), true);
            ok(e);
            e.remount();
            World w = ok(e);
            assertThat(w.page(pfn(24)).hwpoison()).isTrue();
        }
    }

    @Test
    void editingLeavesTheStartingWorldUnchanged() {
        World w0 = ok(abc(V612));
        World copy = TestWorlds.deepCopy(w0);
        WorldEditor e = w0.edit();
        addMapper(e, 10, "/a");
        e.touch(10, "/a", 0, 16 * 1024, true);
        ok(e);
        e.write("/b", 0, 8192);
        ok(e);
        e.reflinkRange("/a", 0, 4096, "/c", 8192);
        ok(e);
        e.punch("/c", 0, 4096);
        ok(e);
        e.truncate("/b", 0);
        ok(e);
        e.createFile(FileSpec.of("/z", 30 * K4).fragmented(25));
        ok(e);
        e.unlink("/a");
        ok(e);
        e.endProcess(10, Process.State.EXITED);
        ok(e);
        e.remount();
        World w1 = ok(e);
        assertThat(w0).isEqualTo(copy);
        assertThat(w0.warnedOnce()).isEqualTo(copy.warnedOnce());
        assertThat(w1).isNotEqualTo(w0);
        w0.check();
        assertThat(rmap(w0, 0, 24, 27)).containsExactly(data(24, 4, 131, 0), data(24, 4, 132, 0), data(24, 4, 133, 0));
        assertThat(rmap(w0, 0, 0, 3)).containsExactly(special(0, 4, RmapOwner.FS));
    }
}
