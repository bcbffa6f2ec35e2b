package dev.daxviz.model;

/**
 * One location in every form the kernel uses, computed in one place ({@link Addressing}). Forms that do not
 * apply are null: a pfn in the fsdax reserve has no device offset; a block of the log or realtime device has
 * no AG.
 *
 * @param device       the namespace the pfn lies in, or null outside every namespace
 * @param region       where in the namespace it lies
 * @param pfn          page frame number
 * @param physAddr     physical address of the page
 * @param deviceOffset byte offset in the block device ({@code pmem_pgmap_memory_failure}'s offset)
 * @param daddr        512-byte sector of the block device (BTOBB)
 * @param fsblock      4 KiB block of that device (the linear fs block on the data device)
 * @param agno         allocation group, on the data device
 * @param agbno        block in the AG
 */
public record Address(PmemDevice device, Region region, long pfn, long physAddr, Long deviceOffset, Long daddr,
                      Long fsblock, Integer agno, Integer agbno) {

    public enum Region {
        /** Outside every namespace: memory the failure path does not handle as pmem. */
        OUTSIDE,
        /** The fsdax reserve (struct pages and info block): not recoverable. */
        RESERVE,
        /** The data device of the filesystem (or a devdax device's data). */
        DATA,
        /** The external log device. */
        LOG_DEVICE,
        /** The realtime device. */
        RT_DEVICE
    }

    public String pfnHex() {
        return Units.hex(pfn);
    }

    public boolean onDataDevice() {
        return region == Region.DATA;
    }
}
