package dev.daxviz.importer.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Random damage to real metadata, half the time with the CRC recomputed so that the field checks behind the CRC
 * are what must object: every read of the whole image either succeeds or throws {@link ImageException}, within
 * the time limit, and nothing else (no index, argument, arithmetic or memory error) ever escapes.
 */
class XfsFuzzTest {

    private static final int TRIES = Integer.getInteger("daxviz.importer.fuzz.tries", 60);
    private static final long SEED = Long.getLong("daxviz.importer.fuzz.seed", 20260909L);

    /** A metadata structure to damage: where it lies, how long it is and where its CRC sits (-1: none). */
    private record Target(String what, long offset, int length, int crcOff) {
    }

    @Test
    void damagedMetadataNeverEscapesAsAnythingButImageException() throws Exception {
        XfsTestImages.requireTools();
        Path src = XfsTestImages.canMount() ? XfsTestImages.files(512).image() : XfsTestImages.protofile();
        List<Target> targets = targets(src);
        assertThat(targets).hasSizeGreaterThan(50);
        Path img = XfsTestImages.copy(src, "fuzz.img");
        Random rnd = new Random(SEED);
        int rejected = 0;
        for (int t = 0; t < TRIES; t++) {
            Target target = targets.get(rnd.nextInt(targets.size()));
            ByteBuffer original = read(img, target.offset, target.length);
            ByteBuffer damaged = ByteBuffer.allocate(target.length).put(original.duplicate().clear());
            int at = rnd.nextBoolean() ? rnd.nextInt(Math.min(176, target.length)) : rnd.nextInt(target.length);
            damaged.put(at, (byte) (damaged.get(at) ^ (1 + rnd.nextInt(255))));
            boolean fixCrc = target.crcOff >= 0 && rnd.nextBoolean() && (at < target.crcOff
                    || at >= target.crcOff + 4);
            if (fixCrc) {
                damaged.putInt(target.crcOff, Integer.reverseBytes(Crc.compute(damaged, target.crcOff)));
            }
            write(img, target.offset, damaged);
            String what = "try " + t + " (seed " + SEED + "): " + target.what + " byte " + at
                    + (fixCrc ? " with its CRC recomputed" : "");
            try {
                Throwable escaped = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                    try (XfsImage x = XfsImage.open(img)) {
                        readEverything(x);
                        return null;
                    } catch (ImageException e) {
                        assertThat(e.getMessage()).as(what).contains(": ").contains(" — ");
                        return e;
                    } catch (RuntimeException | Error e) {
                        return e;
                    }
                }, what);
                if (escaped instanceof ImageException) {
                    rejected++;
                } else if (escaped != null) {
                    fail(what + ": " + escaped, escaped);
                }
            } finally {
                write(img, target.offset, original);
            }
        }
        assertThat(rejected).as("tries the reader rejected").isPositive();
    }

    /** Reads every structure the importer reads. */
    static void readEverything(XfsImage x) throws ImageException {
        Fsmap.lines(x);
        for (int agno = 0; agno < x.agcount(); agno++) {
            x.freeExtents(agno);
            x.freeExtentsBySize(agno);
            x.refcountRecords(agno);
            x.freeInodeChunks(agno);
            for (long ino : x.allocatedInodes(agno)) {
                Dinode d = x.inode(ino);
                if (d.kind() == InodeKind.DIRECTORY) {
                    x.directoryEntries(d);
                }
            }
        }
        x.namespace();
    }

    /** AG headers, the primary superblock, btree, bmbt and directory blocks and in-use inodes of the image. */
    private static List<Target> targets(Path src) throws Exception {
        List<Target> out = new ArrayList<>();
        try (XfsImage x = XfsImage.open(src)) {
            Superblock sb = x.superblock();
            int bs = (int) sb.blocksize();
            out.add(new Target("superblock", 0, sb.sectsize(), Superblock.CRC_OFF));
            Set<Long> dirs = x.namespace().directories();
            for (int agno = 0; agno < x.agcount(); agno++) {
                long ag = sb.byteOffset(agno, 0);
                out.add(new Target("AG " + agno + " AGF", ag + sb.sectsize(), sb.sectsize(), Agf.CRC_OFF));
                out.add(new Target("AG " + agno + " AGI", ag + 2L * sb.sectsize(), sb.sectsize(), Agi.CRC_OFF));
                out.add(new Target("AG " + agno + " AGFL", ag + 3L * sb.sectsize(), sb.sectsize(), Agfl.CRC_OFF));
                for (RmapRecord r : x.rmapRecords(agno)) {
                    for (long b = r.startblock(); b < r.startblock() + Math.min(r.blockcount(), 64); b++) {
                        long off = sb.byteOffset(agno, b);
                        String where = "AG " + agno + " block " + b + " (owner " + r.owner() + ")";
                        if (r.owner() == RmapRecord.OWN_AG || r.owner() == RmapRecord.OWN_INOBT
                                || r.owner() == RmapRecord.OWN_REFC) {
                            out.add(new Target(where, off, bs, AgBtreeType.CRC_OFF));
                        } else if (r.bmbtBlock()) {
                            out.add(new Target(where + " bmbt", off, bs, 64));
                        } else if (r.ownerIsInode() && !r.attrFork() && dirs.contains(r.owner())) {
                            out.add(new Target(where + " directory", off, bs, DirectoryReader.CRC_OFF));
                        }
                    }
                }
                for (long ino : x.allocatedInodes(agno)) {
                    long agino = sb.inoAgino(ino);
                    out.add(new Target("inode " + ino, sb.byteOffset(agno, sb.aginoAgbno(agino))
                            + (long) sb.aginoSlot(agino) * sb.inodesize(), sb.inodesize(), InodeReader.CRC_OFF));
                }
            }
        }
        return out;
    }

    private static ByteBuffer read(Path img, long offset, int len) throws IOException {
        try (FileChannel ch = FileChannel.open(img, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(len);
            ch.read(b, offset);
            return b.clear();
        }
    }

    private static void write(Path img, long offset, ByteBuffer b) throws IOException {
        try (FileChannel ch = FileChannel.open(img, StandardOpenOption.WRITE)) {
            ch.write(b.duplicate().clear(), offset);
        }
    }
}
