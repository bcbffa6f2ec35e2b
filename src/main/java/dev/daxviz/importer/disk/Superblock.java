package dev.daxviz.importer.disk;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The primary superblock, {@code struct xfs_dsb} of xfs_format.h (kernel names without the {@code sb_} prefix),
 * and the geometry arithmetic built on it (xfs_format.h's XFS_AGB_TO_FSB, XFS_INO_TO_AGNO and friends).
 *
 * <p>{@link #read} accepts only a v5 filesystem whose geometry is self-consistent and fits the image, so every
 * other reader may size its loops and buffers from these fields without further checks.
 */
public record Superblock(
        long blocksize,
        long dblocks,
        long rblocks,
        long rextents,
        UUID uuid,
        long logstart,
        long rootino,
        long rbmino,
        long rsumino,
        long rextsize,
        long agblocks,
        long agcount,
        long rbmblocks,
        long logblocks,
        int versionnum,
        int sectsize,
        int inodesize,
        int inopblock,
        String fname,
        int blocklog,
        int sectlog,
        int inodelog,
        int inopblog,
        int agblklog,
        int rextslog,
        int inprogress,
        int imaxPct,
        long icount,
        long ifree,
        long fdblocks,
        long frextents,
        long uquotino,
        long gquotino,
        long pquotino,
        long inoalignmt,
        int dirblklog,
        int logsectsize,
        long features2,
        long featuresCompat,
        long featuresRoCompat,
        long featuresIncompat,
        long featuresLogIncompat,
        long spinoAlign,
        long lsn,
        UUID metaUuid) {

    static final int MAGIC = 0x58465342; // XFSB
    static final int CRC_OFF = 224;
    static final int VERSION_NUMBITS = 0x000f;

    public static final int RO_COMPAT_FINOBT = 1 << 0;
    public static final int RO_COMPAT_RMAPBT = 1 << 1;
    public static final int RO_COMPAT_REFLINK = 1 << 2;
    public static final int RO_COMPAT_INOBTCNT = 1 << 3;

    public static final int INCOMPAT_FTYPE = 1 << 0;
    public static final int INCOMPAT_SPINODES = 1 << 1;
    public static final int INCOMPAT_META_UUID = 1 << 2;
    public static final int INCOMPAT_BIGTIME = 1 << 3;
    public static final int INCOMPAT_NEEDSREPAIR = 1 << 4;
    public static final int INCOMPAT_NREXT64 = 1 << 5;
    public static final int INCOMPAT_EXCHRANGE = 1 << 6;
    public static final int INCOMPAT_PARENT = 1 << 7;
    /**
     * The incompat features this reader understands. Exchange-range only changes the log and parent pointers
     * are extended attributes, so both read as before; metadir, realtime groups and zoned devices move metadata
     * this reader would misread.
     */
    static final long INCOMPAT_KNOWN = INCOMPAT_FTYPE | INCOMPAT_SPINODES | INCOMPAT_META_UUID | INCOMPAT_BIGTIME
            | INCOMPAT_NREXT64 | INCOMPAT_EXCHRANGE | INCOMPAT_PARENT;

    /** Size of {@code struct xfs_dinode} for v3 inodes: where the data fork starts. */
    public static final int DINODE_SIZE = 176;

    static final long MIN_AG_BLOCKS = 64;
    static final long MAX_AG_BYTES = 1L << 40;
    static final long NULLFSINO = -1L;

    /** Reads and checks the primary superblock at daddr 0. */
    static Superblock read(ImageReader reader) throws ImageException {
        Where where = Where.superblock();
        if (reader.length() < 512) {
            throw new ImageException(where, "the image is only " + reader.length() + " bytes long",
                    "this is not an XFS filesystem; check the path");
        }
        ByteBuffer b = reader.read(0, 512, where);
        int magic = b.getInt(0);
        if (magic != MAGIC) {
            throw new ImageException(where, String.format("no XFS superblock (magic 0x%08x, want 0x%08x 'XFSB')",
                    magic, MAGIC), "this is not an XFS filesystem; check the path (the partition, not the whole disk)");
        }
        int versionnum = Short.toUnsignedInt(b.getShort(100));
        int version = versionnum & VERSION_NUMBITS;
        if (version == 4) {
            throw new ImageException(where, "v4 filesystem (versionnum 0x" + Integer.toHexString(versionnum)
                    + ") not supported: DaxViz reads v5 (CRC) filesystems", "recreate it with mkfs.xfs -m crc=1");
        }
        if (version != 5) {
            throw ImageException.damaged(where, "unknown superblock version " + version
                    + " (versionnum 0x" + Integer.toHexString(versionnum) + ")");
        }
        int sectsize = Short.toUnsignedInt(b.getShort(102));
        int sectlog = Byte.toUnsignedInt(b.get(121));
        if (!isPowerOfTwo(sectsize, 512, 32768) || sectsize != 1 << sectlog) {
            throw ImageException.damaged(where, "bad sector size " + sectsize + " (sectlog " + sectlog + ")");
        }
        if (sectsize > 512) {
            b = reader.read(0, sectsize, where);
        }
        Crc.verify(b, CRC_OFF, where);
        Superblock sb = parse(b);
        sb.checkGeometry(where);
        sb.checkFeatures(where);
        long bytes = sb.dblocks * sb.blocksize;
        if (reader.length() < bytes) {
            throw new ImageException(where, "the filesystem is " + bytes + " bytes (" + sb.dblocks + " blocks of "
                    + sb.blocksize + ") but the image ends at byte " + reader.length(), ImageException.TRUNCATED);
        }
        return sb;
    }

    private static Superblock parse(ByteBuffer b) {
        byte[] name = new byte[12];
        b.get(108, name);
        int nameLen = 0;
        while (nameLen < name.length && name[nameLen] != 0) {
            nameLen++;
        }
        return new Superblock(
                u32(b, 4), b.getLong(8), b.getLong(16), b.getLong(24), uuid(b, 32), b.getLong(48),
                b.getLong(56), b.getLong(64), b.getLong(72), u32(b, 80), u32(b, 84), u32(b, 88), u32(b, 92),
                u32(b, 96), Short.toUnsignedInt(b.getShort(100)), Short.toUnsignedInt(b.getShort(102)),
                Short.toUnsignedInt(b.getShort(104)), Short.toUnsignedInt(b.getShort(106)),
                new String(name, 0, nameLen, StandardCharsets.UTF_8),
                u8(b, 120), u8(b, 121), u8(b, 122), u8(b, 123), u8(b, 124), u8(b, 125), u8(b, 126), u8(b, 127),
                b.getLong(128), b.getLong(136), b.getLong(144), b.getLong(152),
                b.getLong(160), b.getLong(168), b.getLong(232), u32(b, 180), u8(b, 192),
                Short.toUnsignedInt(b.getShort(194)), u32(b, 200),
                u32(b, 208), u32(b, 212), u32(b, 216), u32(b, 220), u32(b, 228), b.getLong(240), uuid(b, 248));
    }

    private void checkGeometry(Where where) throws ImageException {
        if (!isPowerOfTwo(blocksize, 512, 65536) || blocksize != 1L << blocklog) {
            throw ImageException.damaged(where, "bad block size " + blocksize + " (blocklog " + blocklog + ")");
        }
        if (sectsize > blocksize) {
            throw ImageException.damaged(where, "sector size " + sectsize + " exceeds block size " + blocksize);
        }
        if (!isPowerOfTwo(inodesize, 512, 2048) || inodesize != 1 << inodelog || inodesize > blocksize) {
            throw ImageException.damaged(where, "bad inode size " + inodesize + " (inodelog " + inodelog
                    + "; v5 inodes are 512..2048 bytes and at most a block)");
        }
        if (inopblock != blocksize / inodesize || inopblock != 1 << inopblog) {
            throw ImageException.damaged(where, "inodes per block " + inopblock + " (inopblog " + inopblog
                    + ") do not match block size " + blocksize + " / inode size " + inodesize);
        }
        if (agblocks < MIN_AG_BLOCKS || agblocks * blocksize > MAX_AG_BYTES) {
            throw ImageException.damaged(where, "bad AG size " + agblocks + " blocks (from " + MIN_AG_BLOCKS
                    + " blocks to 1 TiB)");
        }
        int wantAgblklog = 64 - Long.numberOfLeadingZeros(agblocks - 1);
        if (agblklog != wantAgblklog) {
            throw ImageException.damaged(where, "agblklog " + agblklog + " is not log2 of " + agblocks
                    + " AG blocks rounded up (" + wantAgblklog + ")");
        }
        if (agcount == 0 || agcount > Integer.MAX_VALUE) {
            throw ImageException.damaged(where, "bad AG count " + agcount);
        }
        if (dblocks <= 0 || dblocks > Long.MAX_VALUE / blocksize) {
            throw ImageException.damaged(where, "bad data block count " + dblocks);
        }
        // agcount = ceil(dblocks / agblocks) and the last AG has room for its headers; comparing this way
        // cannot overflow as agcount * agblocks could
        long wantAgcount = (dblocks + agblocks - 1) / agblocks;
        if (agcount != wantAgcount || dblocks - (agcount - 1) * agblocks < MIN_AG_BLOCKS) {
            throw ImageException.damaged(where, "dblocks " + dblocks + " does not fit " + agcount + " AGs of "
                    + agblocks + " blocks");
        }
        if (dirBlockSize() > 65536) {
            throw ImageException.damaged(where, "directory block size " + dirBlockSize() + " exceeds 64 KiB");
        }
        if (logstart != 0 && !validFsb(logstart)) {
            throw ImageException.damaged(where, "log start block " + logstart + " lies outside the filesystem");
        }
        if (!validIno(rootino)) {
            throw ImageException.damaged(where, "root inode " + rootino + " lies outside the filesystem");
        }
    }

    private void checkFeatures(Where where) throws ImageException {
        if (inprogress != 0) {
            throw new ImageException(where, "mkfs did not finish making this filesystem (inprogress is set)",
                    "make the filesystem again");
        }
        if ((featuresIncompat & INCOMPAT_NEEDSREPAIR) != 0) {
            throw new ImageException(where, "the filesystem is marked as needing repair (incompat needsrepair)",
                    "run xfs_repair on it first");
        }
        long unknown = featuresIncompat & ~INCOMPAT_KNOWN;
        if (unknown != 0) {
            throw new ImageException(where, "uses incompatible features DaxViz does not read (incompat 0x"
                    + Long.toHexString(unknown) + ")", "import a filesystem made without them");
        }
    }

    private static boolean isPowerOfTwo(long v, long min, long max) {
        return v >= min && v <= max && (v & (v - 1)) == 0;
    }

    static long u32(ByteBuffer b, int off) {
        return Integer.toUnsignedLong(b.getInt(off));
    }

    static int u8(ByteBuffer b, int off) {
        return Byte.toUnsignedInt(b.get(off));
    }

    static UUID uuid(ByteBuffer b, int off) {
        return new UUID(b.getLong(off), b.getLong(off + 8));
    }

    // ---- features (xfs_format.h XFS_SB_FEAT_*) ----

    public boolean hasFinobt() {
        return (featuresRoCompat & RO_COMPAT_FINOBT) != 0;
    }

    public boolean hasRmapbt() {
        return (featuresRoCompat & RO_COMPAT_RMAPBT) != 0;
    }

    public boolean hasReflink() {
        return (featuresRoCompat & RO_COMPAT_REFLINK) != 0;
    }

    public boolean hasInobtCount() {
        return (featuresRoCompat & RO_COMPAT_INOBTCNT) != 0;
    }

    public boolean hasFtype() {
        return (featuresIncompat & INCOMPAT_FTYPE) != 0;
    }

    public boolean hasSparseInodes() {
        return (featuresIncompat & INCOMPAT_SPINODES) != 0;
    }

    public boolean hasMetaUuid() {
        return (featuresIncompat & INCOMPAT_META_UUID) != 0;
    }

    public boolean hasBigtime() {
        return (featuresIncompat & INCOMPAT_BIGTIME) != 0;
    }

    public boolean hasNrext64() {
        return (featuresIncompat & INCOMPAT_NREXT64) != 0;
    }

    /** A realtime device holds file data. */
    public boolean hasRealtime() {
        return rblocks > 0;
    }

    /** The log lives on its own device ({@code logstart} is 0). */
    public boolean hasExternalLog() {
        return logstart == 0;
    }

    /** The UUID stamped into every metadata block: meta_uuid when the filesystem's uuid was changed later. */
    public UUID metadataUuid() {
        return hasMetaUuid() ? metaUuid : uuid;
    }

    // ---- geometry ----

    /** Length of AG {@code agno} in blocks: every AG but the last is {@code agblocks} long. */
    public long agLength(int agno) {
        return agno < agcount - 1 ? agblocks : dblocks - (agcount - 1) * agblocks;
    }

    /** Byte offset in the image of AG block {@code agbno} of AG {@code agno} (XFS_AGB_TO_DADDR in bytes). */
    public long byteOffset(int agno, long agbno) {
        return (agno * agblocks + agbno) * blocksize;
    }

    /** The 512-byte sector of AG block {@code agbno} of AG {@code agno} (XFS_AGB_TO_DADDR). */
    public long daddr(int agno, long agbno) {
        return byteOffset(agno, agbno) >> 9;
    }

    /** The fs block number of an AG block (XFS_AGB_TO_FSB): not linear, the agno sits above agblklog bits. */
    public long fsb(int agno, long agbno) {
        return ((long) agno << agblklog) | agbno;
    }

    public int fsbAgno(long fsb) {
        return (int) (fsb >>> agblklog);
    }

    public long fsbAgbno(long fsb) {
        return fsb & ((1L << agblklog) - 1);
    }

    /** The fs block lies inside an AG of this filesystem. */
    public boolean validFsb(long fsb) {
        if (fsb < 0 || (fsb >>> agblklog) >= agcount) {
            return false;
        }
        return fsbAgbno(fsb) < agLength(fsbAgno(fsb));
    }

    /** The blocks {@code [fsb, fsb + len)} lie inside one AG. */
    public boolean validExtent(long fsb, long len) {
        return len > 0 && validFsb(fsb) && fsbAgbno(fsb) + len <= agLength(fsbAgno(fsb));
    }

    /** Bits of an AG inode number (agino): XFS_INO_AGINO_BITS. */
    public int aginoBits() {
        return agblklog + inopblog;
    }

    public int inoAgno(long ino) {
        return (int) (ino >>> aginoBits());
    }

    public long inoAgino(long ino) {
        return ino & ((1L << aginoBits()) - 1);
    }

    /** XFS_AGINO_TO_INO. */
    public long ino(int agno, long agino) {
        return ((long) agno << aginoBits()) | agino;
    }

    public long aginoAgbno(long agino) {
        return agino >>> inopblog;
    }

    public int aginoSlot(long agino) {
        return (int) (agino & (inopblock - 1));
    }

    /** The inode number names a slot inside an AG of this filesystem. */
    public boolean validIno(long ino) {
        if (ino <= 0 || (ino >>> aginoBits()) >= agcount) {
            return false;
        }
        return aginoAgbno(inoAgino(ino)) < agLength(inoAgno(ino));
    }

    /** Directory block size in bytes: {@code blocksize << dirblklog}. */
    public int dirBlockSize() {
        return (int) (blocksize << dirblklog);
    }

    /** Bytes for both forks in an inode (XFS_LITINO). */
    public int litino() {
        return inodesize - DINODE_SIZE;
    }

    /** Bytes of one AG header sector; the AGFL holds {@code (sectsize - 36) / 4} block numbers. */
    public int agflSize() {
        return (sectsize - Agfl.BNO_OFF) / 4;
    }
}
