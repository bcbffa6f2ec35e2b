package dev.daxviz.importer.disk;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Lists the names in a directory. A shortform directory ({@code xfs_dir2_sf_hdr} and entries) lives in the
 * inode's local data fork; every other form keeps its names in data blocks at file offsets below
 * XFS_DIR2_LEAF_OFFSET (32 GiB): one XDB3 block for block form, XDD3 blocks for leaf and node form. The leaf,
 * node and free-index blocks above that offset only index the names, so they are not read.
 */
final class DirectoryReader {

    static final int XDB3_MAGIC = 0x58444233;
    static final int XDD3_MAGIC = 0x58444433;
    /** {@code struct xfs_dir3_data_hdr}: the blk header (magic, crc, blkno, lsn, uuid, owner), bestfree, pad. */
    static final int DATA_HDR = 64;
    static final int CRC_OFF = 4;
    static final int FREE_TAG = 0xffff;
    /** XFS_DIR2_LEAF_OFFSET: the data space ends at 32 GiB. */
    static final long LEAF_OFFSET = 1L << 35;
    /** {@code xfs_dir2_block_tail}: count and stale leaf entries, at the end of an XDB3 block. */
    static final int BLOCK_TAIL = 8;
    static final int LEAF_ENTRY = 8;

    private final ImageReader reader;
    private final Superblock sb;

    DirectoryReader(ImageReader reader, Superblock sb) {
        this.reader = reader;
        this.sb = sb;
    }

    List<DirEntry> entries(Dinode dir) throws ImageException {
        if (dir.kind() != InodeKind.DIRECTORY) {
            throw new IllegalArgumentException("inode " + dir.ino() + " is not a directory");
        }
        Fork fork = dir.dataFork();
        return switch (fork.format()) {
            case LOCAL -> shortform(dir.ino(), fork.local());
            case EXTENTS, BTREE -> blocks(dir.ino(), fork.extents());
            case DEV -> throw ImageException.damaged(Where.inode(dir.ino()), "directory has a device data fork");
        };
    }

    private List<DirEntry> shortform(long ino, ByteBuffer f) throws ImageException {
        Where where = Where.shortformDirectory(ino);
        if (f.capacity() < 2) {
            throw ImageException.damaged(where, "shortform header is cut short (" + f.capacity() + " bytes)");
        }
        int count = Byte.toUnsignedInt(f.get(0));
        int i8count = Byte.toUnsignedInt(f.get(1));
        int inoSize = i8count > 0 ? 8 : 4;
        int pos = 2 + inoSize;
        List<DirEntry> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (pos + 3 > f.capacity()) {
                throw ImageException.damaged(where, "entry " + i + " of " + count + " lies past the directory's "
                        + f.capacity() + " bytes");
            }
            int namelen = Byte.toUnsignedInt(f.get(pos));
            int ftypeLen = sb.hasFtype() ? 1 : 0;
            int entsize = 3 + namelen + ftypeLen + inoSize;
            if (namelen == 0 || pos + entsize > f.capacity()) {
                throw ImageException.damaged(where, "entry " + i + " (name length " + namelen
                        + ") is empty or lies past the directory's " + f.capacity() + " bytes");
            }
            String name = name(f, pos + 3, namelen, where);
            int ftype = ftypeLen == 1 ? Byte.toUnsignedInt(f.get(pos + 3 + namelen)) : 0;
            int inoOff = pos + 3 + namelen + ftypeLen;
            long child = inoSize == 8 ? f.getLong(inoOff) : Integer.toUnsignedLong(f.getInt(inoOff));
            out.add(new DirEntry(name, child, ftype));
            pos += entsize;
        }
        return out;
    }

    private List<DirEntry> blocks(long ino, List<BmbtExtent> extents) throws ImageException {
        int dirBlockFsbs = 1 << sb.dirblklog();
        long leafStart = LEAF_OFFSET >> sb.blocklog();
        List<DirEntry> out = new ArrayList<>();
        for (BmbtExtent e : extents) {
            long first = (e.startoff() + dirBlockFsbs - 1) / dirBlockFsbs * dirBlockFsbs;
            for (long fb = first; fb < Math.min(e.endoff(), leafStart); fb += dirBlockFsbs) {
                dataBlock(ino, fb, extents, out);
            }
        }
        return out;
    }

    /** Reads the directory block at file block {@code fb}: {@code 1 << dirblklog} fs blocks, maybe in parts. */
    private void dataBlock(long ino, long fb, List<BmbtExtent> extents, List<DirEntry> out) throws ImageException {
        int size = sb.dirBlockSize();
        int bs = (int) sb.blocksize();
        long firstFsb = fsbAt(extents, fb);
        int agno = sb.fsbAgno(firstFsb);
        long agbno = sb.fsbAgbno(firstFsb);
        Where where = Where.directoryBlock(ino, fb, agno, agbno);
        ByteBuffer b = ByteBuffer.allocate(size);
        for (int j = 0; j < size / bs; j++) {
            long fsb = j == 0 ? firstFsb : fsbAt(extents, fb + j);
            if (fsb < 0) {
                throw ImageException.damaged(where, "file block " + (fb + j) + " of the directory block is a hole");
            }
            b.put(j * bs, reader.read(sb.byteOffset(sb.fsbAgno(fsb), sb.fsbAgbno(fsb)), bs, where), 0, bs);
        }
        int magic = b.getInt(0);
        if (magic != XDB3_MAGIC && magic != XDD3_MAGIC) {
            throw ImageException.damaged(where, String.format("bad magic 0x%08x (want 0x%08x 'XDB3' or 0x%08x "
                    + "'XDD3')", magic, XDB3_MAGIC, XDD3_MAGIC));
        }
        Crc.verify(b, CRC_OFF, where);
        if (b.getLong(8) != sb.daddr(agno, agbno)) {
            throw ImageException.damaged(where, "block says it lives at daddr " + b.getLong(8)
                    + " but it was read from daddr " + sb.daddr(agno, agbno) + " (a misdirected write?)");
        }
        if (b.getLong(40) != ino) {
            throw ImageException.damaged(where, "block says it belongs to inode " + b.getLong(40));
        }
        if (!Superblock.uuid(b, 24).equals(sb.metadataUuid())) {
            throw ImageException.damaged(where, "UUID " + Superblock.uuid(b, 24) + " is not the filesystem's");
        }
        int end = size;
        if (magic == XDB3_MAGIC) {
            long count = Superblock.u32(b, size - BLOCK_TAIL);
            if (count > (size - DATA_HDR - BLOCK_TAIL) / LEAF_ENTRY) {
                throw ImageException.damaged(where, "block tail counts " + count + " leaf entries, more than fit");
            }
            end = (int) (size - BLOCK_TAIL - count * LEAF_ENTRY);
        }
        entries(b, end, where, out);
    }

    /** Walks the data entries and unused regions of one data block up to byte {@code end}. */
    private void entries(ByteBuffer b, int end, Where where, List<DirEntry> out) throws ImageException {
        int ftypeLen = sb.hasFtype() ? 1 : 0;
        int pos = DATA_HDR;
        while (pos < end) {
            if (pos + 8 > end) {
                throw ImageException.damaged(where, "entry at byte " + pos + " is cut off by the end at " + end);
            }
            if (Short.toUnsignedInt(b.getShort(pos)) == FREE_TAG) {
                int length = Short.toUnsignedInt(b.getShort(pos + 2));
                if (length < 8 || length % 8 != 0 || pos + length > end) {
                    throw ImageException.damaged(where, "unused region at byte " + pos + " has bad length " + length);
                }
                pos += length;
                continue;
            }
            long child = b.getLong(pos);
            int namelen = Byte.toUnsignedInt(b.get(pos + 8));
            // xfs_dir2_data_entsize: inumber, namelen, name, ftype, tag, rounded up to 8
            int entsize = (8 + 1 + namelen + ftypeLen + 2 + 7) & ~7;
            if (namelen == 0 || pos + entsize > end) {
                throw ImageException.damaged(where, "entry at byte " + pos + " (name length " + namelen
                        + ") is empty or runs past the entries' end at " + end);
            }
            int tag = Short.toUnsignedInt(b.getShort(pos + entsize - 2));
            if (tag != pos) {
                throw ImageException.damaged(where, "entry at byte " + pos + " has tag " + tag);
            }
            String name = name(b, pos + 9, namelen, where);
            int ftype = ftypeLen == 1 ? Byte.toUnsignedInt(b.get(pos + 9 + namelen)) : 0;
            if (!name.equals(".") && !name.equals("..")) {
                out.add(new DirEntry(name, child, ftype));
            }
            pos += entsize;
        }
    }

    private static String name(ByteBuffer b, int off, int len, Where where) throws ImageException {
        byte[] bytes = new byte[len];
        b.get(off, bytes);
        for (byte c : bytes) {
            if (c == 0 || c == '/') {
                throw ImageException.damaged(where, "a name contains " + (c == 0 ? "a NUL byte" : "'/'"));
            }
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The fs block that file block {@code fb} maps to, or -1 in a hole. Extents are sorted by startoff. */
    private static long fsbAt(List<BmbtExtent> extents, long fb) {
        int lo = 0;
        int hi = extents.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            BmbtExtent e = extents.get(mid);
            if (fb < e.startoff()) {
                hi = mid - 1;
            } else if (fb >= e.endoff()) {
                lo = mid + 1;
            } else {
                return e.startblock() + (fb - e.startoff());
            }
        }
        return -1;
    }
}
