package dev.daxviz.importer.disk;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads every record of one per-AG btree, depth-first and left to right, so records come out in key order.
 * Each block is checked as the kernel's verifiers do (magic, CRC, level, numrecs, blkno, owner, uuid) and each
 * pointer before it is followed (inside the AG, not yet visited), so a damaged tree ends in an
 * {@link ImageException} naming the block, never in a loop or a huge allocation.
 */
final class AgBtreeWalker<R> {

    /** Turns the record at {@code off} of a leaf into a value, checking it against the AG. */
    interface RecordDecoder<R> {
        R decode(ByteBuffer leaf, int off, long agLength, Where where) throws ImageException;
    }

    private final ImageReader reader;
    private final Superblock sb;
    private final int agno;
    private final AgBtreeType type;
    private final RecordDecoder<R> decoder;
    private final long agLength;
    private final Set<Long> visited = new HashSet<>();
    private final List<R> records = new ArrayList<>();

    private AgBtreeWalker(ImageReader reader, Superblock sb, int agno, AgBtreeType type, RecordDecoder<R> decoder) {
        this.reader = reader;
        this.sb = sb;
        this.agno = agno;
        this.type = type;
        this.decoder = decoder;
        this.agLength = sb.agLength(agno);
    }

    /**
     * All records of the tree rooted at {@code root}.
     *
     * @param levels the tree's height as the AG header gives it (1 = the root is a leaf)
     */
    static <R> List<R> walk(ImageReader reader, Superblock sb, int agno, AgBtreeType type, long root, int levels,
                            RecordDecoder<R> decoder) throws ImageException {
        AgBtreeWalker<R> w = new AgBtreeWalker<>(reader, sb, agno, type, decoder);
        w.visited.add(root);
        w.visit(root, levels - 1, true);
        return w.records;
    }

    private void visit(long agbno, int level, boolean isRoot) throws ImageException {
        Where where = Where.btreeBlock(type.kernelName, agno, agbno, level);
        ByteBuffer b = reader.read(sb.byteOffset(agno, agbno), (int) sb.blocksize(), where);
        checkHeader(b, agbno, level, isRoot, where);
        int numrecs = Short.toUnsignedInt(b.getShort(6));
        if (level == 0) {
            for (int i = 0; i < numrecs; i++) {
                records.add(decoder.decode(b, type.recOffset(i), agLength,
                        Where.btreeBlock(type.kernelName, agno, agbno, level)));
            }
            return;
        }
        for (int i = 0; i < numrecs; i++) {
            long ptr = Superblock.u32(b, type.ptrOffset(sb.blocksize(), i));
            if (ptr == 0 || ptr >= agLength) {
                throw ImageException.damaged(where, "pointer " + i + " is block " + ptr
                        + ", outside the AG (length " + agLength + ")");
            }
            if (!visited.add(ptr)) {
                throw ImageException.damaged(where, "pointer " + i + " leads to block " + ptr
                        + ", which this walk already visited: the btree has a loop");
            }
            if (visited.size() > agLength) {
                throw ImageException.damaged(where, "the btree has more blocks than its AG");
            }
            visit(ptr, level - 1, false);
        }
    }

    private void checkHeader(ByteBuffer b, long agbno, int level, boolean isRoot, Where where)
            throws ImageException {
        int magic = b.getInt(0);
        if (magic != type.magic) {
            throw ImageException.damaged(where, String.format("bad magic 0x%08x (want 0x%08x for %s)", magic,
                    type.magic, type.kernelName));
        }
        Crc.verify(b, AgBtreeType.CRC_OFF, where);
        int bbLevel = Short.toUnsignedInt(b.getShort(4));
        if (bbLevel != level) {
            throw ImageException.damaged(where, "block says level " + bbLevel + " but its "
                    + (isRoot ? "AG header gives the tree height " + (level + 1) : "parent is at level "
                    + (level + 1)));
        }
        int numrecs = Short.toUnsignedInt(b.getShort(6));
        int maxrecs = level == 0 ? type.leafMaxRecs(sb.blocksize()) : type.nodeMaxRecs(sb.blocksize());
        if (numrecs > maxrecs || (numrecs == 0 && !(isRoot && level == 0))) {
            throw ImageException.damaged(where, "numrecs " + numrecs + " out of range (1.." + maxrecs + ")");
        }
        long daddr = sb.daddr(agno, agbno);
        long blkno = b.getLong(16);
        if (blkno != daddr) {
            throw ImageException.damaged(where, "block says it lives at daddr " + blkno + " but it was read from daddr "
                    + daddr + " (a misdirected write?)");
        }
        long owner = Superblock.u32(b, 48);
        if (owner != agno) {
            throw ImageException.damaged(where, "block says it belongs to AG " + owner);
        }
        if (!Superblock.uuid(b, 32).equals(sb.metadataUuid())) {
            throw ImageException.damaged(where, "UUID " + Superblock.uuid(b, 32) + " is not the filesystem's");
        }
    }

    // ---- record decoders, one per record type (xfs_format.h) ----

    static FreeExtent allocRec(ByteBuffer b, int off, long agLength, Where where) throws ImageException {
        long startblock = Superblock.u32(b, off);
        long blockcount = Superblock.u32(b, off + 4);
        checkExtent("free extent", startblock, blockcount, agLength, where);
        return new FreeExtent(startblock, blockcount);
    }

    static RmapRecord rmapRec(ByteBuffer b, int off, long agLength, Where where) throws ImageException {
        long startblock = Superblock.u32(b, off);
        long blockcount = Superblock.u32(b, off + 4);
        long owner = b.getLong(off + 8);
        long rawOffset = b.getLong(off + 16);
        checkExtent("rmap", startblock, blockcount, agLength, where);
        long flags = RmapRecord.OFF_ATTR_FORK | RmapRecord.OFF_BMBT_BLOCK | RmapRecord.OFF_UNWRITTEN;
        if ((rawOffset & ~(flags | RmapRecord.OFF_MASK)) != 0) {
            throw ImageException.damaged(where, "rmap record at " + startblock + " has unused offset bits set (0x"
                    + Long.toHexString(rawOffset) + ")");
        }
        return new RmapRecord(startblock, blockcount, owner, rawOffset & RmapRecord.OFF_MASK,
                (rawOffset & RmapRecord.OFF_ATTR_FORK) != 0, (rawOffset & RmapRecord.OFF_BMBT_BLOCK) != 0,
                (rawOffset & RmapRecord.OFF_UNWRITTEN) != 0);
    }

    static RefcountRecord refcountRec(ByteBuffer b, int off, long agLength, Where where) throws ImageException {
        long raw = Superblock.u32(b, off);
        long blockcount = Superblock.u32(b, off + 4);
        long refcount = Superblock.u32(b, off + 8);
        boolean cow = (raw & RefcountRecord.COW_START) != 0;
        long startblock = raw & ~RefcountRecord.COW_START;
        checkExtent("refcount", startblock, blockcount, agLength, where);
        if (refcount == 0 || (cow && refcount != 1)) {
            throw ImageException.damaged(where, "refcount record at " + startblock + " has refcount " + refcount
                    + (cow ? " in the CoW domain (must be 1)" : ""));
        }
        return new RefcountRecord(startblock, blockcount, refcount, cow);
    }

    /** Reads the sparse record form when the filesystem has sparse inodes, else the full form. */
    static RecordDecoder<InobtRecord> inobtRec(Superblock sb) {
        return (b, off, agLength, where) -> {
            long startino = Superblock.u32(b, off);
            int holemask;
            int count;
            int freecount;
            if (sb.hasSparseInodes()) {
                holemask = Short.toUnsignedInt(b.getShort(off + 4));
                count = Byte.toUnsignedInt(b.get(off + 6));
                freecount = Byte.toUnsignedInt(b.get(off + 7));
            } else {
                holemask = 0;
                count = InobtRecord.INODES_PER_CHUNK;
                freecount = b.getInt(off + 4);
            }
            long free = b.getLong(off + 8);
            long lastAgbno = sb.aginoAgbno(startino + InobtRecord.INODES_PER_CHUNK - 1);
            if (lastAgbno >= agLength) {
                throw ImageException.damaged(where, "inode chunk at agino " + startino + " runs past the AG end");
            }
            InobtRecord rec = new InobtRecord(startino, holemask, count, freecount, free);
            int exist = 0;
            for (int i = 0; i < InobtRecord.INODES_PER_CHUNK; i++) {
                exist += rec.exists(i) ? 1 : 0;
            }
            if (count != exist || freecount < 0 || freecount > count) {
                throw ImageException.damaged(where, "inode chunk at agino " + startino + " has count " + count
                        + " and freecount " + freecount + " but its holemask leaves " + exist + " inodes");
            }
            return rec;
        };
    }

    private static void checkExtent(String what, long startblock, long blockcount, long agLength, Where where)
            throws ImageException {
        if (blockcount == 0 || startblock + blockcount > agLength) {
            throw ImageException.damaged(where, what + " record [startblock " + startblock + ", blockcount "
                    + blockcount + "] is empty or runs past the AG end (" + agLength + ")");
        }
    }
}
