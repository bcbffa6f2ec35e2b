package dev.daxviz.importer.disk;

import static dev.daxviz.importer.disk.XfsGroundTruth.num;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Freshly made filesystems (512 and 4096-byte sectors, 1 and 4 AGs) read against what xfs_db says of them. */
class XfsEmptyImageTest {

    private static Path image(int sectsize, int agcount) throws Exception {
        XfsTestImages.requireTools();
        return XfsTestImages.empty(sectsize, agcount);
    }

    @ParameterizedTest(name = "sectsize {0}, agcount {1}")
    @CsvSource({"512, 4", "512, 1", "4096, 4", "4096, 1"})
    void fsmapMatchesXfsDb(int sectsize, int agcount) throws Exception {
        Path img = image(sectsize, agcount);
        try (XfsImage x = XfsImage.open(img)) {
            assertThat(Fsmap.lines(x)).containsExactlyElementsOf(XfsTestImages.xfsDb(img, "fsmap"));
        }
    }

    @ParameterizedTest(name = "sectsize {0}, agcount {1}")
    @CsvSource({"512, 4", "512, 1", "4096, 4", "4096, 1"})
    void superblockMatchesXfsDb(int sectsize, int agcount) throws Exception {
        Path img = image(sectsize, agcount);
        Map<String, String> db = XfsGroundTruth.print(img, "sb 0", "print");
        try (XfsImage x = XfsImage.open(img)) {
            Superblock sb = x.superblock();
            assertThat(sb.blocksize()).isEqualTo(num(db, "blocksize"));
            assertThat(sb.dblocks()).isEqualTo(num(db, "dblocks"));
            assertThat(sb.agblocks()).isEqualTo(num(db, "agblocks"));
            assertThat(sb.agcount()).isEqualTo(agcount).isEqualTo(num(db, "agcount"));
            assertThat(sb.sectsize()).isEqualTo(sectsize).isEqualTo((int) num(db, "sectsize"));
            assertThat(sb.inodesize()).isEqualTo((int) num(db, "inodesize"));
            assertThat(sb.rootino()).isEqualTo(num(db, "rootino"));
            assertThat(sb.logstart()).isEqualTo(num(db, "logstart"));
            assertThat(sb.logblocks()).isEqualTo(num(db, "logblocks"));
            assertThat(sb.agblklog()).isEqualTo((int) num(db, "agblklog"));
            assertThat(sb.inopblog()).isEqualTo((int) num(db, "inopblog"));
            assertThat(sb.icount()).isEqualTo(num(db, "icount"));
            assertThat(sb.fdblocks()).isEqualTo(num(db, "fdblocks"));
            assertThat(sb.featuresRoCompat()).isEqualTo(num(db, "features_ro_compat"));
            assertThat(sb.featuresIncompat()).isEqualTo(num(db, "features_incompat"));
            assertThat(sb.uuid()).hasToString(db.get("uuid"));
            assertThat(sb.hasReflink()).isTrue();
            assertThat(sb.hasRmapbt()).isTrue();
            assertThat(sb.hasFinobt()).isTrue();
            assertThat(sb.hasFtype()).isTrue();
            assertThat(sb.hasRealtime()).isFalse();
            assertThat(sb.hasExternalLog()).isFalse();
            assertThat(sb.metadataUuid()).isEqualTo(sb.uuid());
        }
    }

    @ParameterizedTest(name = "sectsize {0}, agcount {1}")
    @CsvSource({"512, 4", "4096, 1"})
    void agHeadersMatchXfsDb(int sectsize, int agcount) throws Exception {
        Path img = image(sectsize, agcount);
        try (XfsImage x = XfsImage.open(img)) {
            for (int agno = 0; agno < agcount; agno++) {
                Map<String, String> agf = XfsGroundTruth.print(img, "agf " + agno, "print");
                Agf f = x.agHeaders(agno).agf();
                assertThat(f.seqno()).isEqualTo(agno);
                assertThat(f.length()).isEqualTo(num(agf, "length"));
                assertThat(f.bnoRoot()).isEqualTo(num(agf, "bnoroot"));
                assertThat(f.cntRoot()).isEqualTo(num(agf, "cntroot"));
                assertThat(f.rmapRoot()).isEqualTo(num(agf, "rmaproot"));
                assertThat(f.refcountRoot()).isEqualTo(num(agf, "refcntroot"));
                assertThat(f.bnoLevel()).isEqualTo((int) num(agf, "bnolevel"));
                assertThat(f.rmapLevel()).isEqualTo((int) num(agf, "rmaplevel"));
                assertThat(f.refcountLevel()).isEqualTo((int) num(agf, "refcntlevel"));
                assertThat(f.flfirst()).isEqualTo(num(agf, "flfirst"));
                assertThat(f.fllast()).isEqualTo(num(agf, "fllast"));
                assertThat(f.flcount()).isEqualTo(num(agf, "flcount"));
                assertThat(f.freeblks()).isEqualTo(num(agf, "freeblks"));
                assertThat(f.longest()).isEqualTo(num(agf, "longest"));
                assertThat(f.rmapBlocks()).isEqualTo(num(agf, "rmapblocks"));
                assertThat(f.refcountBlocks()).isEqualTo(num(agf, "refcntblocks"));

                Map<String, String> agi = XfsGroundTruth.print(img, "agi " + agno, "print");
                Agi i = x.agHeaders(agno).agi();
                assertThat(i.root()).isEqualTo(num(agi, "root"));
                assertThat(i.level()).isEqualTo((int) num(agi, "level"));
                assertThat(i.count()).isEqualTo(num(agi, "count"));
                assertThat(i.freecount()).isEqualTo(num(agi, "freecount"));
                assertThat(i.freeRoot()).isEqualTo(num(agi, "free_root"));
                assertThat(i.freeLevel()).isEqualTo((int) num(agi, "free_level"));
                assertThat(i.unlinked()).hasSize(64).containsOnly(Agi.NULLAGINO);

                // xfs_db prints the whole AGFL array ("bno[0-117] = 0:null 1:7 …"); the list is flfirst..fllast
                String[] slots = XfsGroundTruth.print(img, "agfl " + agno, "print").get("bno[0-"
                        + (x.superblock().agflSize() - 1) + "]").split(" ");
                List<Long> want = new ArrayList<>();
                for (long k = 0; k < f.flcount(); k++) {
                    String slot = slots[(int) ((f.flfirst() + k) % slots.length)];
                    want.add(Long.parseLong(slot.substring(slot.indexOf(':') + 1)));
                }
                assertThat(x.agHeaders(agno).agfl().blocks()).isEqualTo(want);
            }
        }
    }

    @ParameterizedTest(name = "sectsize {0}, agcount {1}")
    @CsvSource({"512, 4", "4096, 1"})
    void btreesMatchXfsDb(int sectsize, int agcount) throws Exception {
        Path img = image(sectsize, agcount);
        try (XfsImage x = XfsImage.open(img)) {
            for (int agno = 0; agno < agcount; agno++) {
                String agf = "agf " + agno;
                assertThat(free(x.freeExtents(agno))).isEqualTo(XfsGroundTruth.btdump(img, agf, "bnoroot"));
                assertThat(free(x.freeExtentsBySize(agno))).isEqualTo(XfsGroundTruth.btdump(img, agf, "cntroot"));
                assertThat(x.refcountRecords(agno)).isEmpty();
                assertThat(XfsFilesImageTest.inobt(x.inodeChunks(agno)))
                        .isEqualTo(XfsGroundTruth.btdump(img, "agi " + agno, "root"));
                assertThat(XfsFilesImageTest.inobt(x.freeInodeChunks(agno)))
                        .isEqualTo(XfsGroundTruth.btdump(img, "agi " + agno, "free_root"));
            }
            // a new filesystem has the root directory, the realtime bitmap and summary inodes, all in AG 0
            Superblock sb = x.superblock();
            assertThat(x.allocatedInodes(0)).containsExactly(sb.rootino(), sb.rbmino(), sb.rsumino());
            Namespace ns = x.namespace();
            assertThat(ns.paths()).containsOnlyKeys(sb.rootino());
            assertThat(ns.primaryPath(sb.rootino())).contains("/");
            assertThat(ns.directories()).containsExactly(sb.rootino());
        }
    }

    @Test
    void readsABlockDevice() throws Exception {
        XfsTestImages.requireMount();
        Path img = XfsTestImages.empty(4096, 4);
        String dev = XfsTestImages.check(XfsTestImages.run(List.of("losetup", "-r", "-f", "--show",
                img.toString()), 60), "losetup").out().trim();
        try (XfsImage x = XfsImage.open(Path.of(dev))) {
            // a block device's channel reports size 0: the length must come from the kernel
            assertThat(x.length()).isEqualTo(java.nio.file.Files.size(img));
            assertThat(Fsmap.lines(x)).containsExactlyElementsOf(XfsTestImages.xfsDb(img, "fsmap"));
        } finally {
            XfsTestImages.check(XfsTestImages.run(List.of("losetup", "-d", dev), 60), "losetup -d");
        }
    }

    @Test
    void aDirectoryIsNotAnImage() throws Exception {
        assertThatThrownBy(() -> XfsImage.open(Path.of("/tmp"))).isInstanceOf(ImageException.class)
                .hasMessage("/tmp: is a directory — choose the image file or the block device");
    }

    @Test
    void withoutRmapbtThereIsNoFsmap() throws Exception {
        XfsTestImages.requireTools();
        try (XfsImage x = XfsImage.open(XfsTestImages.noRmap())) {
            assertThat(x.superblock().hasRmapbt()).isFalse();
            assertThat(x.superblock().hasReflink()).isFalse();
            assertThat(x.refcountRecords(0)).isEmpty();
            assertThatThrownBy(() -> Fsmap.lines(x)).isInstanceOf(ImageException.class)
                    .hasMessage("AG 0 rmapbt: the filesystem has no reverse-mapping btree — recreate it with "
                            + "mkfs.xfs -m rmapbt=1");
            assertThat(x.namespace().paths()).containsOnlyKeys(x.superblock().rootino());
        }
    }

    static List<List<Long>> free(List<FreeExtent> l) {
        List<List<Long>> out = new ArrayList<>();
        for (FreeExtent e : l) {
            out.add(List.of(e.startblock(), e.blockcount()));
        }
        return out;
    }
}
