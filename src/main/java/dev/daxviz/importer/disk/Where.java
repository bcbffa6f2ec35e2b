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

    /**
     * An AG header sector (AGF, AGI, AGFL) in AG block {@code agbno} (0 with 512-byte sectors, 1..3 with 4 KiB
     * sectors and blocks), named by its daddr as xfs_db's {@code daddr} command takes it.
     */
    static Where agHeader(String structure, int agno, long agbno, long daddr) {
        return new Where(structure, agno, agbno, -1, "AG " + agno + " " + structure + " (daddr " + daddr + ")");
    }

    /** A per-AG btree as a whole. */
    static Where tree(String structure, int agno) {
        return new Where(structure, agno, -1, -1, "AG " + agno + " " + structure);
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

    /** A block of an inode's bmbt, at fs block {@code agno/agbno}. */
    static Where bmbtBlock(long ino, String fork, int agno, long agbno, int level) {
        return new Where("bmbt", agno, agbno, ino,
                "inode " + ino + " " + fork + " bmbt block " + agno + "/" + agbno + " (level " + level + ")");
    }

    /** The directory block at file block {@code fileBlock}, which starts at fs block {@code agno/agbno}. */
    static Where directoryBlock(long ino, long fileBlock, int agno, long agbno) {
        return new Where("directory", agno, agbno, ino,
                "directory inode " + ino + " block " + fileBlock + " (fsb " + agno + "/" + agbno + ")");
    }

    /** A shortform directory, inside its inode. */
    static Where shortformDirectory(long ino) {
        return new Where("directory", -1, -1, ino, "directory inode " + ino + " (shortform)");
    }

    static Where namespace(long ino, String path) {
        return new Where("namespace", -1, -1, ino, "directory inode " + ino + " (" + path + ")");
    }
}
