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
            throw new Refusal("the device" + (out.size() > 1 ? "s" : "") + " (" + Units.human(w.devices().stream()
                    .mapToLong(PmemDevice::size).sum()) + ") do not fit in the guest: qemu can emulate at most "
                    + Units.human(room) + " of pmem in at most " + Units.human(MAX_MEMORY) + " of RAM (1 GiB is proven)");
        }
        long memory = Math.min(MAX_MEMORY, Math.max(MIN_MEMORY, Units.alignUp(end + Units.GiB, 256 * Units.MiB)));
        return new MachineLayout(memory, out);
    }

    /**
     * The namespace size whose block device is {@code deviceSize} bytes: the kernel's fsdax reserve (nd_pfn_init)
     * is an 8 KiB info block plus 64 bytes of struct page per page of the namespace, aligned to 2 MiB (measured: a
     * 512 MiB namespace keeps 10 MiB, a 1 GiB one 18 MiB).
     */
    static long namespaceHolding(long deviceSize) {
        long ns = deviceSize;
        for (int i = 0; i < 8; i++) {
            long reserve = Units.alignUp((ns - 8 * Units.KiB) / 64 + 8 * Units.KiB, Units.PMD_SIZE);
            long next = Units.alignUp(deviceSize, Units.PMD_SIZE) + reserve;
            if (next == ns) {
                break;
            }
            ns = next;
        }
        return ns;
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
