package dev.daxviz.model;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The whole simulated machine as an immutable value: the kernel profile, the pmem device(s), the XFS on
 * them (or none), the struct-page state of every touched page, the DAX entries of every file mapping, and
 * the processes in task-list order. Change it through {@link #edit()}, which copies only the parts an
 * operation touches, so keeping old worlds (undo, step back, compare kernels) costs little.
 */
public final class World {
    private final KernelProfile profile;
    private final PmemDevice device;
    private final PmemDevice logDevice;
    private final PmemDevice rtDevice;
    private final Xfs fs;
    private final Map<Long, PageState> pages;
    private final Map<Long, NavigableMap<Long, DaxEntry>> daxEntries;
    private final List<Process> processes;
    private final Sysctl sysctl;
    private final String uuid;
    /** WARN_ON_ONCE sites that have fired since boot: each prints once. */
    private final java.util.Set<String> warnedOnce;

    World(KernelProfile profile, PmemDevice device, PmemDevice logDevice, PmemDevice rtDevice, Xfs fs,
          Map<Long, PageState> pages, Map<Long, NavigableMap<Long, DaxEntry>> daxEntries, List<Process> processes,
          Sysctl sysctl, String uuid, java.util.Set<String> warnedOnce) {
        this.profile = Objects.requireNonNull(profile);
        this.device = Objects.requireNonNull(device);
        this.logDevice = logDevice;
        this.rtDevice = rtDevice;
        this.fs = fs;
        this.pages = Collections.unmodifiableMap(pages);
        this.daxEntries = Collections.unmodifiableMap(daxEntries);
        this.processes = List.copyOf(processes);
        this.sysctl = Objects.requireNonNull(sysctl);
        this.uuid = uuid;
        this.warnedOnce = java.util.Set.copyOf(warnedOnce);
    }

    /** The WARN_ON_ONCE sites that already fired on this (simulated) boot. */
    public java.util.Set<String> warnedOnce() {
        return warnedOnce;
    }

    /** A fresh machine: a device, and (unless {@code fsOptions} is null) a newly made and mounted XFS on it. */
    public static WorldEditor create(KernelProfile profile, PmemDevice device, FsOptions fsOptions, Sysctl sysctl, long seed) {
        return WorldEditor.fresh(profile, device, fsOptions, sysctl, seed);
    }

    /**
     * A machine whose filesystem was laid out elsewhere (read from a real image): the filesystem is mounted as
     * {@code fs.state()} says, with no process and no page touched yet. The editor holds the mount's log lines.
     */
    public static WorldEditor withFilesystem(KernelProfile profile, PmemDevice device, PmemDevice logDevice,
                                             PmemDevice rtDevice, Xfs fs, Sysctl sysctl, long seed) {
        return WorldEditor.mounted(new World(profile, device, logDevice, rtDevice, fs, Map.of(), Map.of(), List.of(),
                sysctl, WorldEditor.uuidFor(seed), java.util.Set.of()));
    }

    public WorldEditor edit() {
        return new WorldEditor(this);
    }

    public KernelProfile profile() {
        return profile;
    }

    public PmemDevice device() {
        return device;
    }

    public Optional<PmemDevice> logDevice() {
        return Optional.ofNullable(logDevice);
    }

    public Optional<PmemDevice> rtDevice() {
        return Optional.ofNullable(rtDevice);
    }

    /** The devices in the order they lie in physical memory: data, then log, then realtime. */
    public List<PmemDevice> devices() {
        java.util.ArrayList<PmemDevice> out = new java.util.ArrayList<>();
        out.add(device);
        if (logDevice != null) {
            out.add(logDevice);
        }
        if (rtDevice != null) {
            out.add(rtDevice);
        }
        return out;
    }

    public Optional<PmemDevice> deviceOfPfn(long pfn) {
        return devices().stream().filter(d -> d.containsPfn(pfn)).findFirst();
    }

    /** The filesystem, or null for a device without a filesystem holder. */
    public Xfs fs() {
        return fs;
    }

    public boolean hasFs() {
        return fs != null;
    }

    public Map<Long, PageState> pages() {
        return pages;
    }

    public PageState page(long pfn) {
        return pages.getOrDefault(pfn, PageState.CLEAN);
    }

    public Map<Long, NavigableMap<Long, DaxEntry>> daxEntries() {
        return daxEntries;
    }

    public NavigableMap<Long, DaxEntry> entriesOf(long ino) {
        NavigableMap<Long, DaxEntry> m = daxEntries.get(ino);
        return m == null ? Collections.emptyNavigableMap() : Collections.unmodifiableNavigableMap(m);
    }

    /** The entry covering a file index: its own PTE entry, or the PMD entry of its 2 MiB-aligned head. */
    public DaxEntry daxEntry(long ino, long index) {
        NavigableMap<Long, DaxEntry> m = daxEntries.get(ino);
        if (m == null) {
            return null;
        }
        DaxEntry e = m.get(index);
        if (e != null) {
            return e;
        }
        long head = index & ~(long) (Units.PMD_PAGES - 1);
        DaxEntry h = m.get(head);
        return h != null && h.pmd() ? h : null;
    }

    public List<Process> processes() {
        return processes;
    }

    public Optional<Process> process(int pid) {
        return processes.stream().filter(p -> p.pid() == pid).findFirst();
    }

    public Sysctl sysctl() {
        return sysctl;
    }

    /** The filesystem UUID that newer kernels print at mount. */
    public String uuid() {
        return uuid;
    }

    public Addressing addressing() {
        return new Addressing(this);
    }

    /** Checks every invariant of the model; throws {@link Invariants.Violation} listing what broke. */
    public World check() {
        Invariants.check(this);
        return this;
    }

    public World withProfile(KernelProfile p) {
        return new World(p, device, logDevice, rtDevice, fs, pages, daxEntries, processes, sysctl, uuid, warnedOnce);
    }

    // package-private builders for the editor
    World with(Xfs newFs, Map<Long, PageState> newPages, Map<Long, NavigableMap<Long, DaxEntry>> newEntries,
               List<Process> newProcs, Sysctl newSysctl, java.util.Set<String> newWarned) {
        return new World(profile, device, logDevice, rtDevice, newFs, newPages, newEntries, newProcs, newSysctl, uuid,
                newWarned);
    }

    PmemDevice rawLogDevice() {
        return logDevice;
    }

    PmemDevice rawRtDevice() {
        return rtDevice;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof World w)) {
            return false;
        }
        return profile.equals(w.profile) && device.equals(w.device) && Objects.equals(logDevice, w.logDevice)
                && Objects.equals(rtDevice, w.rtDevice) && Objects.equals(fs, w.fs)
                && withoutClean(pages).equals(withoutClean(w.pages))
                && withoutEmpty(daxEntries).equals(withoutEmpty(w.daxEntries))
                && processes.equals(w.processes) && sysctl.equals(w.sysctl) && Objects.equals(uuid, w.uuid);
    }

    private static Map<Long, PageState> withoutClean(Map<Long, PageState> m) {
        TreeMap<Long, PageState> out = new TreeMap<>();
        m.forEach((k, v) -> {
            if (!v.equals(PageState.CLEAN)) {
                out.put(k, v);
            }
        });
        return out;
    }

    private static Map<Long, NavigableMap<Long, DaxEntry>> withoutEmpty(Map<Long, NavigableMap<Long, DaxEntry>> m) {
        TreeMap<Long, NavigableMap<Long, DaxEntry>> out = new TreeMap<>();
        m.forEach((k, v) -> {
            if (!v.isEmpty()) {
                out.put(k, v);
            }
        });
        return out;
    }

    @Override
    public int hashCode() {
        return Objects.hash(profile, device, fs == null ? 0 : fs.inodes().size(), processes.size());
    }
}
