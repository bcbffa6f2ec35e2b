package dev.daxviz.importer.disk;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.UUID;

/**
 * The AG inode header, {@code struct xfs_agi} of xfs_format.h, in sector 2 of its AG: roots of the inode btree
 * and the free-inode btree, inode counts and the unlinked-inode hash buckets.
 */
public record Agi(
        int seqno,
        long length,
        long count,
        long root,
        int level,
        long freecount,
        long newino,
        long dirino,
        List<Long> unlinked,
        UUID uuid,
        long lsn,
        long freeRoot,
        int freeLevel,
        long iblocks,
        long fblocks) {

    static final int MAGIC = 0x58414749; // XAGI
    static final int VERSION = 1;
    static final int CRC_OFF = 312;
    static final int UNLINKED_BUCKETS = 64;
    /** agi_unlinked entries that point nowhere. */
    public static final long NULLAGINO = 0xffffffffL;

    static Agi read(ImageReader reader, Superblock sb, int agno) throws ImageException {
        long byteOff = sb.byteOffset(agno, 0) + 2L * sb.sectsize();
        Where where = Where.agHeader("AGI", agno, 2L * sb.sectsize() / sb.blocksize(), byteOff >> 9);
        ByteBuffer b = reader.read(byteOff, sb.sectsize(), where);
        AgHeaders.checkMagic(b, MAGIC, "XAGI", where);
        Crc.verify(b, CRC_OFF, where);
        Long[] buckets = new Long[UNLINKED_BUCKETS];
        for (int i = 0; i < UNLINKED_BUCKETS; i++) {
            buckets[i] = u32(b, 40 + 4 * i);
        }
        Agi agi = new Agi(b.getInt(8), u32(b, 12), u32(b, 16), u32(b, 20), b.getInt(24), u32(b, 28), u32(b, 32),
                u32(b, 36), List.of(buckets), Superblock.uuid(b, 296), b.getLong(320), u32(b, 328),
                b.getInt(332), u32(b, 336), u32(b, 340));
        if (b.getInt(4) != VERSION) {
            throw ImageException.damaged(where, "bad version " + b.getInt(4));
        }
        AgHeaders.checkCommon(sb, agno, agi.seqno, agi.length, agi.uuid, where);
        AgHeaders.checkRoot("inobt", agi.root, agi.level, agi.length, where);
        if (sb.hasFinobt()) {
            AgHeaders.checkRoot("finobt", agi.freeRoot, agi.freeLevel, agi.length, where);
        }
        if (agi.freecount > agi.count) {
            throw ImageException.damaged(where, "freecount " + agi.freecount + " exceeds count " + agi.count);
        }
        return agi;
    }

    private static long u32(ByteBuffer b, int off) {
        return Superblock.u32(b, off);
    }
}
