package dev.daxviz.importer.disk;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The v5 metadata checksum: CRC32C over the whole buffer with the 4 checksum bytes taken as zero, stored
 * little-endian (xfs_cksum.h: xfs_start_cksum_safe + xfs_end_cksum).
 */
final class Crc {

    private Crc() {
    }

    /** The checksum the buffer should carry at {@code crcOffset}. */
    static int compute(ByteBuffer buf, int crcOffset) {
        CRC32C crc = new CRC32C();
        ByteBuffer b = buf.duplicate().clear();
        b.limit(crcOffset);
        crc.update(b);
        crc.update(new byte[4], 0, 4);
        b.limit(buf.capacity()).position(crcOffset + 4);
        crc.update(b);
        return (int) crc.getValue();
    }

    /** The checksum stored at {@code crcOffset}, read little-endian. */
    static int stored(ByteBuffer buf, int crcOffset) {
        return Integer.reverseBytes(buf.getInt(crcOffset));
    }

    static boolean matches(ByteBuffer buf, int crcOffset) {
        return compute(buf, crcOffset) == stored(buf, crcOffset);
    }

    /** Throws "bad CRC" for {@code where} unless the buffer's checksum matches. */
    static void verify(ByteBuffer buf, int crcOffset, Where where) throws ImageException {
        int want = compute(buf, crcOffset);
        int have = stored(buf, crcOffset);
        if (want != have) {
            throw ImageException.damaged(where, String.format("bad CRC (stored 0x%08x, computed 0x%08x)", have,
                    want));
        }
    }
}
