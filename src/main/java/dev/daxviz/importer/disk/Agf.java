package dev.daxviz.importer.disk;

import java.nio.ByteBuffer;
import java.util.UUID;

/**
 * The AG free-space header, {@code struct xfs_agf} of xfs_format.h, in sector 1 of its AG. It roots the
 * free-space btrees (by block, by size), the reverse-mapping btree and the reference-count btree.
 *
 * <p>Levels are btree heights as the AGF stores them: a root that is itself a leaf has level 1 here and
 * {@code bb_level} 0 in its block.
 */
public record Agf(
        int seqno,
        long length,
        long bnoRoot,
        long cntRoot,
        long rmapRoot,
        int bnoLevel,
        int cntLevel,
        int rmapLevel,
        long flfirst,
        long fllast,
        long flcount,
        long freeblks,
        long longest,
        long btreeblks,
        UUID uuid,
        long rmapBlocks,
        long refcountBlocks,
        long refcountRoot,
        int refcountLevel,
        long lsn) {

    static final int MAGIC = 0x58414746; // XAGF
    static final int VERSION = 1;
    static final int CRC_OFF = 216;
    /** Highest btree height this reader accepts; real AGs stay well below it (XFS_BTREE_MAXLEVELS was 9). */
    static final int MAX_LEVELS = 16;

    static Agf read(ImageReader reader, Superblock sb, int agno) throws ImageException {
        long byteOff = sb.byteOffset(agno, 0) + sb.sectsize();
        Where where = Where.agHeader("AGF", agno, sb.sectsize() / sb.blocksize(), byteOff >> 9);
        ByteBuffer b = reader.read(byteOff, sb.sectsize(), where);
        AgHeaders.checkMagic(b, MAGIC, "XAGF", where);
        Crc.verify(b, CRC_OFF, where);
        Agf agf = new Agf(b.getInt(8), u32(b, 12), u32(b, 16), u32(b, 20), u32(b, 24), b.getInt(28),
                b.getInt(32), b.getInt(36), u32(b, 40), u32(b, 44), u32(b, 48), u32(b, 52), u32(b, 56),
                u32(b, 60), Superblock.uuid(b, 64), u32(b, 80), u32(b, 84), u32(b, 88), b.getInt(92),
                b.getLong(208));
        agf.check(b, sb, agno, where);
        return agf;
    }

    private void check(ByteBuffer b, Superblock sb, int agno, Where where) throws ImageException {
        if (b.getInt(4) != VERSION) {
            throw ImageException.damaged(where, "bad version " + b.getInt(4));
        }
        AgHeaders.checkCommon(sb, agno, seqno, length, uuid, where);
        AgHeaders.checkRoot("bnobt", bnoRoot, bnoLevel, length, where);
        AgHeaders.checkRoot("cntbt", cntRoot, cntLevel, length, where);
        if (sb.hasRmapbt()) {
            AgHeaders.checkRoot("rmapbt", rmapRoot, rmapLevel, length, where);
        }
        if (sb.hasReflink()) {
            AgHeaders.checkRoot("refcountbt", refcountRoot, refcountLevel, length, where);
        }
        int agflSize = sb.agflSize();
        if (flfirst >= agflSize || fllast >= agflSize || flcount > agflSize) {
            throw ImageException.damaged(where, "free list indexes out of range (flfirst " + flfirst + ", fllast "
                    + fllast + ", flcount " + flcount + "; the AGFL holds " + agflSize + ")");
        }
        if (freeblks > length || longest > freeblks) {
            throw ImageException.damaged(where, "free block counts out of range (freeblks " + freeblks
                    + ", longest " + longest + ", AG length " + length + ")");
        }
    }

    private static long u32(ByteBuffer b, int off) {
        return Superblock.u32(b, off);
    }
}
