package dev.daxviz.importer.disk;

/**
 * Names a structure in the image for error messages: what it is and where it lies. The label is the
 * {@code <where>} of an {@link ImageException}, so it is written for a person ("AG 2 AGF (daddr 1048577)").
 */
record Where(String structure, int agno, long block, long ino, String label) {

    static Where image(String label) {
        return new Where("image", -1, -1, -1, label);
    }

    static Where superblock() {
        return new Where("superblock", -1, 0, -1, "superblock (daddr 0)");
    }

    /** An AG header sector (AGF, AGI, AGFL), named by its daddr as xfs_db's {@code daddr} command takes it. */
    static Where agHeader(String structure, int agno, long agbno, long daddr) {
        return new Where(structure, agno, agbno, -1, "AG " + agno + " " + structure + " (daddr " + daddr + ")");
    }

    static Where btreeBlock(String structure, int agno, long agbno) {
        return new Where(structure, agno, agbno, -1, "AG " + agno + " " + structure + " block " + agbno);
    }

    static Where btreeBlock(String structure, int agno, long agbno, int level) {
        return new Where(structure, agno, agbno, -1,
                "AG " + agno + " " + structure + " block " + agbno + " (level " + level + ")");
    }

    static Where inode(long ino) {
        return new Where("inode", -1, -1, ino, "inode " + ino);
    }

    static Where inode(long ino, int agno, long agbno, int slot) {
        return new Where("inode", agno, agbno, ino,
                "inode " + ino + " (AG " + agno + " block " + agbno + " slot " + slot + ")");
    }

    /** A structure owned by an inode that lives in the fs block {@code agno/agbno}. */
    static Where ofInode(String structure, long ino, int agno, long agbno, String what) {
        return new Where(structure, agno, agbno, ino,
                "inode " + ino + " " + what + " (fsb " + agno + "/" + agbno + ")");
    }

    static Where namespace(long ino, String path) {
        return new Where("namespace", -1, -1, ino, "directory inode " + ino + " (" + path + ")");
    }
}
