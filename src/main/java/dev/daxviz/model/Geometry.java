package dev.daxviz.model;

/**
 * XFS geometry as mkfs.xfs lays it out for a pmem device (4 KiB sectors): sizes in fs blocks.
 *
 * @param blockSize  fs block size in bytes (4096)
 * @param dblocks    data device blocks
 * @param agcount    allocation groups
 * @param agblocks   blocks per AG (the last AG may be shorter)
 * @param agblklog   log2 of agblocks rounded up: the AG part of an inode or block number
 * @param inodeSize  bytes per inode (512)
 * @param inopblog   log2 of inodes per block
 * @param logAgno    AG holding the internal log, or -1 for an external log
 * @param logAgbno   first block of the internal log in its AG
 * @param logBlocks  log length in blocks
 */
public record Geometry(int blockSize, long dblocks, int agcount, int agblocks, int agblklog, int inodeSize,
                       int inopblog, int logAgno, int logAgbno, int logBlocks) {

    /** agbno 0–3: superblock, AGF, AGI, AGFL — one 4 KiB sector each. */
    public static final int HEADERS = 0;
    public static final int BNOBT_ROOT = 4;
    public static final int CNTBT_ROOT = 5;
    public static final int INOBT_ROOT = 6;
    public static final int FINOBT_ROOT = 7;
    public static final int RMAPBT_ROOT = 8;
    public static final int REFCOUNTBT_ROOT = 9;
    /** agbno 10–15: AGFL blocks held for btree growth. */
    public static final int AGFL_RESERVE = 10;
    public static final int AGFL_RESERVE_BLOCKS = 6;
    /** First block after the fixed per-AG metadata. */
    public static final int FIRST_FREE = 16;
    /** An inode chunk: 64 inodes of 512 bytes = 8 blocks, aligned to 8 blocks. */
    public static final int INODES_PER_CHUNK = 64;
    public static final int MIN_AG_BLOCKS = 64;

    public Geometry {
        if (agcount < 1 || agblocks < MIN_AG_BLOCKS) {
            throw new IllegalArgumentException("an AG needs at least " + MIN_AG_BLOCKS + " blocks: " + agblocks);
        }
    }

    /**
     * The geometry mkfs.xfs computes for a data device of {@code size} bytes and {@code agcount} AGs,
     * with the log placed in the middle AG after its fixed headers (xfs-layout-reference.md).
     */
    public static Geometry mkfs(long size, int agcount, boolean internalLog) {
        int bs = (int) Units.PAGE_SIZE;
        long dblocks = size / bs;
        long agb = Math.floorDiv(dblocks + agcount - 1, agcount);
        if (agb > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("AG of " + agb + " blocks is larger than XFS allows (1 TiB): use more AGs");
        }
        int agblocks = (int) agb;
        int agblklog = 64 - Long.numberOfLeadingZeros(agblocks - 1L);
        int logBlocks = internalLog ? defaultLogBlocks(dblocks, agblocks) : 0;
        int logAgno = internalLog ? agcount / 2 : -1;
        int logAgbno = internalLog ? AGFL_RESERVE : 0;
        return new Geometry(bs, dblocks, agcount, agblocks, agblklog, 512, 3, logAgno, logAgbno, logBlocks);
    }

    /**
     * Default internal log size, as xfsprogs 6.1 chose it on 4 KiB-sector devices: 64 MiB from about
     * 300 MB up (measured for 502 MiB, 1 GiB, 4 GiB), growing at 1/2048 of the filesystem beyond
     * 128 GiB up to 2 GiB; below 300 MB the minimum log for a reflink+rmapbt filesystem (2,928 blocks,
     * measured for 256 MiB). The log and the AGFL blocks after it must fit in the AG; below 300 MB
     * (where real mkfs refuses reflink+rmapbt filesystems) never more than half an AG, so tiny test worlds
     * keep room for files.
     */
    static int defaultLogBlocks(long dblocks, int agblocks) {
        long bytes = dblocks * Units.PAGE_SIZE;
        long blocks;
        long cap;
        if (bytes >= 300 * Units.MiB) {
            blocks = Math.max(64 * Units.MiB, Math.min(2 * Units.GiB, bytes / 2048)) / Units.PAGE_SIZE;
            cap = agblocks - FIRST_FREE;
        } else {
            blocks = 2928;
            cap = agblocks / 2;
        }
        return (int) Math.min(blocks, cap);
    }

    public int inodesPerBlock() {
        return 1 << inopblog;
    }

    /** Blocks in AG {@code agno}: the last one gets what is left. */
    public int agSize(int agno) {
        if (agno < agcount - 1) {
            return agblocks;
        }
        return (int) (dblocks - (long) agblocks * (agcount - 1));
    }

    public long fsblock(int agno, int agbno) {
        return (long) agno * agblocks + agbno;
    }

    public int agnoOf(long fsblock) {
        return (int) (fsblock / agblocks);
    }

    public int agbnoOf(long fsblock) {
        return (int) (fsblock % agblocks);
    }

    /** {@code XFS_AGINO_TO_INO}: the AG number in the high bits. */
    public long ino(int agno, long agino) {
        return ((long) agno << (agblklog + inopblog)) | agino;
    }

    public int agnoOfIno(long ino) {
        return (int) (ino >>> (agblklog + inopblog));
    }

    public long aginoOf(long ino) {
        return ino & ((1L << (agblklog + inopblog)) - 1);
    }

    /** The block an inode lives in: agino = agbno << inopblog | slot. */
    public int agbnoOfIno(long ino) {
        return (int) (aginoOf(ino) >>> inopblog);
    }

    public boolean hasInternalLog() {
        return logAgno >= 0;
    }
}
