package dev.daxviz.importer.disk;

/**
 * The short-form (per-AG, 32-bit pointer) btrees of v5 XFS and their on-disk sizes (xfs_format.h). Every block
 * starts with the 56-byte CRC header ({@code xfs_btree_block} with {@code xfs_btree_block_shdr}); leaves hold
 * records, nodes hold all their keys and then all their pointers, each array sized for the block's maxrecs.
 */
enum AgBtreeType {
    /** Free space by block number: {@code xfs_alloc_rec} records and keys. */
    BNOBT("bnobt", 0x41423342, 8, 8),
    /** Free space by size: the same records, ordered by blockcount. */
    CNTBT("cntbt", 0x41423343, 8, 8),
    /** Inode chunks: {@code xfs_inobt_rec}, keyed by startino. */
    INOBT("inobt", 0x49414233, 16, 4),
    /** Chunks with free inodes: the inobt's records again. */
    FINOBT("finobt", 0x46494233, 16, 4),
    /**
     * Reverse mappings: {@code xfs_rmap_rec}. An overlapping btree, so each node slot holds a low and a high
     * {@code xfs_rmap_key} (2 × 20 bytes) per pointer.
     */
    RMAPBT("rmapbt", 0x524d4233, 24, 40),
    /** Reference counts: {@code xfs_refcount_rec}, keyed by startblock. */
    REFCOUNTBT("refcountbt", 0x52334643, 12, 4);

    /** XFS_BTREE_SBLOCK_CRC_LEN. */
    static final int HEADER = 56;
    static final int CRC_OFF = 52;
    static final int PTR_LEN = 4;

    final String kernelName;
    final int magic;
    final int recLen;
    final int keyLen;

    AgBtreeType(String kernelName, int magic, int recLen, int keyLen) {
        this.kernelName = kernelName;
        this.magic = magic;
        this.recLen = recLen;
        this.keyLen = keyLen;
    }

    int leafMaxRecs(long blocksize) {
        return (int) ((blocksize - HEADER) / recLen);
    }

    int nodeMaxRecs(long blocksize) {
        return (int) ((blocksize - HEADER) / (keyLen + PTR_LEN));
    }

    /** Byte offset in a node block of pointer {@code i} (0-based): after the node's full key array. */
    int ptrOffset(long blocksize, int i) {
        return HEADER + nodeMaxRecs(blocksize) * keyLen + i * PTR_LEN;
    }

    int recOffset(int i) {
        return HEADER + i * recLen;
    }
}
