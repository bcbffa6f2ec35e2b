package dev.daxviz.realkernel;

import dev.daxviz.model.PmemDevice;
import dev.daxviz.model.Units;
import dev.daxviz.model.World;

import java.util.ArrayList;
import java.util.List;

/**
 * The guest machine: how much RAM qemu gives it and the pmem regions {@code memmap=SIZE!START} carves out of that
 * RAM (each becomes a legacy pmem region, then a namespace: data device first, then the external log or realtime
 * device, in address order, so their guest names are namespace0.0, 1.0, 2.0).
 *
 * <p>Sizes: each namespace is just big enough for a block device of the scenario's size after the fsdax reserve,
 * so that the filesystem fills its device as in the simulation. (A smaller filesystem on a bigger device is not
 * the same machine: a real 6.1 device removal then walks AGs past the filesystem's end and oopses in
 * xfs_alloc_read_agf.) The first region starts at 1 GiB, as measured on both kernels; regions are 64 MiB apart,
 * because adjacent e820 ranges of one type are merged into one region.
 * qemu's i440fx machine keeps RAM below 3 GiB when given 3.5 GiB or more, so the regions must end by 3 GiB and
 * the RAM is at most 4 GiB: a scenario needing more is refused.
 */
public record MachineLayout(long memoryBytes, List<Region> regions) {
    static final long FIRST = Units.GiB;
    static final long GAP = 64 * Units.MiB;
    static final long LOW_RAM_END = 3 * Units.GiB;
    static final long MIN_MEMORY = 2 * Units.GiB;
    static final long MAX_MEMORY = 4 * Units.GiB;

    public MachineLayout {
        regions = List.copyOf(regions);
    }

    /**
     * One pmem region.
     *
     * @param use        "data", "log" or "rt"
     * @param deviceSize the scenario's block device size (what mkfs is told to use)
     */
    public record Region(String use, long start, long size, long deviceSize) {
        /** The kernel command line word. */
        public String memmap() {
            return (size / Units.MiB) + "M!" + (start / Units.MiB) + "M";
        }

        public long end() {
            return start + size;
        }
    }

    /** The layout for a world, or the reason none fits (thrown as {@link Refusal}). */
    static MachineLayout of(World w) {
        List<Region> out = new ArrayList<>();
        long next = FIRST;
        for (PmemDevice d : w.devices()) {
            String use = d == w.device() ? "data" : w.logDevice().filter(l -> l == d).isPresent() ? "log" : "rt";
            long ns = namespaceHolding(d.size());
            out.add(new Region(use, next, ns, d.size()));
            next = Units.alignUp(next + ns + GAP, GAP);
        }
        long end = out.get(out.size() - 1).end();
        if (end > LOW_RAM_END) {
            long room = LOW_RAM_END - FIRST;
            throw new Refusal((out.size() > 1 ? "the devices (" : "the device (") + Units.human(w.devices().stream()
                    .mapToLong(PmemDevice::size).sum()) + (out.size() > 1 ? ") do" : ") does") + " not fit in the guest: "
                    + "qemu can emulate at most "
                    + Units.human(room) + " of pmem in at most " + Units.human(MAX_MEMORY) + " of RAM (1 GiB is proven)");
        }
        // the guest itself needs little: the 1 GiB below the regions and at least 512 MiB above them
        long memory = Math.min(MAX_MEMORY, Math.max(MIN_MEMORY, Units.alignUp(end + 512 * Units.MiB, 256 * Units.MiB)));
        return new MachineLayout(memory, out);
    }

    /**
     * The smallest namespace whose block device is {@code deviceSize} bytes (rounded up to 2 MiB) after the fsdax
     * reserve.
     */
    static long namespaceHolding(long deviceSize) {
        long data = Units.alignUp(deviceSize, Units.PMD_SIZE);
        long ns = data;
        while (ns - reserveOf(ns) < data) {
            ns += Units.PMD_SIZE;
        }
        return ns;
    }

    /**
     * The fsdax reserve the kernel keeps at the start of a namespace (nd_pfn_init with struct pages on the device):
     * an 8 KiB info block plus 64 bytes of struct page per page, aligned to 2 MiB. Measured: 10 MiB of a 512 MiB
     * namespace, 18 MiB of 1 GiB, 6 MiB of 262 MiB.
     */
    static long reserveOf(long namespace) {
        return Units.alignUp((namespace - 8 * Units.KiB) / 64 + 8 * Units.KiB, Units.PMD_SIZE);
    }

    public Region region(String use) {
        return regions.stream().filter(r -> r.use().equals(use)).findFirst().orElse(null);
    }

    /** The guest namespace number of a region ({@code namespaceN.0}, {@code /dev/pmemN}). */
    public int namespace(String use) {
        for (int i = 0; i < regions.size(); i++) {
            if (regions.get(i).use().equals(use)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no " + use + " region");
    }

    public List<String> kernelArgs() {
        return regions.stream().map(r -> "memmap=" + r.memmap()).toList();
    }

    public long memoryMiB() {
        return memoryBytes / Units.MiB;
    }
}
