package dev.daxviz.importer.disk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A filesystem that mkfs.xfs builds from a protofile, with no mount: the coverage that remains on a machine
 * that cannot loop-mount (files, symlinks, every directory form), read against xfs_db.
 */
class XfsProtofileImageTest {

    private static Path image() throws Exception {
        XfsTestImages.requireTools();
        return XfsTestImages.protofile();
    }

    @Test
    void fsmapMatchesXfsDb() throws Exception {
        Path img = image();
        try (XfsImage x = XfsImage.open(img)) {
            assertThat(Fsmap.lines(x)).containsExactlyElementsOf(XfsTestImages.xfsDb(img, "fsmap"));
        }
    }

    @Test
    void everyPathResolvesToTheInodeXfsDbNames() throws Exception {
        Path img = image();
        try (XfsImage x = XfsImage.open(img)) {
            Map<Long, List<String>> ncheck = XfsGroundTruth.ncheck(img);
            Namespace ns = x.namespace();
            Map<Long, List<String>> ours = new HashMap<>(ns.paths());
            ours.remove(x.superblock().rootino());
            assertThat(ours.keySet()).isEqualTo(ncheck.keySet());
            ncheck.forEach((ino, paths) -> assertThat(ns.paths(ino)).containsAll(paths));
            // the root, small, big, link, longlink, sf, sf/one, blk and 40, leaf and 100, node and 2000
            assertThat(ns.paths()).hasSize(1 + 4 + 2 + 41 + 101 + 2001);
        }
    }

    @Test
    void everyForkMatchesXfsDbBmap() throws Exception {
        Path img = image();
        try (XfsImage x = XfsImage.open(img)) {
            Map<Long, List<String>> want = XfsGroundTruth.bmaps(img, x.namespace().paths().keySet());
            Map<Long, List<String>> have = new HashMap<>();
            for (long ino : x.namespace().paths().keySet()) {
                have.put(ino, XfsGroundTruth.bmapLines(x.superblock(), x.inode(ino)));
            }
            assertThat(have).isEqualTo(want);
        }
    }

    @Test
    void directoriesOfEveryForm() throws Exception {
        Path img = image();
        try (XfsImage x = XfsImage.open(img)) {
            Namespace ns = x.namespace();
            Map<String, Long> ino = new HashMap<>();
            ns.paths().forEach((i, ps) -> ps.forEach(p -> ino.put(p, i)));
            long leafBlock = DirectoryReader.LEAF_OFFSET >> x.superblock().blocklog();
            Dinode sf = x.inode(ino.get("/sf"));
            assertThat(sf.dataFork().format()).isEqualTo(ForkFormat.LOCAL);
            assertThat(x.directoryEntries(sf)).containsExactly(new DirEntry("one", ino.get("/sf/one"), 1));
            Dinode blk = x.inode(ino.get("/blk"));
            assertThat(blk.dataFork().extents()).singleElement()
                    .satisfies(e -> assertThat(e.endoff()).isLessThanOrEqualTo(leafBlock));
            assertThat(x.directoryEntries(blk)).hasSize(40);
            Dinode leaf = x.inode(ino.get("/leaf"));
            assertThat(leaf.dataFork().extents()).anyMatch(e -> e.startoff() == leafBlock)
                    .noneMatch(e -> e.startoff() >= 2 * leafBlock);
            Dinode node = x.inode(ino.get("/node"));
            assertThat(node.dataFork().extents()).anyMatch(e -> e.startoff() >= 2 * leafBlock);
            assertThat(x.directoryEntries(node)).hasSize(2000).allMatch(e -> e.ftype() == 1);
            assertThat(x.inode(ino.get("/longlink")).dataFork().format()).isEqualTo(ForkFormat.EXTENTS);
            assertThat(x.inode(ino.get("/link")).kind()).isEqualTo(InodeKind.SYMLINK);
            assertThat(x.inode(ino.get("/big")).dataFork().mappedBlocks()).isEqualTo((3 << 20) / 4096);
        }
    }
}
