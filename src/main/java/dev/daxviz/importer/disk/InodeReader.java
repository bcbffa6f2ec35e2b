package dev.daxviz.importer.disk;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads one inode ({@code struct xfs_dinode}, v3) and decodes both its forks, walking a fork's bmbt when the
 * fork is in btree format. The extents are checked to lie inside the filesystem, in order and without
 * overlap, and to number exactly what the inode declares.
 */
final class InodeReader {

    static final int MAGIC = 0x494e; // IN
    static final int CRC_OFF = 100;
    static final int INO_OFF = 152;
    static final int UUID_OFF = 160;
    static final int DINODE_VERSION = 3;
    /** The bmbt's height limit for this reader; XFS computes its own limit, which stays below 16. */
    static final int MAX_BMBT_LEVELS = 16;

    private final ImageReader reader;
    private final Superblock sb;
    /** The inode cluster block read last, and where it lies: inodes are read in number order, 8 to a block. */
    private ByteBuffer block;
    private long blockOffset = -1;

    InodeReader(ImageReader reader, Superblock sb) {
        this.reader = reader;
        this.sb = sb;
    }

    /** The bytes of the inode at {@code offset}, from a whole fs block read once for all the inodes in it. */
    private ByteBuffer inodeBytes(long offset, Where where) throws ImageException {
        long bs = sb.blocksize();
        long start = offset - Math.floorMod(offset, bs);
        if (start != blockOffset) {
            if (start + bs > reader.length()) {
                return reader.read(offset, sb.inodesize(), where); // let the reader say where the image ends
            }
            block = reader.read(start, (int) bs, where);
            blockOffset = start;
        }
        reader.checkCancelled();
        return block.duplicate().position((int) (offset - start)).limit((int) (offset - start) + sb.inodesize())
                .slice().order(java.nio.ByteOrder.BIG_ENDIAN);
    }

    Dinode read(long ino) throws ImageException {
        if (!sb.validIno(ino)) {
            throw ImageException.damaged(Where.inode(ino), "the inode number lies outside the filesystem ("
                    + sb.agcount() + " AGs of " + sb.agblocks() + " blocks)");
        }
        int agno = sb.inoAgno(ino);
        long agino = sb.inoAgino(ino);
        long agbno = sb.aginoAgbno(agino);
        int slot = sb.aginoSlot(agino);
        Where where = Where.inode(ino, agno, agbno, slot);
        ByteBuffer b = inodeBytes(sb.byteOffset(agno, agbno) + (long) slot * sb.inodesize(), where);
        int magic = Short.toUnsignedInt(b.getShort(0));
        if (magic != MAGIC) {
            throw ImageException.damaged(where, String.format("bad magic 0x%04x (want 0x%04x 'IN')", magic, MAGIC));
        }
        Crc.verify(b, CRC_OFF, where);
        int version = Byte.toUnsignedInt(b.get(4));
        if (version != DINODE_VERSION) {
            throw ImageException.damaged(where, "inode version " + version + " (v5 filesystems use 3)");
        }
        if (b.getLong(INO_OFF) != ino) {
            throw ImageException.damaged(where, "inode says it is number " + b.getLong(INO_OFF)
                    + " (a misdirected write?)");
        }
        if (!Superblock.uuid(b, UUID_OFF).equals(sb.metadataUuid())) {
            throw ImageException.damaged(where, "UUID " + Superblock.uuid(b, UUID_OFF) + " is not the filesystem's");
        }
        int mode = Short.toUnsignedInt(b.getShort(2));
        if (mode == 0) {
            throw ImageException.damaged(where, "the inode is free (mode 0) but was looked up as in use");
        }
        long flags2 = b.getLong(120);
        int forkoff = Byte.toUnsignedInt(b.get(82));
        int litino = sb.litino();
        if (forkoff * 8 >= litino) {
            throw ImageException.damaged(where, "attribute fork offset " + forkoff * 8 + " lies past the fork area ("
                    + litino + " bytes)");
        }
        boolean nrext64 = (flags2 & Dinode.DIFLAG2_NREXT64) != 0;
        long nextents = nrext64 ? b.getLong(24) : Superblock.u32(b, 76);
        long anextents = nrext64 ? Superblock.u32(b, 76) : Short.toUnsignedLong(b.getShort(80));
        int flags = Short.toUnsignedInt(b.getShort(90));
        long size = b.getLong(56);
        boolean realtime = (flags & Dinode.DIFLAG_REALTIME) != 0;

        int dsize = forkoff == 0 ? litino : forkoff * 8;
        Fork data = readFork(b, ino, where, false, Byte.toUnsignedInt(b.get(5)), nextents,
                Superblock.DINODE_SIZE, dsize, size, realtime);
        Optional<Fork> attr = Optional.empty();
        if (forkoff != 0) {
            attr = Optional.of(readFork(b, ino, where, true, Byte.toUnsignedInt(b.get(83)), anextents,
                    Superblock.DINODE_SIZE + forkoff * 8, litino - forkoff * 8, -1, false));
        } else if (anextents != 0) {
            throw ImageException.damaged(where, "no attribute fork but " + anextents + " attribute extents");
        }
        return new Dinode(ino, mode, InodeKind.of(mode), Superblock.u32(b, 16), Superblock.u32(b, 8),
                Superblock.u32(b, 12), size, b.getLong(64), Superblock.u32(b, 72), flags, flags2, forkoff,
                Superblock.u32(b, 128), data, attr);
    }

    /**
     * @param dataSize di_size for the data fork (a LOCAL data fork holds that many bytes), -1 for the attr fork
     * @param realtime the fork maps realtime blocks, which are not checked against the AGs
     */
    private Fork readFork(ByteBuffer b, long ino, Where where, boolean attr, int rawFormat, long nextents, int off,
                          int forkSize, long dataSize, boolean realtime) throws ImageException {
        String name = attr ? "attribute fork" : "data fork";
        if (rawFormat > ForkFormat.BTREE.ordinal()) {
            throw ImageException.damaged(where, name + " has unknown format " + rawFormat);
        }
        ForkFormat format = ForkFormat.values()[rawFormat];
        ByteBuffer fork = b.slice(off, forkSize).order(b.order());
        switch (format) {
            case DEV:
                return new Fork(attr, format, nextents, List.of(), List.of(),
                        fork.slice(0, Math.min(4, forkSize)).asReadOnlyBuffer());
            case LOCAL: {
                int len = forkSize;
                if (attr) {
                    // xfs_attr_sf_hdr.totsize: the shortform attribute list's length
                    len = Short.toUnsignedInt(fork.getShort(0));
                } else {
                    len = (int) Math.min(Math.max(dataSize, 0), Integer.MAX_VALUE);
                }
                if (len > forkSize) {
                    throw ImageException.damaged(where, name + " is local with " + len + " bytes but has room for "
                            + forkSize);
                }
                return new Fork(attr, format, nextents, List.of(), List.of(), fork.slice(0, len).asReadOnlyBuffer());
            }
            case EXTENTS: {
                if (nextents > forkSize / 16) {
                    throw ImageException.damaged(where, name + " declares " + nextents + " extents but has room for "
                            + forkSize / 16);
                }
                List<BmbtExtent> extents = new ArrayList<>((int) nextents);
                for (int i = 0; i < nextents; i++) {
                    extents.add(BmbtExtent.decode(fork.getLong(16 * i), fork.getLong(16 * i + 8)));
                }
                checkExtents(extents, where, name, realtime && !attr);
                return new Fork(attr, format, nextents, List.copyOf(extents), List.of(), ByteBuffer.allocate(0));
            }
            default:
                return new BmbtWalk(ino, attr, nextents, realtime && !attr).walkRoot(fork, where);
        }
    }

    private void checkExtents(List<BmbtExtent> extents, Where where, String fork, boolean realtime)
            throws ImageException {
        long nextOff = 0;
        for (int i = 0; i < extents.size(); i++) {
            BmbtExtent e = extents.get(i);
            boolean inside = realtime ? e.blockcount() > 0 && e.startblock() + e.blockcount() <= sb.rblocks()
                    : sb.validExtent(e.startblock(), e.blockcount());
            if (!inside) {
                throw ImageException.damaged(where, fork + " extent " + i + " " + describe(e)
                        + " is empty or lies outside the " + (realtime ? "realtime device" : "filesystem's AGs"));
            }
            if (e.startoff() < nextOff || e.endoff() > BmbtExtent.STARTOFF_MASK + 1) {
                throw ImageException.damaged(where, fork + " extent " + i + " " + describe(e)
                        + " overlaps the one before it or is out of order");
            }
            nextOff = e.endoff();
        }
    }

    private String describe(BmbtExtent e) {
        return "[startoff " + e.startoff() + ", startblock " + e.startblock() + " (" + sb.fsbAgno(e.startblock())
                + "/" + sb.fsbAgbno(e.startblock()) + "), blockcount " + e.blockcount() + "]";
    }

    /**
     * One walk of a fork's bmbt: the root ({@code struct xfs_bmdr_block}) inside the inode, then long-form
     * blocks ({@code xfs_btree_block} with {@code xfs_btree_block_lhdr}, magic BMA3, 72-byte header).
     */
    private final class BmbtWalk {
        static final int BMA3_MAGIC = 0x424d4133;
        static final int LHDR = 72;
        static final int LCRC_OFF = 64;
        static final int ROOT_HDR = 4;

        private final long ino;
        private final boolean attr;
        private final long nextents;
        private final boolean realtime;
        private final String forkName;
        private final List<BmbtExtent> extents = new ArrayList<>();
        private final List<Long> blocks = new ArrayList<>();
        private final Set<Long> visited = new HashSet<>();

        BmbtWalk(long ino, boolean attr, long nextents, boolean realtime) {
            this.ino = ino;
            this.attr = attr;
            this.nextents = nextents;
            this.realtime = realtime;
            this.forkName = attr ? "attribute fork" : "data fork";
        }

        Fork walkRoot(ByteBuffer root, Where where) throws ImageException {
            int level = Short.toUnsignedInt(root.getShort(0));
            int numrecs = Short.toUnsignedInt(root.getShort(2));
            // xfs_bmdr_maxrecs: keys and pointers are each sized for the whole fork
            int maxrecs = (root.capacity() - ROOT_HDR) / 16;
            if (level < 1 || level > MAX_BMBT_LEVELS) {
                throw ImageException.damaged(where, forkName + " bmbt root level " + level + " out of range 1.."
                        + MAX_BMBT_LEVELS);
            }
            if (numrecs < 1 || numrecs > maxrecs) {
                throw ImageException.damaged(where, forkName + " bmbt root numrecs " + numrecs
                        + " out of range 1.." + maxrecs);
            }
            for (int i = 0; i < numrecs; i++) {
                follow(root.getLong(ROOT_HDR + maxrecs * 8 + i * 8), level - 1, i, where);
            }
            if (extents.size() != nextents) {
                throw ImageException.damaged(where, forkName + " declares " + nextents + " extents but its bmbt holds "
                        + extents.size());
            }
            checkExtents(extents, where, forkName, realtime);
            return new Fork(attr, ForkFormat.BTREE, nextents, List.copyOf(extents), List.copyOf(blocks),
                    ByteBuffer.allocate(0));
        }

        private void follow(long fsb, int level, int index, Where parent) throws ImageException {
            if (!sb.validFsb(fsb)) {
                throw ImageException.damaged(parent, forkName + " bmbt pointer " + index + " is fs block " + fsb
                        + ", outside the filesystem");
            }
            if (!visited.add(fsb)) {
                throw ImageException.damaged(parent, forkName + " bmbt pointer " + index + " leads to fs block "
                        + sb.fsbAgno(fsb) + "/" + sb.fsbAgbno(fsb) + ", which this walk already visited: the bmbt "
                        + "has a loop");
            }
            if (visited.size() > sb.dblocks()) {
                throw ImageException.damaged(parent, forkName + " bmbt has more blocks than the filesystem");
            }
            blocks.add(fsb);
            visit(fsb, level);
        }

        private void visit(long fsb, int level) throws ImageException {
            int agno = sb.fsbAgno(fsb);
            long agbno = sb.fsbAgbno(fsb);
            Where where = Where.bmbtBlock(ino, forkName, agno, agbno, level);
            ByteBuffer b = reader.read(sb.byteOffset(agno, agbno), (int) sb.blocksize(), where);
            int magic = b.getInt(0);
            if (magic != BMA3_MAGIC) {
                throw ImageException.damaged(where, String.format("bad magic 0x%08x (want 0x%08x 'BMA3')", magic,
                        BMA3_MAGIC));
            }
            Crc.verify(b, LCRC_OFF, where);
            int bbLevel = Short.toUnsignedInt(b.getShort(4));
            if (bbLevel != level) {
                throw ImageException.damaged(where, "block says level " + bbLevel + " but its parent is at level "
                        + (level + 1));
            }
            int numrecs = Short.toUnsignedInt(b.getShort(6));
            int maxrecs = (int) ((sb.blocksize() - LHDR) / 16);
            if (numrecs < 1 || numrecs > maxrecs) {
                throw ImageException.damaged(where, "numrecs " + numrecs + " out of range 1.." + maxrecs);
            }
            if (b.getLong(24) != sb.daddr(agno, agbno)) {
                throw ImageException.damaged(where, "block says it lives at daddr " + b.getLong(24)
                        + " but it was read from daddr " + sb.daddr(agno, agbno) + " (a misdirected write?)");
            }
            if (b.getLong(56) != ino) {
                throw ImageException.damaged(where, "block says it belongs to inode " + b.getLong(56));
            }
            if (!Superblock.uuid(b, 40).equals(sb.metadataUuid())) {
                throw ImageException.damaged(where, "UUID " + Superblock.uuid(b, 40) + " is not the filesystem's");
            }
            if (level == 0) {
                if (extents.size() + numrecs > nextents) {
                    throw ImageException.damaged(where, "the bmbt holds more extents than the " + nextents
                            + " the inode declares");
                }
                for (int i = 0; i < numrecs; i++) {
                    extents.add(BmbtExtent.decode(b.getLong(LHDR + 16 * i), b.getLong(LHDR + 16 * i + 8)));
                }
                return;
            }
            for (int i = 0; i < numrecs; i++) {
                // xfs_bmbt_ptr_addr: pointers follow the block's full array of 8-byte keys
                follow(b.getLong(LHDR + maxrecs * 8 + i * 8), level - 1, i, where);
            }
        }
    }
}
