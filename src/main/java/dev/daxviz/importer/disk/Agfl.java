package dev.daxviz.importer.disk;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The AG free list, {@code struct xfs_agfl} of xfs_format.h, in sector 3 of its AG: blocks set aside for the
 * AGF btrees to grow into. The list is the circular slice {@code flfirst..fllast} ({@code flcount} entries,
 * wrapping at {@code (sectsize - 36) / 4}) of the block array that follows the 36-byte header.
 *
 * @param blocks the AG blocks on the free list, in list order
 */
public record Agfl(int seqno, UUID uuid, long lsn, List<Long> blocks) {

    static final int MAGIC = 0x5841464c; // XAFL
    static final int CRC_OFF = 32;
    /** The header is packed: the block array starts right after agfl_crc. */
    static final int BNO_OFF = 36;

    static Agfl read(ImageReader reader, Superblock sb, int agno, Agf agf) throws ImageException {
        long byteOff = sb.byteOffset(agno, 0) + 3L * sb.sectsize();
        Where where = Where.agHeader("AGFL", agno, 3L * sb.sectsize() / sb.blocksize(), byteOff >> 9);
        ByteBuffer b = reader.read(byteOff, sb.sectsize(), where);
        AgHeaders.checkMagic(b, MAGIC, "XAFL", where);
        Crc.verify(b, CRC_OFF, where);
        int seqno = b.getInt(4);
        UUID uuid = Superblock.uuid(b, 8);
        AgHeaders.checkCommon(sb, agno, seqno, agf.length(), uuid, where);
        int size = sb.agflSize();
        List<Long> blocks = new ArrayList<>((int) agf.flcount());
        for (long i = 0; i < agf.flcount(); i++) {
            int index = (int) ((agf.flfirst() + i) % size);
            long agbno = Superblock.u32(b, BNO_OFF + 4 * index);
            if (agbno == 0 || agbno >= agf.length()) {
                throw ImageException.damaged(where, "free list entry " + index + " is block " + agbno
                        + ", outside the AG (length " + agf.length() + ")");
            }
            blocks.add(agbno);
        }
        return new Agfl(seqno, uuid, b.getLong(24), List.copyOf(blocks));
    }
}
