package dev.daxviz.importer.disk;

import static dev.daxviz.importer.disk.XfsGroundTruth.num;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Damaged images: a byte flipped in each kind of structure, pointers rewritten into loops and past the AG end
 * (with the CRC recomputed, so the walk's own checks must catch them), a truncated copy, a file that is not XFS
 * and a v4 filesystem. Each must end in an {@link ImageException} naming the right structure, AG and block,
 * quickly, never in a hang or an out-of-memory error.
 */
class XfsCorruptionTest {

    private static final Duration LIMIT = Duration.ofSeconds(10);
    /** {@code <where>: <what is wrong> — <how to fix>}. */
    private static final Pattern SHAPE = Pattern.compile("^[^:]+: .+ — .+$");

    interface Action {
        void run(XfsImage image) throws Exception;
    }

    /** Opens {@code img}, runs {@code action} and returns the ImageException that must come of it. */
    private static ImageException failure(Path img, Action action) {
        return assertTimeoutPreemptively(LIMIT, () -> {
            Throwable[] caught = new Throwable[1];
            assertThatThrownBy(() -> {
                try (XfsImage x = XfsImage.open(img)) {
                    action.run(x);
                }
            }).isInstanceOf(ImageException.class).satisfies(t -> caught[0] = t);
            ImageException e = (ImageException) caught[0];
            assertThat(e.getMessage()).matches(SHAPE);
            assertThat(e.getMessage()).isEqualTo(e.where() + ": " + e.problem() + " — " + e.fix());
            return e;
        });
    }

    private static ImageException openFailure(Path img) {
        return failure(img, x -> { });
    }

    // ---- byte surgery ----

    private static void flip(Path img, long offset) throws IOException {
        try (FileChannel ch = FileChannel.open(img, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, offset);
            b.put(0, (byte) (b.get(0) ^ 0xff));
            ch.write(b.clear(), offset);
        }
    }

    private static Path flipped(Path src, String name, long offset) throws IOException {
        Path img = XfsTestImages.copy(src, name);
        flip(img, offset);
        return img;
    }

    private static ByteBuffer readBlock(Path img, long offset, int len) throws IOException {
        try (FileChannel ch = FileChannel.open(img, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.BIG_ENDIAN);
            ch.read(b, offset);
            return b.clear();
        }
    }

    /** Writes {@code block} back with its CRC (little-endian at {@code crcOff}) recomputed. */
    private static void writeWithCrc(Path img, long offset, ByteBuffer block, int crcOff) throws IOException {
        block.putInt(crcOff, Integer.reverseBytes(Crc.compute(block, crcOff)));
        try (FileChannel ch = FileChannel.open(img, StandardOpenOption.WRITE)) {
            ch.write(block.clear(), offset);
        }
    }

    /** Geometry as xfs_db prints it, so the tests find structures without the reader under test. */
    private record Geo(long blocksize, long agblocks, int sectsize, int inodesize, int agblklog, int inopblog) {
        static Geo of(Path img) throws IOException {
            Map<String, String> sb = XfsGroundTruth.print(img, "sb 0", "print");
            return new Geo(num(sb, "blocksize"), num(sb, "agblocks"), (int) num(sb, "sectsize"),
                    (int) num(sb, "inodesize"), (int) num(sb, "agblklog"), (int) num(sb, "inopblog"));
        }

        long byteOf(long agno, long agbno) {
            return (agno * agblocks + agbno) * blocksize;
        }

        long byteOfFsb(long fsb) {
            return byteOf(fsb >>> agblklog, fsb & ((1L << agblklog) - 1));
        }

        long byteOfIno(long ino) {
            long agno = ino >>> (agblklog + inopblog);
            long agino = ino & ((1L << (agblklog + inopblog)) - 1);
            return byteOf(agno, agino >>> inopblog) + (agino & ((1L << inopblog) - 1)) * inodesize;
        }
    }

    // ---- the superblock and AG headers ----

    @ParameterizedTest(name = "sectsize {0}")
    @ValueSource(ints = {512, 4096})
    void superblockByteFlip(int sectsize) throws Exception {
        XfsTestImages.requireTools();
        Path img = flipped(XfsTestImages.empty(sectsize, 4), "sb-" + sectsize + ".img", 130);
        ImageException e = openFailure(img);
        assertThat(e.structure()).isEqualTo("superblock");
        assertThat(e.agno()).isEqualTo(-1);
        assertThat(e.getMessage()).startsWith("superblock (daddr 0): bad CRC").contains("xfs_repair -n");
    }

    @ParameterizedTest(name = "sectsize {0}")
    @ValueSource(ints = {512, 4096})
    void agHeaderByteFlips(int sectsize) throws Exception {
        XfsTestImages.requireTools();
        Path src = XfsTestImages.empty(sectsize, 4);
        Geo g = Geo.of(src);
        String[] names = {"AGF", "AGI", "AGFL"};
        int[] ags = {2, 1, 3};
        for (int h = 0; h < 3; h++) {
            long off = g.byteOf(ags[h], 0) + (long) (h + 1) * sectsize;
            ImageException e = openFailure(flipped(src, names[h] + "-" + sectsize + ".img", off + 40));
            assertThat(e.structure()).isEqualTo(names[h]);
            assertThat(e.agno()).isEqualTo(ags[h]);
            assertThat(e.block()).as("the AG block the header sector lies in")
                    .isEqualTo((long) (h + 1) * sectsize / g.blocksize());
            assertThat(e.getMessage()).startsWith("AG " + ags[h] + " " + names[h] + " (daddr " + off / 512 + "): bad CRC");
        }
    }

    // ---- per-AG btree blocks ----

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"bnobt", "cntbt", "inobt", "finobt", "rmapbt", "refcountbt"})
    void btreeBlockByteFlip(String tree) throws Exception {
        XfsTestImages.requireTools();
        Path src = XfsTestImages.empty(512, 4);
        Geo g = Geo.of(src);
        int agno = 1;
        boolean inodeTree = tree.endsWith("inobt");
        String field = switch (tree) {
            case "bnobt" -> "bnoroot";
            case "cntbt" -> "cntroot";
            case "inobt" -> "root";
            case "finobt" -> "free_root";
            case "rmapbt" -> "rmaproot";
            default -> "refcntroot";
        };
        long root = num(XfsGroundTruth.print(src, (inodeTree ? "agi " : "agf ") + agno, "print"), field);
        Path img = flipped(src, tree + ".img", g.byteOf(agno, root) + 20);
        Action walk = switch (tree) {
            case "bnobt" -> x -> x.freeExtents(agno);
            case "cntbt" -> x -> x.freeExtentsBySize(agno);
            case "inobt" -> x -> x.inodeChunks(agno);
            case "finobt" -> x -> x.freeInodeChunks(agno);
            case "rmapbt" -> x -> x.rmapRecords(agno);
            default -> x -> x.refcountRecords(agno);
        };
        ImageException e = failure(img, walk);
        assertThat(e.structure()).isEqualTo(tree);
        assertThat(e.agno()).isEqualTo(agno);
        assertThat(e.block()).isEqualTo(root);
        assertThat(e.getMessage()).startsWith("AG 1 " + tree + " block " + root + " (level 0): bad CRC");
        // the other AGs are intact
        try (XfsImage x = XfsImage.open(img)) {
            assertThat(x.rmapRecords(0)).isNotEmpty();
        }
    }

    @Test
    void rmapbtPointerIntoALoop() throws Exception {
        rewriteRmapPointer("loop", (root, agLength) -> root, "already visited: the btree has a loop");
    }

    @Test
    void rmapbtPointerPastTheAgEnd() throws Exception {
        rewriteRmapPointer("past-end", (root, agLength) -> agLength + 7, "outside the AG");
    }

    interface PointerValue {
        long of(long root, long agLength);
    }

    /** Rewrites the second pointer of a 2-level rmapbt root and fixes the CRC: only the walk can object. */
    private void rewriteRmapPointer(String name, PointerValue value, String problem) throws Exception {
        XfsTestImages.requireMount();
        Path src = XfsTestImages.files(512).image();
        Geo g = Geo.of(src);
        int agno = -1;
        long root = 0;
        long length = 0;
        for (int a = 0; a < 4 && agno < 0; a++) {
            Map<String, String> agf = XfsGroundTruth.print(src, "agf " + a, "print");
            if (num(agf, "rmaplevel") >= 2) {
                agno = a;
                root = num(agf, "rmaproot");
                length = num(agf, "length");
            }
        }
        assertThat(agno).as("an AG with a 2-level rmapbt").isNotNegative();
        Path img = XfsTestImages.copy(src, "rmap-" + name + ".img");
        ByteBuffer b = readBlock(img, g.byteOf(agno, root), (int) g.blocksize());
        assertThat(b.getShort(4)).as("root level").isPositive();
        // struct xfs_btree_block (56 bytes), then maxrecs low+high key pairs (40 bytes), then the pointers
        int maxrecs = (int) ((g.blocksize() - 56) / (40 + 4));
        b.putInt(56 + maxrecs * 40 + 4, (int) value.of(root, length));
        writeWithCrc(img, g.byteOf(agno, root), b, 52);
        int ag = agno;
        ImageException e = failure(img, x -> x.rmapRecords(ag));
        assertThat(e.structure()).isEqualTo("rmapbt");
        assertThat(e.agno()).isEqualTo(agno);
        assertThat(e.block()).isEqualTo(root);
        assertThat(e.getMessage()).startsWith("AG " + agno + " rmapbt block " + root + " (level ")
                .contains("pointer 1").contains(problem);
        // xfs_db agrees the tree is broken, not the CRC
        assertThat(String.join("\n", XfsTestImages.xfsDb(img, "agf " + agno, "addr rmaproot", "print crc")))
                .contains("correct");
    }

    // ---- inodes, bmbt blocks, directory blocks ----

    @Test
    void inodeByteFlip() throws Exception {
        XfsTestImages.requireTools();
        Path src = XfsTestImages.protofile();
        Geo g = Geo.of(src);
        long ino = XfsGroundTruth.ncheck(src).entrySet().stream().filter(en -> en.getValue().contains("/big"))
                .findFirst().orElseThrow().getKey();
        Path img = flipped(src, "inode.img", g.byteOfIno(ino) + 60);
        ImageException e = failure(img, x -> x.inode(ino));
        assertThat(e.structure()).isEqualTo("inode");
        assertThat(e.ino()).isEqualTo(ino);
        assertThat(e.getMessage()).startsWith("inode " + ino + " (AG ").contains("bad CRC");
        // reading every inode in use (as an import does) meets it too; the namespace walk does not read a regular
        // file's inode, since its directory entry gives the type
        assertThat(failure(img, x -> {
            for (int agno = 0; agno < x.agcount(); agno++) {
                for (long i : x.allocatedInodes(agno)) {
                    x.inode(i);
                }
            }
        }).ino()).isEqualTo(ino);
    }

    @Test
    void directoryBlockByteFlip() throws Exception {
        XfsTestImages.requireTools();
        Path src = XfsTestImages.protofile();
        Geo g = Geo.of(src);
        long dir = XfsGroundTruth.ncheck(src).entrySet().stream().filter(en -> en.getValue().contains("/node"))
                .findFirst().orElseThrow().getKey();
        String first = XfsGroundTruth.bmaps(src, List.of(dir)).get(dir).get(0);
        Matcher m = Pattern.compile("startblock (\\d+) \\((\\d+)/(\\d+)\\)").matcher(first);
        assertThat(m.find()).isTrue();
        long fsb = Long.parseLong(m.group(1));
        Path img = flipped(src, "dirblock.img", g.byteOfFsb(fsb) + 100);
        ImageException e = failure(img, XfsImage::namespace);
        assertThat(e.structure()).isEqualTo("directory");
        assertThat(e.ino()).isEqualTo(dir);
        assertThat(e.agno()).isEqualTo(Integer.parseInt(m.group(2)));
        assertThat(e.block()).isEqualTo(Long.parseLong(m.group(3)));
        assertThat(e.getMessage()).startsWith("directory inode " + dir + " block 0 (fsb " + m.group(2) + "/"
                + m.group(3) + "): bad CRC");
    }

    /** The fs block of the first bmbt block under /big's in-inode root, as xfs_db reads it. */
    private static long bigBmbtChild(Path src, long ino) throws IOException {
        String ptrs = XfsGroundTruth.print(src, "inode " + ino, "print u3.bmbt.ptrs").values().iterator().next();
        // one pointer prints as "ptrs[1] = 103", several as "ptrs[1-2] = 1:103 2:104"
        Matcher m = Pattern.compile("^(?:1:)?(\\d+)").matcher(ptrs);
        assertThat(m.find()).as("bmbt root pointers: %s", ptrs).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static long bigIno() throws IOException {
        return XfsTestImages.files(512).paths().entrySet().stream().filter(en -> en.getValue().contains("/big"))
                .findFirst().orElseThrow().getKey();
    }

    @Test
    void bmbtBlockByteFlip() throws Exception {
        XfsTestImages.requireMount();
        Path src = XfsTestImages.files(512).image();
        Geo g = Geo.of(src);
        long ino = bigIno();
        long fsb = bigBmbtChild(src, ino);
        Path img = flipped(src, "bmbt.img", g.byteOfFsb(fsb) + 300);
        ImageException e = failure(img, x -> x.inode(ino));
        assertThat(e.structure()).isEqualTo("bmbt");
        assertThat(e.ino()).isEqualTo(ino);
        assertThat(e.agno()).isEqualTo((int) (fsb >>> g.agblklog()));
        assertThat(e.block()).isEqualTo(fsb & ((1L << g.agblklog()) - 1));
        assertThat(e.getMessage()).startsWith("inode " + ino + " data fork bmbt block ").contains("bad CRC");
    }

    @Test
    void bmbtPointerIntoALoop() throws Exception {
        XfsTestImages.requireMount();
        Path src = XfsTestImages.files(512).image();
        Geo g = Geo.of(src);
        long ino = bigIno();
        long fsb = bigBmbtChild(src, ino);
        Path img = XfsTestImages.copy(src, "bmbt-loop.img");
        ByteBuffer b = readBlock(img, g.byteOfFsb(fsb), (int) g.blocksize());
        assertThat(b.getShort(4)).as("the child of a 2-level root is a node").isEqualTo((short) 1);
        // 72-byte long-form header, maxrecs 8-byte keys, then 8-byte pointers: point the second back at itself
        int maxrecs = (int) ((g.blocksize() - 72) / 16);
        b.putLong(72 + maxrecs * 8 + 8, fsb);
        writeWithCrc(img, g.byteOfFsb(fsb), b, 64);
        ImageException e = failure(img, x -> x.inode(ino));
        assertThat(e.structure()).isEqualTo("bmbt");
        assertThat(e.getMessage()).contains("pointer 1").contains("loop");
    }

    // ---- whole images ----

    @Test
    void truncatedImage() throws Exception {
        XfsTestImages.requireTools();
        Path img = XfsTestImages.copy(XfsTestImages.empty(512, 4), "truncated.img");
        XfsTestImages.check(XfsTestImages.run(List.of("truncate", "-s", "600m", img.toString()), 60), "truncate");
        ImageException e = openFailure(img);
        assertThat(e.structure()).isEqualTo("superblock");
        assertThat(e.getMessage()).contains("ends at byte " + 600L * 1024 * 1024)
                .endsWith("the image is truncated; copy it again");
    }

    @Test
    void imageCutInsideTheFirstSector() throws Exception {
        XfsTestImages.requireTools();
        Path img = XfsTestImages.copy(XfsTestImages.empty(512, 4), "tiny.img");
        XfsTestImages.check(XfsTestImages.run(List.of("truncate", "-s", "100", img.toString()), 60), "truncate");
        assertThat(openFailure(img).getMessage()).contains("only 100 bytes");
    }

    @Test
    void notAnXfsFilesystem() throws Exception {
        XfsTestImages.requireTools();
        ImageException e = openFailure(XfsTestImages.notXfs());
        assertThat(e.structure()).isEqualTo("superblock");
        assertThat(e.getMessage()).contains("no XFS superblock").contains("not an XFS filesystem");
    }

    @Test
    void v4Filesystem() throws Exception {
        XfsTestImages.requireTools();
        ImageException e = openFailure(XfsTestImages.v4());
        assertThat(e.getMessage()).contains("v4 filesystem").contains("not supported")
                .contains("DaxViz reads v5 (CRC) filesystems").endsWith("recreate it with mkfs.xfs -m crc=1");
    }

    @Test
    void missingFile() throws Exception {
        ImageException e = openFailure(Path.of("/nonexistent/daxviz.img"));
        assertThat(e.structure()).isEqualTo("image");
        assertThat(e.getMessage()).isEqualTo("/nonexistent/daxviz.img: no such file — check the path");
    }

    @Test
    void cancellationStopsTheNextRead() throws Exception {
        XfsTestImages.requireTools();
        AtomicBoolean cancel = new AtomicBoolean();
        try (XfsImage x = XfsImage.open(XfsTestImages.protofile(), cancel::get)) {
            cancel.set(true);
            assertThatThrownBy(x::namespace).isInstanceOf(CancellationException.class);
        }
    }
}
