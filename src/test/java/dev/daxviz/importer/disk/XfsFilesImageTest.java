package dev.daxviz.importer.disk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A filesystem populated through a loop mount (reflinks, CoW, xattrs, fragmented files, every directory form)
 * read against what the kernel showed while it was mounted and what xfs_db says of it afterwards.
 */
class XfsFilesImageTest {

    private static XfsTestImages.FilesImage image(int sectsize) throws Exception {
        XfsTestImages.requireMount();
        return XfsTestImages.files(sectsize);
    }

    /** The cleanly unmounted image, or the copy taken while frozen (with CoW staging extents). */
    private static Path image(int sectsize, boolean frozen) throws Exception {
        XfsTestImages.FilesImage f = image(sectsize);
        return frozen ? f.frozen() : f.image();
    }

    @ParameterizedTest(name = "sectsize {0}, frozen {1}")
    @CsvSource({"512, false", "4096, false", "512, true", "4096, true"})
    void fsmapMatchesXfsDb(int sectsize, boolean frozen) throws Exception {
        Path img = image(sectsize, frozen);
        try (XfsImage x = XfsImage.open(img)) {
            assertThat(Fsmap.lines(x)).containsExactlyElementsOf(XfsTestImages.xfsDb(img, "fsmap"));
        }
    }

    @ParameterizedTest(name = "sectsize {0}, frozen {1}")
    @CsvSource({"512, false", "4096, false", "512, true", "4096, true"})
    void everyPathResolvesToTheInodeTheKernelShowed(int sectsize, boolean frozen) throws Exception {
        XfsTestImages.FilesImage f = image(sectsize);
        try (XfsImage x = XfsImage.open(image(sectsize, frozen))) {
            assertThat(x.namespace().paths()).isEqualTo(f.paths());
        }
    }

    @ParameterizedTest(name = "sectsize {0}, frozen {1}")
    @CsvSource({"512, false", "4096, false", "512, true", "4096, true"})
    void everyForkMatchesXfsDbBmap(int sectsize, boolean frozen) throws Exception {
        Path img = image(sectsize, frozen);
        try (XfsImage x = XfsImage.open(img)) {
            Set<Long> inos = x.namespace().paths().keySet();
            Map<Long, List<String>> want = XfsGroundTruth.bmaps(img, inos);
            Map<Long, List<String>> have = new HashMap<>();
            for (long ino : inos) {
                have.put(ino, XfsGroundTruth.bmapLines(x.superblock(), x.inode(ino)));
            }
            assertThat(have).isEqualTo(want);
        }
    }

    @ParameterizedTest(name = "sectsize {0}, frozen {1}")
    @CsvSource({"512, false", "4096, false", "512, true", "4096, true"})
    void btreesMatchXfsDb(int sectsize, boolean frozen) throws Exception {
        Path img = image(sectsize, frozen);
        try (XfsImage x = XfsImage.open(img)) {
            for (int agno = 0; agno < x.agcount(); agno++) {
                String agf = "agf " + agno;
                assertThat(XfsEmptyImageTest.free(x.freeExtents(agno)))
                        .isEqualTo(XfsGroundTruth.btdump(img, agf, "bnoroot"));
                assertThat(XfsEmptyImageTest.free(x.freeExtentsBySize(agno)))
                        .isEqualTo(XfsGroundTruth.btdump(img, agf, "cntroot"));
                assertThat(refcount(x.refcountRecords(agno))).isEqualTo(XfsGroundTruth.btdump(img, agf, "refcntroot"));
                assertThat(inobt(x.inodeChunks(agno))).isEqualTo(XfsGroundTruth.btdump(img, "agi " + agno, "root"));
                assertThat(inobt(x.freeInodeChunks(agno)))
                        .isEqualTo(XfsGroundTruth.btdump(img, "agi " + agno, "free_root"));
            }
        }
    }

    @ParameterizedTest(name = "sectsize {0}")
    @ValueSource(ints = {512, 4096})
    void theFixtureHasWhatItPromises(int sectsize) throws Exception {
        Path img = image(sectsize).image();
        try (XfsImage x = XfsImage.open(img)) {
            Superblock sb = x.superblock();
            Namespace ns = x.namespace();
            Map<String, Long> ino = new HashMap<>();
            ns.paths().forEach((i, ps) -> ps.forEach(p -> ino.put(p, i)));

            Dinode shared = x.inode(ino.get("/shared"));
            assertThat(shared.reflink()).isTrue();
            assertThat(shared.nlink()).isEqualTo(3);
            assertThat(ns.paths(shared.ino())).containsExactly("/node/also_shared", "/sf/hardlink", "/shared");
            assertThat(ns.primaryPath(shared.ino())).contains("/node/also_shared");
            assertThat(x.inode(ino.get("/clone2")).dataFork().extents())
                    .isEqualTo(shared.dataFork().extents());
            assertThat(x.inode(ino.get("/clone1")).dataFork().extents()).hasSizeGreaterThan(1);
            assertThat(x.inode(ino.get("/partial")).reflink()).isTrue();
            List<RefcountRecord> refc = new ArrayList<>();
            for (int agno = 0; agno < x.agcount(); agno++) {
                refc.addAll(x.refcountRecords(agno));
            }
            assertThat(refc).extracting(RefcountRecord::refcount).contains(2L, 3L, 4L);

            Dinode xattrs = x.inode(ino.get("/xattrs"));
            assertThat(xattrs.attrFork()).isPresent();
            assertThat(xattrs.attrFork().get().extents()).hasSizeGreaterThanOrEqualTo(2);

            Dinode frag = x.inode(ino.get("/frag"));
            assertThat(frag.dataFork().format()).isEqualTo(ForkFormat.BTREE);
            assertThat(frag.dataFork().extents()).hasSize(30);
            assertThat(frag.dataFork().bmbtBlocks()).hasSize(1);

            Dinode big = x.inode(ino.get("/big"));
            assertThat(big.dataFork().format()).isEqualTo(ForkFormat.BTREE);
            // 8000 holes punched into 64 MiB leave 8000 one-block extents and the tail
            assertThat(big.dataFork().extents()).hasSize(8001);
            assertThat(big.dataFork().nextents()).isEqualTo(8001);
            // the rmapbt names the same bmbt blocks the walk found
            Set<Long> bmbtByRmap = new HashSet<>();
            for (int agno = 0; agno < x.agcount(); agno++) {
                for (RmapRecord r : x.rmapRecords(agno)) {
                    if (r.owner() == big.ino() && r.bmbtBlock()) {
                        for (long b = 0; b < r.blockcount(); b++) {
                            bmbtByRmap.add(sb.fsb(agno, r.startblock() + b));
                        }
                    }
                }
            }
            assertThat(bmbtByRmap).containsExactlyInAnyOrderElementsOf(big.dataFork().bmbtBlocks());
            // more leaves than the in-inode root can point to: the bmbt has an interior level
            int rootPtrs = (big.forkoff() == 0 ? sb.litino() : big.forkoff() * 8 - 4) / 16;
            assertThat(big.dataFork().bmbtBlocks()).hasSizeGreaterThan(8000 / 251 + 1);
            assertThat(big.dataFork().bmbtBlocks().size()).isGreaterThan(rootPtrs);

            assertThat(x.inode(ino.get("/unwritten")).dataFork().extents()).allMatch(BmbtExtent::unwritten);
            assertThat(x.inode(ino.get("/mixed")).dataFork().extents()).extracting(BmbtExtent::unwritten)
                    .contains(true, false);
            assertThat(x.inode(ino.get("/daxfile")).dax()).isTrue();

            Dinode shortlink = x.inode(ino.get("/shortlink"));
            assertThat(shortlink.kind()).isEqualTo(InodeKind.SYMLINK);
            assertThat(StandardCharsets.UTF_8.decode(shortlink.dataFork().local().duplicate()).toString())
                    .isEqualTo("shared");
            Dinode longlink = x.inode(ino.get("/longlink"));
            assertThat(longlink.dataFork().format()).isEqualTo(ForkFormat.EXTENTS);
            assertThat(longlink.size()).isEqualTo(600);

            long leafBlock = DirectoryReader.LEAF_OFFSET >> sb.blocklog();
            assertThat(x.inode(ino.get("/sf")).dataFork().format()).isEqualTo(ForkFormat.LOCAL);
            assertThat(x.directoryEntries(x.inode(ino.get("/sf")))).extracting(DirEntry::name)
                    .containsExactly("hardlink");
            Dinode blk = x.inode(ino.get("/blk"));
            assertThat(blk.dataFork().extents()).singleElement().satisfies(e -> assertThat(e.endoff())
                    .isLessThanOrEqualTo(leafBlock));
            assertThat(x.directoryEntries(blk)).hasSize(20);
            Dinode leaf = x.inode(ino.get("/leaf"));
            assertThat(leaf.dataFork().extents()).anyMatch(e -> e.startoff() == leafBlock)
                    .noneMatch(e -> e.startoff() >= 2 * leafBlock);
            assertThat(x.directoryEntries(leaf)).hasSize(300);
            Dinode node = x.inode(ino.get("/node"));
            assertThat(node.dataFork().extents()).anyMatch(e -> e.startoff() >= 2 * leafBlock);
            assertThat(x.directoryEntries(node)).hasSize(2001);
            assertThat(ns.directories()).contains(blk.ino(), leaf.ino(), node.ino());
            assertThat(ns.paths(ino.get("/deep/a/b/c/d/e/f/leafile"))).hasSize(1);

            int deepest = 0;
            Set<Long> allocated = new HashSet<>();
            for (int agno = 0; agno < x.agcount(); agno++) {
                deepest = Math.max(deepest, Math.min(x.agHeaders(agno).agf().rmapLevel(),
                        x.agHeaders(agno).agf().bnoLevel()));
                allocated.addAll(x.allocatedInodes(agno));
            }
            assertThat(deepest).as("an AG whose rmapbt and bnobt have node levels").isGreaterThanOrEqualTo(2);
            Set<Long> named = new HashSet<>(ns.paths().keySet());
            named.add(sb.rbmino());
            named.add(sb.rsumino());
            assertThat(allocated).isEqualTo(named);

            if (sectsize == 4096) {
                assertThat(sb.hasNrext64()).isTrue();
                assertThat(big.flags2() & Dinode.DIFLAG2_NREXT64).isNotZero();
                assertThat(sb.dirBlockSize()).isEqualTo(2 * sb.blocksize());
            } else {
                assertThat(sb.hasNrext64()).isFalse();
                assertThat(sb.dirBlockSize()).isEqualTo(sb.blocksize());
            }
        }
    }

    @ParameterizedTest(name = "sectsize {0}")
    @ValueSource(ints = {512, 4096})
    void theFrozenCopyHoldsCowStagingExtents(int sectsize) throws Exception {
        XfsTestImages.FilesImage f = image(sectsize);
        long cowdst = f.paths().entrySet().stream().filter(en -> en.getValue().contains("/cowdst")).findFirst()
                .orElseThrow().getKey();
        for (boolean frozen : new boolean[] {false, true}) {
            try (XfsImage x = XfsImage.open(frozen ? f.frozen() : f.image())) {
                List<RefcountRecord> cow = new ArrayList<>();
                List<RmapRecord> cowRmap = new ArrayList<>();
                for (int agno = 0; agno < x.agcount(); agno++) {
                    x.refcountRecords(agno).stream().filter(RefcountRecord::cow).forEach(cow::add);
                    x.rmapRecords(agno).stream().filter(r -> r.owner() == RmapRecord.OWN_COW).forEach(cowRmap::add);
                }
                if (frozen) {
                    assertThat(cow).isNotEmpty().allMatch(r -> r.refcount() == 1);
                    assertThat(cowRmap).extracting(RmapRecord::blockcount).containsExactlyElementsOf(
                            cow.stream().map(RefcountRecord::blockcount).toList());
                } else {
                    assertThat(cow).isEmpty();
                    assertThat(cowRmap).isEmpty();
                }
                assertThat(x.inode(cowdst).reflink()).isTrue();
                assertThat(x.inode(cowdst).cowextsize()).isEqualTo(128 * 1024 / x.superblock().blocksize());
            }
        }
    }

    static List<List<Long>> refcount(List<RefcountRecord> l) {
        List<List<Long>> out = new ArrayList<>();
        for (RefcountRecord r : l) {
            out.add(List.of(r.startblock(), r.blockcount(), r.refcount(), r.cow() ? 1L : 0L));
        }
        return out;
    }

    static List<List<Long>> inobt(List<InobtRecord> l) {
        List<List<Long>> out = new ArrayList<>();
        for (InobtRecord r : l) {
            out.add(List.of(r.startino(), (long) r.holemask(), (long) r.count(), (long) r.freecount(), r.free()));
        }
        return out;
    }
}
