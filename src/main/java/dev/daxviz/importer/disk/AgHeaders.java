package dev.daxviz.importer.disk;

import java.nio.ByteBuffer;
import java.util.UUID;

/**
 * The three headers of one allocation group, read and checked together when the image is opened.
 */
public record AgHeaders(int agno, Agf agf, Agi agi, Agfl agfl) {

    static AgHeaders read(ImageReader reader, Superblock sb, int agno) throws ImageException {
        Agf agf = Agf.read(reader, sb, agno);
        Agi agi = Agi.read(reader, sb, agno);
        Agfl agfl = Agfl.read(reader, sb, agno, agf);
        return new AgHeaders(agno, agf, agi, agfl);
    }

    static void checkMagic(ByteBuffer b, int magic, String name, Where where) throws ImageException {
        int have = b.getInt(0);
        if (have != magic) {
            throw ImageException.damaged(where, String.format("bad magic 0x%08x (want 0x%08x '%s')", have, magic,
                    name));
        }
    }

    /** Checks what every AG header shares: its AG number, the AG length and the filesystem's UUID. */
    static void checkCommon(Superblock sb, int agno, int seqno, long length, UUID uuid, Where where)
            throws ImageException {
        if (seqno != agno) {
            throw ImageException.damaged(where, "sequence number " + Integer.toUnsignedString(seqno)
                    + " (this is AG " + agno + ")");
        }
        if (length != sb.agLength(agno)) {
            throw ImageException.damaged(where, "AG length " + length + " (the superblock gives "
                    + sb.agLength(agno) + ")");
        }
        if (!uuid.equals(sb.metadataUuid())) {
            throw ImageException.damaged(where, "UUID " + uuid + " is not the filesystem's " + sb.metadataUuid()
                    + " (a block of another filesystem?)");
        }
    }

    static void checkRoot(String tree, long root, int level, long length, Where where) throws ImageException {
        if (level < 1 || level > Agf.MAX_LEVELS) {
            throw ImageException.damaged(where, tree + " height " + level + " out of range 1.." + Agf.MAX_LEVELS);
        }
        if (root == 0 || root >= length) {
            throw ImageException.damaged(where, tree + " root block " + root + " outside the AG (length " + length
                    + ")");
        }
    }
}
