package dev.daxviz.model;

/**
 * Every conversion between the address forms of one world: pfn ↔ physical address ↔ device offset ↔ daddr ↔
 * fs block ↔ (agno, agbno) ↔ (file, offset). kernel-semantics.md §1.
 */
public final class Addressing {
    private final World world;

    Addressing(World world) {
        this.world = world;
    }

    public Address ofPfn(long pfn) {
        PmemDevice d = world.deviceOfPfn(pfn).orElse(null);
        long phys = pfn << Units.PAGE_SHIFT;
        if (d == null) {
            return new Address(null, Address.Region.OUTSIDE, pfn, phys, null, null, null, null, null);
        }
        if (d.inReserve(pfn)) {
            return new Address(d, Address.Region.RESERVE, pfn, phys, null, null, null, null, null);
        }
        long off = d.offsetOfPfn(pfn);
        long fsblock = off / Units.PAGE_SIZE;
        Address.Region region = d == world.device() ? Address.Region.DATA
                : world.logDevice().filter(l -> l == d).isPresent() ? Address.Region.LOG_DEVICE : Address.Region.RT_DEVICE;
        Integer agno = null;
        Integer agbno = null;
        if (region == Address.Region.DATA && world.hasFs()) {
            Geometry g = world.fs().geometry();
            agno = g.agnoOf(fsblock);
            agbno = g.agbnoOf(fsblock);
        }
        return new Address(d, region, pfn, phys, off, off >> Units.BBSHIFT, fsblock, agno, agbno);
    }

    public Address ofPhys(long physAddr) {
        return ofPfn(physAddr >>> Units.PAGE_SHIFT);
    }

    /** A byte offset in the data device. */
    public Address ofDeviceOffset(long off) {
        requireOnDevice(off, world.device());
        return ofPfn(world.device().pfnOfOffset(off));
    }

    public Address ofDaddr(long daddr) {
        return ofDeviceOffset(bytes(daddr, Units.BBSIZE, "daddr"));
    }

    public Address ofFsblock(long fsblock) {
        return ofDeviceOffset(bytes(fsblock, Units.PAGE_SIZE, "fs block"));
    }

    /** {@code n} units as a byte offset; one too large for a long is off the device (and must not wrap onto it). */
    private long bytes(long n, long unit, String what) {
        try {
            return Math.multiplyExact(n, unit);
        } catch (ArithmeticException e) {
            PmemDevice d = world.device();
            throw new ModelException(what + " " + n + " is off the device " + d.name() + " (" + Units.human(d.size())
                    + ")");
        }
    }

    public Address ofAg(int agno, int agbno) {
        Geometry g = requireFs().geometry();
        if (agno < 0 || agno >= g.agcount() || agbno < 0 || agbno >= g.agSize(agno)) {
            throw new ModelException("AG " + agno + " block " + agbno + " is not in the filesystem (" + g.agcount()
                    + " AGs of " + g.agblocks() + " blocks)");
        }
        return ofFsblock(g.fsblock(agno, agbno));
    }

    /** The page backing byte {@code offset} of a file, or null for a hole. */
    public Address ofFile(String path, long offset) {
        Inode i = requireFs().byPath(path);
        if (i == null) {
            throw new ModelException("no file " + path);
        }
        Extent e = i.extentAt(offset / Units.PAGE_SIZE);
        if (e == null) {
            return null;
        }
        long block = e.blockAt(offset / Units.PAGE_SIZE);
        PmemDevice d = i.rt() ? world.rtDevice().orElseThrow() : world.device();
        return ofPfn(d.pfnOfOffset(block * Units.PAGE_SIZE));
    }

    /** The first block of the log: on the data device for an internal log, block 0 of the log device otherwise. */
    public Address ofLogStart() {
        Xfs fs = requireFs();
        if (fs.externalLog()) {
            return ofPfn(world.logDevice().orElseThrow().dataStartPfn());
        }
        Geometry g = fs.geometry();
        return ofAg(g.logAgno(), g.logAgbno());
    }

    private Xfs requireFs() {
        if (!world.hasFs()) {
            throw new ModelException("this device has no filesystem: use pfn, physAddr or deviceOffset");
        }
        return world.fs();
    }

    private static void requireOnDevice(long off, PmemDevice d) {
        if (off < 0 || off >= d.size()) {
            throw new ModelException("device offset " + Units.hex(off) + " is off the device " + d.name() + " ("
                    + Units.human(d.size()) + ")");
        }
    }
}
