package dev.daxviz.model;

import java.util.Objects;

/**
 * A pmem namespace: {@code physAddr} is where its resource starts, the first {@code dataOffset} bytes
 * hold the fsdax reserve (struct pages and the info block), and the block device of {@code size}
 * bytes follows (drivers/nvdimm/pmem.c, {@code pmem->data_offset}).
 */
public record PmemDevice(String name, long size, long physAddr, long dataOffset, DeviceMode mode) {

    public PmemDevice {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mode, "mode");
        if (size <= 0 || size % Units.PAGE_SIZE != 0) {
            throw new IllegalArgumentException("device size must be a positive multiple of 4 KiB: " + size);
        }
        if (physAddr < 0 || physAddr % Units.PAGE_SIZE != 0) {
            throw new IllegalArgumentException("physAddr must be page aligned: " + Units.hex(physAddr));
        }
        if (dataOffset < 0 || dataOffset % Units.PAGE_SIZE != 0) {
            throw new IllegalArgumentException("dataOffset must be page aligned: " + dataOffset);
        }
    }

    /**
     * The fsdax reserve ndctl leaves before the data: 64 bytes of struct page per 4 KiB page of the
     * whole namespace plus 2 MiB for the info block, rounded up to 2 MiB. Solved for the block-device
     * size: 502 MiB → 10 MiB, 1006 MiB → 18 MiB, as measured (xfs-layout-reference.md).
     */
    public static long defaultReserve(long blockDeviceSize) {
        long memmap = Math.floorDiv(blockDeviceSize + 62, 63);
        return Units.alignUp(memmap + 2 * Units.MiB, 2 * Units.MiB);
    }

    public static PmemDevice fsdax(String name, long size, long physAddr) {
        return new PmemDevice(name, size, physAddr, defaultReserve(size), DeviceMode.FSDAX);
    }

    /** First pfn of the namespace resource (the reserve starts here). */
    public long firstPfn() {
        return physAddr >>> Units.PAGE_SHIFT;
    }

    /** First pfn of the data area (block device offset 0). */
    public long dataStartPfn() {
        return (physAddr + dataOffset) >>> Units.PAGE_SHIFT;
    }

    /** One past the last pfn of the namespace. */
    public long endPfn() {
        return (physAddr + dataOffset + size) >>> Units.PAGE_SHIFT;
    }

    public long pages() {
        return size / Units.PAGE_SIZE;
    }

    public boolean containsPfn(long pfn) {
        return pfn >= firstPfn() && pfn < endPfn();
    }

    public boolean inReserve(long pfn) {
        return pfn >= firstPfn() && pfn < dataStartPfn();
    }

    /** {@code pmem_pgmap_memory_failure}: pfn → byte offset in the block device (negative in the reserve). */
    public long offsetOfPfn(long pfn) {
        return (pfn << Units.PAGE_SHIFT) - physAddr - dataOffset;
    }

    public long pfnOfOffset(long deviceOffset) {
        return (physAddr + dataOffset + deviceOffset) >>> Units.PAGE_SHIFT;
    }

    public long physOfOffset(long deviceOffset) {
        return physAddr + dataOffset + deviceOffset;
    }
}
