package dev.daxviz.importer.disk;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * One fork of an inode: its format and, by format, its extents (EXTENTS, BTREE) or its bytes (LOCAL, DEV).
 *
 * @param attr       this is the attribute fork (else the data fork)
 * @param format     di_format or di_aformat
 * @param nextents   the extent count the inode declares (di_nextents / di_anextents, or the nrext64 fields)
 * @param extents    the mappings in file-offset order; empty for LOCAL and DEV
 * @param bmbtBlocks fs blocks of every bmbt node and leaf (not the root inside the inode), in the order the
 *                   walk met them; empty unless BTREE
 * @param local      read-only bytes of a LOCAL fork (for the data fork, di_size of them) or the 4-byte device
 *                   number of a DEV fork; empty otherwise
 */
public record Fork(boolean attr, ForkFormat format, long nextents, List<BmbtExtent> extents,
                   List<Long> bmbtBlocks, ByteBuffer local) {

    /** Total blocks the fork's extents map. */
    public long mappedBlocks() {
        long n = 0;
        for (BmbtExtent e : extents) {
            n += e.blockcount();
        }
        return n;
    }
}
