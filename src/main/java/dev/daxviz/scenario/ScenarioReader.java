package dev.daxviz.scenario;

import dev.daxviz.engine.FailureEvent;
import dev.daxviz.model.DeviceMode;
import dev.daxviz.model.KernelProfile;
import dev.daxviz.model.Process;
import dev.daxviz.model.Sysctl;
import dev.daxviz.model.Units;
import dev.daxviz.model.Xfs;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a scenario file (YAML, or JSON as its subset) into a {@link Scenario}: checks every key, type, size and
 * choice against scenario-format.md and reports every problem at once as
 * {@code file:line:col: key.path: what is wrong — how to fix it}. The rules that need the world (blocks,
 * extents, mappings) are checked by {@link ScenarioBuilder}.
 */
public final class ScenarioReader {
    /** Largest size accepted anywhere (1 PiB): larger numbers are typos. */
    static final long MAX_SIZE = 1L << 50;
    /** x86-64 physical addresses have at most 52 bits. */
    static final long MAX_PHYS = 1L << 52;
    static final int PID_MAX = 4194304;
    /** Most bytes one poison event covers: each page is its own memory_failure, with its own trace. */
    static final long MAX_POISON = 2 * Units.MiB;

    static final List<String> TOP = List.of("format", "title", "description", "kernel", "seed", "device", "filesystem",
            "files", "processes", "sysctl", "events");
    static final List<String> DEVICE = List.of("name", "size", "physAddr", "dataOffset", "mode");
    static final List<String> NAMESPACE = List.of("name", "size", "physAddr", "dataOffset");
    static final List<String> FS = List.of("type", "blockSize", "agCount", "reflink", "rmapbt", "log", "realtime",
            "logDevice", "rtDevice", "dax", "state", "mountedAfterSetup", "shutdownReason", "layout");
    static final List<String> FILE = List.of("path", "size", "ag", "align", "extents", "reflink", "xattrBlocks",
            "fragments", "rt", "dax", "count");
    /** Most files one generated entry ({@code count}) makes. */
    static final int MAX_COUNT = 100_000;
    /** Most files a scenario makes, generated ones included: beyond this a typo in a count would exhaust memory. */
    static final int MAX_FILES = 200_000;
    static final List<String> EXTENT = List.of("offset", "agno", "agbno", "length");
    static final List<String> RANGE = List.of("from", "offset", "length", "to");
    static final List<String> PROCESS = List.of("pid", "comm", "earlyKill", "onSigbus", "maps", "state");
    static final List<String> MAP = List.of("path", "offset", "length", "touched", "pmd", "address");
    static final List<String> SYSCTL = List.of("vm.memory_failure_early_kill", "vm.memory_failure_recovery");
    static final List<String> EVENTS = List.of("write", "touch", "punch", "unlink", "exit", "poison", "remove");
    static final List<String> WRITE = List.of("pid", "path", "offset", "length");
    static final List<String> TOUCH = List.of("pid", "path", "offset", "length", "write");
    static final List<String> PUNCH = List.of("path", "offset", "length");
    static final List<String> POISON = List.of("at", "length", "source", "pid");
    static final List<String> TARGET = List.of("path", "offset", "fork", "pfn", "physAddr", "deviceOffset", "daddr",
            "agno", "agbno", "metadata");
    static final List<String> METADATA = List.of("headers", "bnobt", "cntbt", "inobt", "finobt", "rmapbt",
            "refcountbt", "inodes", "log");

    private final Problems pr;

    private ScenarioReader(Problems pr) {
        this.pr = pr;
    }

    /** Reads and type-checks a scenario; throws {@link ScenarioException} listing every problem. */
    public static Scenario read(String source, byte[] content) {
        Problems pr = new Problems(source);
        String text = decode(content, pr);
        Scenario s = text == null ? null : parse(source, text, pr);
        pr.throwIfAny();
        return s;
    }

    public static Scenario read(String source, String text) {
        Problems pr = new Problems(source);
        Scenario s = parse(source, text, pr);
        pr.throwIfAny();
        return s;
    }

    private static String decode(byte[] content, Problems pr) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            int line = 1;
            int col = 1;
            for (byte b : content) {
                if (b < 0) {
                    break;
                }
                if (b == '\n') {
                    line++;
                    col = 1;
                } else {
                    col++;
                }
            }
            pr.add(line, col, "", "this is not a UTF-8 text file (it holds binary data)",
                    "give a scenario written in YAML or JSON, saved as UTF-8");
            return null;
        }
    }

    static Scenario parse(String source, String text, Problems pr) {
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        YNode root = YamlTree.parse(text, pr);
        if (root == null) {
            return null;
        }
        return new ScenarioReader(pr).scenario(source, root);
    }

    private Scenario scenario(String source, YNode root) {
        Fields f = Fields.of(root, "", pr, "a scenario", TOP);
        if (f == null) {
            return null;
        }
        if (f.require("format", "start the file with 'format: 1'")) {
            Long v = f.integer("format", null, Long.MIN_VALUE, Long.MAX_VALUE);
            if (v != null && v != 1) {
                pr.add(f.at("format"), "format " + v + " is not supported", "this DaxViz reads 'format: 1'");
            }
        }
        String title = f.str("title", defaultTitle(source));
        String description = f.str("description", "");
        String kernel = f.str("kernel", KernelProfile.DEFAULT.id());
        if (KernelProfile.byId(kernel).isEmpty()) {
            String near = Fields.nearest(kernel, KernelProfile.all().stream().map(KernelProfile::id).toList());
            pr.add(f.at("kernel"), "'" + kernel + "' is not a kernel profile", (near != null ? "did you mean '" + near
                    + "'? " : "") + "use one of: " + KernelProfile.ids());
        }
        long seed = f.integer("seed", 0L, Long.MIN_VALUE, Long.MAX_VALUE);
        Scenario.DeviceDef device = null;
        if (f.require("device", "describe the pmem namespace, e.g. 'device: {size: 256MiB, physAddr: 0x100000000}'")) {
            device = device(f.raw("device"));
        }
        Scenario.FsDef fs = f.has("filesystem") ? filesystem(f.raw("filesystem")) : null;
        List<Scenario.FileDef> files = new ArrayList<>();
        List<YNode> fl = f.list("files");
        long total = 0;
        for (int i = 0; i < fl.size(); i++) {
            Scenario.FileDef d = file(fl.get(i), "files[" + i + "]");
            if (d != null) {
                total += d.files();
                if (total > MAX_FILES) {
                    pr.add(d.locs().at("count"), "the scenario makes more than " + MAX_FILES + " files (" + total
                            + " with this entry)", "use smaller counts: DaxViz simulates at most " + MAX_FILES
                            + " files");
                    break;
                }
                files.add(d);
            }
        }
        List<Scenario.ProcessDef> procs = new ArrayList<>();
        List<YNode> pl = f.list("processes");
        for (int i = 0; i < pl.size(); i++) {
            Scenario.ProcessDef d = process(pl.get(i), "processes[" + i + "]");
            if (d != null) {
                procs.add(d);
            }
        }
        Sysctl sysctl = f.has("sysctl") ? sysctl(f.raw("sysctl")) : Sysctl.DEFAULTS;
        List<Scenario.EventDef> events = new ArrayList<>();
        List<YNode> el = f.list("events");
        for (int i = 0; i < el.size(); i++) {
            Scenario.EventDef d = event(el.get(i), i);
            if (d != null) {
                events.add(d);
            }
        }
        return new Scenario(source, title, description, kernel, seed, device, fs, files, procs, sysctl, events, f.locs());
    }

    static String defaultTitle(String source) {
        String s = source;
        if (s.startsWith("builtin:")) {
            return s.substring("builtin:".length());
        }
        int slash = Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\'));
        return slash >= 0 ? s.substring(slash + 1) : s;
    }

    private Scenario.DeviceDef device(YNode n) {
        Fields f = Fields.of(n, "device", pr, "the device", DEVICE);
        if (f == null) {
            return null;
        }
        String name = name(f, "pmem0");
        boolean hasSize = f.require("size", "give the namespace size, e.g. 'size: 256MiB'");
        boolean hasPhys = f.require("physAddr", "give where the namespace starts, e.g. 'physAddr: 0x100000000'");
        Long size = f.size("size", null, Units.PAGE_SIZE, MAX_SIZE);
        Long phys = f.size("physAddr", null, 0, MAX_PHYS);
        Long dataOffset = f.size("dataOffset", null, 0, MAX_SIZE);
        pageAligned(f, "size", size);
        pageAligned(f, "physAddr", phys);
        pageAligned(f, "dataOffset", dataOffset);
        DeviceMode mode = f.choice("mode", DeviceMode.FSDAX, ordered("fsdax", DeviceMode.FSDAX, "devdax", DeviceMode.DEVDAX));
        if (!hasSize || !hasPhys || size == null || phys == null) {
            return new Scenario.DeviceDef(name, size == null ? -1 : size, phys == null ? -1 : phys, dataOffset, mode,
                    f.locs());
        }
        return new Scenario.DeviceDef(name, size, phys, dataOffset, mode, f.locs());
    }

    private String name(Fields f, String def) {
        String name = f.str("name", def);
        if (name != null && !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,31}")) {
            pr.add(f.at("name"), "'" + name + "' is not a device name", "use a short name such as pmem0");
            return def;
        }
        return name;
    }

    private void pageAligned(Fields f, String key, Long v) {
        if (v != null && v % Units.PAGE_SIZE != 0) {
            pr.add(f.at(key), "the " + key + " " + v + " (" + Units.hex(v) + ") is not a multiple of the 4 KiB page size",
                    "round it to a multiple of 4096 (0x1000), e.g. " + Units.hex(Units.alignUp(v, Units.PAGE_SIZE)));
        }
    }

    private Scenario.NamespaceDef namespace(YNode n, String path) {
        Fields f = Fields.of(n, path, pr, "a namespace", NAMESPACE);
        if (f == null) {
            return null;
        }
        String name = name(f, null);
        Long size = f.size("size", null, Units.PAGE_SIZE, MAX_SIZE);
        Long phys = f.size("physAddr", null, 0, MAX_PHYS);
        Long off = f.size("dataOffset", null, 0, MAX_SIZE);
        pageAligned(f, "size", size);
        pageAligned(f, "physAddr", phys);
        pageAligned(f, "dataOffset", off);
        return new Scenario.NamespaceDef(name, size, phys, off, f.locs());
    }

    private Scenario.FsDef filesystem(YNode n) {
        if (n instanceof YNode.YScalar s && s.type() == YNode.YScalar.Type.NULL) {
            return null;
        }
        Fields f = Fields.of(n, "filesystem", pr, "the filesystem", FS);
        if (f == null) {
            return null;
        }
        String type = f.choice("type", "xfs", ordered("xfs", "xfs", "none", "none"));
        if ("none".equals(type)) {
            for (String k : f.map.entries().keySet()) {
                if (!k.equals("type") && FS.contains(k)) {
                    pr.add(f.at(k), "'" + k + "' has no meaning without a filesystem (type: none)",
                            "remove it, or use type: xfs");
                }
            }
            return null;
        }
        Integer bs = f.intval("blockSize", 4096, 1, 1 << 20);
        if (bs != null && bs != 4096) {
            pr.add(f.at("blockSize"), "block size " + bs + " is not simulated",
                    "DaxViz models 4096-byte blocks (the page size, as fsdax needs): write blockSize: 4096 or omit it");
        }
        int agCount = f.intval("agCount", 4, 1, 1024);
        boolean reflink = f.bool("reflink", true);
        boolean rmapbt = f.bool("rmapbt", true);
        String log = f.choice("log", "internal", ordered("internal", "internal", "external", "external"));
        boolean realtime = f.bool("realtime", false);
        Scenario.NamespaceDef logDev = null;
        if (f.has("logDevice")) {
            if (!"external".equals(log)) {
                pr.add(f.at("logDevice"), "a logDevice is given but the log is internal",
                        "add 'log: external', or remove logDevice");
            }
            logDev = namespace(f.raw("logDevice"), "filesystem.logDevice");
        }
        Scenario.NamespaceDef rtDev = null;
        if (f.has("rtDevice")) {
            if (!realtime) {
                pr.add(f.at("rtDevice"), "an rtDevice is given but the filesystem has no realtime section",
                        "add 'realtime: true', or remove rtDevice");
            }
            rtDev = namespace(f.raw("rtDevice"), "filesystem.rtDevice");
        }
        Xfs.DaxPolicy dax = f.choice("dax", Xfs.DaxPolicy.ALWAYS, ordered("always", Xfs.DaxPolicy.ALWAYS, "never",
                Xfs.DaxPolicy.NEVER, "inode", Xfs.DaxPolicy.INODE));
        Xfs.FsState state = f.choice("state", Xfs.FsState.MOUNTED, ordered("mounted", Xfs.FsState.MOUNTED, "shutdown",
                Xfs.FsState.SHUTDOWN, "unmounted", Xfs.FsState.UNMOUNTED));
        String reason = f.str("shutdownReason", null);
        if (reason != null && state != Xfs.FsState.SHUTDOWN) {
            pr.add(f.at("shutdownReason"), "a shutdownReason is given but the filesystem is not shut down",
                    "add 'state: shutdown', or remove shutdownReason");
        }
        if (reason != null && !reason.matches("SHUTDOWN_[A-Z_]+")) {
            pr.add(f.at("shutdownReason"), "'" + reason + "' is not a shutdown reason",
                    "use a kernel name such as SHUTDOWN_CORRUPT_ONDISK or SHUTDOWN_FORCE_UMOUNT");
        }
        boolean mas = f.bool("mountedAfterSetup", false);
        LayoutDef layout = f.has("layout") ? new LayoutReader(pr).layout(f.raw("layout")) : null;
        if (layout != null && realtime) {
            pr.add(f.at("layout"), "a laid-out filesystem with a realtime section is not supported yet",
                    "remove 'realtime: true' (DaxViz imports the data device of such an image only)");
        }
        return new Scenario.FsDef(4096, agCount, reflink, rmapbt, "external".equals(log), realtime, logDev, rtDev, dax,
                state, reason, mas, layout, f.locs());
    }

    private Scenario.FileDef file(YNode n, String path) {
        Fields f = Fields.of(n, path, pr, "a file", FILE);
        if (f == null) {
            return null;
        }
        String p = null;
        if (f.require("path", "give the file's absolute path, e.g. 'path: /data/a.bin'")) {
            p = f.str("path", null);
            if (p != null && (!p.startsWith("/") || p.endsWith("/") || p.contains("//") || p.contains("/./")
                    || p.contains("/../"))) {
                pr.add(f.at("path"), "'" + p + "' is not an absolute file path", "write it like /data/a.bin");
                p = null;
            }
        }
        Long size = f.size("size", null, 0, MAX_SIZE);
        Integer ag = f.intval("ag", null, 0, 1023);
        Long align = f.size("align", 0L, 0, 1L << 30);
        if (align != null && align != 0 && (align % Units.PAGE_SIZE != 0 || Long.bitCount(align) != 1)) {
            pr.add(f.at("align"), "alignment " + align + " is not a power-of-two multiple of 4 KiB",
                    "use 2MiB for PMD mappings (or 4KiB, 64KiB, 1GiB)");
            align = 0L;
        }
        List<Scenario.ExtentDef> extents = null;
        if (f.has("extents")) {
            extents = new ArrayList<>();
            List<YNode> el = f.list("extents");
            long next = 0;
            for (int i = 0; i < el.size(); i++) {
                Scenario.ExtentDef e = extent(el.get(i), path + ".extents[" + i + "]", next);
                if (e != null) {
                    extents.add(e);
                    next = e.offset() + e.length();
                }
            }
            if (el.isEmpty()) {
                pr.add(f.at("extents"), "the extent list is empty", "give at least one {offset, agno, agbno, length}, "
                        + "or use size");
            }
        }
        String cloneOf = null;
        List<Scenario.RangeDef> ranges = List.of();
        if (f.has("reflink")) {
            YNode r = f.raw("reflink");
            if (r instanceof YNode.YScalar s && s.type() != YNode.YScalar.Type.NULL) {
                cloneOf = s.text();
            } else if (r instanceof YNode.YMap) {
                Scenario.RangeDef d = range(r, path + ".reflink");
                ranges = d == null ? List.of() : List.of(d);
            } else if (r instanceof YNode.YList l) {
                List<Scenario.RangeDef> rl = new ArrayList<>();
                for (int i = 0; i < l.items().size(); i++) {
                    Scenario.RangeDef d = range(l.items().get(i), path + ".reflink[" + i + "]");
                    if (d != null) {
                        rl.add(d);
                    }
                }
                ranges = rl;
            } else {
                pr.add(f.at("reflink"), "expected a file path or {from, offset, length, to}, found " + r.describe(),
                        "write 'reflink: /data/a.bin' for a whole-file clone");
            }
        }
        int xattr = f.intval("xattrBlocks", 0, 0, 4096);
        int fragments = f.intval("fragments", 1, 1, 100000);
        boolean rt = f.bool("rt", false);
        boolean dax = f.bool("dax", false);
        Integer count = f.intval("count", null, 1, MAX_COUNT);
        if (count != null && p != null && !p.contains(Scenario.FileDef.N)) {
            pr.add(f.at("count"), "count " + count + " makes " + count + " files, but the path " + p + " has no "
                    + Scenario.FileDef.N + " to tell them apart", "write {n} where the number goes, e.g. "
                    + "/data/f{n}.bin (n runs from 0 to " + (count - 1) + ")");
            count = null;
        }
        if (count != null && extents != null) {
            pr.add(f.at("count"), "'count' cannot be combined with placed extents (every copy would need the same "
                    + "blocks)", "remove count, or give the files a size and let the allocator place them");
            count = null;
        }
        // combinations that have no meaning
        if (cloneOf != null) {
            for (String k : List.of("size", "ag", "align", "extents", "fragments", "xattrBlocks", "rt")) {
                if (f.has(k)) {
                    pr.add(f.at(k), "'" + k + "' cannot be combined with a whole-file reflink (the clone takes every "
                            + "block and the size of its source)", "remove " + k + ", or use a ranged reflink "
                            + "{from, offset, length, to}");
                }
            }
        }
        if (extents != null) {
            for (String k : List.of("align", "fragments", "xattrBlocks", "rt", "ag")) {
                if (f.has(k)) {
                    pr.add(f.at(k), "'" + k + "' cannot be combined with placed extents",
                            "remove " + k + " (the extents say exactly where the blocks are)");
                }
            }
        }
        if (rt && !ranges.isEmpty()) {
            pr.add(f.at("reflink"), "a realtime file cannot be reflinked", "remove the reflink or 'rt: true'");
        }
        if (fragments > 1 && size != null && fragments > size / Units.PAGE_SIZE) {
            pr.add(f.at("fragments"), fragments + " fragments need at least " + fragments + " blocks but the file has "
                    + size / Units.PAGE_SIZE, "make size at least " + Fields.human(fragments * Units.PAGE_SIZE)
                    + " or use fewer fragments");
        }
        if (fragments > 1 && rt) {
            pr.add(f.at("fragments"), "realtime files are allocated in one extent here", "remove fragments");
        }
        return new Scenario.FileDef(p, size, ag, align == null ? 0 : align, extents, cloneOf, ranges, xattr, fragments,
                rt, dax, count, f.locs());
    }

    private Scenario.ExtentDef extent(YNode n, String path, long next) {
        Fields f = Fields.of(n, path, pr, "an extent", EXTENT);
        if (f == null) {
            return null;
        }
        Long off = f.integer("offset", next, 0, MAX_SIZE / Units.PAGE_SIZE);
        Integer agno = f.intval("agno", 0, 0, 1023);
        boolean ok = f.require("agbno", "give the first block in the AG, e.g. 'agbno: 200'");
        ok &= f.require("length", "give the length in fs blocks, e.g. 'length: 4'");
        Long agbno = f.integer("agbno", null, 0, Integer.MAX_VALUE);
        Long len = f.integer("length", null, 1, Integer.MAX_VALUE);
        if (!ok || off == null || agno == null || agbno == null || len == null) {
            return null;
        }
        return new Scenario.ExtentDef(off, agno, (int) (long) agbno, len, f.locs());
    }

    private Scenario.RangeDef range(YNode n, String path) {
        Fields f = Fields.of(n, path, pr, "a reflink range", RANGE);
        if (f == null) {
            return null;
        }
        String from = null;
        if (f.require("from", "name the source file, e.g. 'from: /data/a.bin'")) {
            from = f.str("from", null);
        }
        Long off = f.size("offset", 0L, 0, MAX_SIZE);
        Long len = f.size("length", null, Units.PAGE_SIZE, MAX_SIZE);
        Long to = f.size("to", null, 0, MAX_SIZE);
        for (String k : List.of("offset", "length", "to")) {
            Long v = k.equals("offset") ? off : k.equals("length") ? len : to;
            if (v != null && v % Units.PAGE_SIZE != 0) {
                pr.add(f.at(k), "clone ranges are whole pages: " + k + " " + v + " is not a multiple of 4 KiB",
                        "round it to a multiple of 4096");
            }
        }
        return from == null ? null : new Scenario.RangeDef(from, off == null ? 0 : off, len, to, f.locs());
    }

    private Scenario.ProcessDef process(YNode n, String path) {
        Fields f = Fields.of(n, path, pr, "a process", PROCESS);
        if (f == null) {
            return null;
        }
        boolean ok = f.require("pid", "give the process id, e.g. 'pid: 101'");
        ok &= f.require("comm", "give the process name the kernel prints, e.g. 'comm: reader'");
        Integer pid = f.intval("pid", null, 1, PID_MAX);
        String comm = f.str("comm", null);
        if (comm != null && (comm.isEmpty() || comm.length() > 15 || comm.chars().anyMatch(c -> c < 0x20))) {
            pr.add(f.at("comm"), "'" + comm + "' is not a task name the kernel keeps",
                    "use 1 to 15 printable characters (TASK_COMM_LEN is 16 with the NUL)");
        }
        Process.EarlyKill ek = f.choice("earlyKill", Process.EarlyKill.DEFAULT, ordered("default",
                Process.EarlyKill.DEFAULT, "early", Process.EarlyKill.EARLY, "late", Process.EarlyKill.LATE));
        Process.OnSigbus on = f.choice("onSigbus", Process.OnSigbus.DIE, ordered("die", Process.OnSigbus.DIE, "handle",
                Process.OnSigbus.HANDLE));
        Process.State st = f.choice("state", Process.State.RUNNING, ordered("running", Process.State.RUNNING, "killed",
                Process.State.KILLED, "exited", Process.State.EXITED));
        List<Scenario.MapDef> maps = new ArrayList<>();
        List<YNode> ml = f.list("maps");
        for (int i = 0; i < ml.size(); i++) {
            Scenario.MapDef m = map(ml.get(i), path + ".maps[" + i + "]");
            if (m != null) {
                maps.add(m);
            }
        }
        if (st != Process.State.RUNNING && !maps.isEmpty()) {
            pr.add(f.at("state"), "a " + st.id() + " process has no mappings", "remove its maps, or the state");
        }
        if (!ok || pid == null || comm == null) {
            return null;
        }
        return new Scenario.ProcessDef(pid, comm, ek, on, st, maps, f.locs());
    }

    private Scenario.MapDef map(YNode n, String path) {
        Fields f = Fields.of(n, path, pr, "a mapping", MAP);
        if (f == null) {
            return null;
        }
        boolean ok = f.require("path", "name the mapped file, e.g. 'path: /data/a.bin'");
        ok &= f.require("length", "give the mapping's length, e.g. 'length: 16KiB'");
        String p = f.str("path", null);
        Long off = f.size("offset", 0L, 0, MAX_SIZE);
        Long len = f.size("length", null, Units.PAGE_SIZE, MAX_SIZE);
        if (off != null && off % Units.PAGE_SIZE != 0) {
            pr.add(f.at("offset"), "a mapping starts at a page boundary: " + off + " is not a multiple of 4 KiB",
                    "use " + Units.alignDown(off, Units.PAGE_SIZE) + " or " + Units.alignUp(off, Units.PAGE_SIZE));
        }
        if (len != null && len % Units.PAGE_SIZE != 0) {
            pr.add(f.at("length"), "a mapping is whole pages: " + len + " is not a multiple of 4 KiB",
                    "use " + Units.alignUp(len, Units.PAGE_SIZE));
        }
        List<Long> touched = null;
        YNode t = f.raw("touched");
        if (t instanceof YNode.YScalar s && s.type() == YNode.YScalar.Type.STRING
                && (s.text().equals("all") || s.text().equals("none"))) {
            touched = s.text().equals("all") ? null : List.of();
        } else if (t instanceof YNode.YList l) {
            touched = new ArrayList<>();
            for (int i = 0; i < l.items().size(); i++) {
                Long v = Fields.sizeOf(l.items().get(i), path + ".touched[" + i + "]", 0, MAX_SIZE, null, pr);
                if (v != null) {
                    if (v % Units.PAGE_SIZE != 0) {
                        pr.add(At.of(path + ".touched[" + i + "]", l.items().get(i)), "a touched offset names a page: "
                                + v + " is not a multiple of 4 KiB", "use " + Units.alignDown(v, Units.PAGE_SIZE));
                    } else {
                        touched.add(v);
                    }
                }
            }
        } else if (t != null) {
            pr.add(f.at("touched"), "expected all, none or a list of file offsets, found " + t.describe(),
                    "write touched: all, touched: none, or touched: [0, 8KiB]");
        }
        Boolean pmd = f.bool("pmd", null);
        Long address = f.size("address", null, 0, (1L << 47) - 1);
        if (address != null && address % Units.PAGE_SIZE != 0) {
            pr.add(f.at("address"), "a mapping address is page aligned", "use " + Units.hex(Units.alignUp(address,
                    Units.PAGE_SIZE)));
        }
        if (!ok || p == null || off == null || len == null) {
            return null;
        }
        return new Scenario.MapDef(p, off, len, touched, pmd, address, f.locs());
    }

    private Sysctl sysctl(YNode n) {
        Fields f = Fields.of(n, "sysctl", pr, "sysctl settings", SYSCTL);
        if (f == null) {
            return Sysctl.DEFAULTS;
        }
        int ek = (int) (long) f.integer("vm.memory_failure_early_kill", 0L, 0, 1);
        int rec = (int) (long) f.integer("vm.memory_failure_recovery", 1L, 0, 1);
        return new Sysctl(ek, rec);
    }

    private Scenario.EventDef event(YNode n, int index) {
        String path = "events[" + index + "]";
        Fields f = Fields.of(n, path, pr, "an event", EVENTS);
        if (f == null) {
            return null;
        }
        List<String> kinds = new ArrayList<>();
        for (String k : f.map.entries().keySet()) {
            if (EVENTS.contains(k)) {
                kinds.add(k);
            }
        }
        if (kinds.isEmpty()) {
            if (f.map.entries().isEmpty()) {
                pr.add(f.at, "the event is empty", "write one of: " + String.join(", ", EVENTS));
            }
            return null;
        }
        if (kinds.size() > 1) {
            pr.add(f.at(kinds.get(1)), "one event per list item: found both '" + kinds.get(0) + "' and '"
                    + kinds.get(1) + "'", "start a new item with '- ' for the second event");
            return null;
        }
        String kind = kinds.get(0);
        YNode body = f.raw(kind);
        String bp = path + "." + kind;
        switch (kind) {
            case "write": {
                Fields b = Fields.of(body, bp, pr, "a write", WRITE);
                if (b == null) {
                    return null;
                }
                boolean ok = b.require("path", "name the file written, e.g. 'path: /data/b.bin'");
                Integer pid = b.intval("pid", null, 1, PID_MAX);
                String p = b.str("path", null);
                Long off = b.size("offset", 0L, 0, MAX_SIZE);
                Long len = b.size("length", Units.PAGE_SIZE, 1, MAX_SIZE);
                return ok && p != null && off != null && len != null
                        ? new Scenario.Write(index, pid, p, off, len, b.locs()) : null;
            }
            case "touch": {
                Fields b = Fields.of(body, bp, pr, "a touch", TOUCH);
                if (b == null) {
                    return null;
                }
                boolean ok = b.require("pid", "name the process that touches, e.g. 'pid: 101'");
                ok &= b.require("path", "name the mapped file, e.g. 'path: /data/a.bin'");
                Integer pid = b.intval("pid", null, 1, PID_MAX);
                String p = b.str("path", null);
                Long off = b.size("offset", 0L, 0, MAX_SIZE);
                Long len = b.size("length", Units.PAGE_SIZE, 1, MAX_SIZE);
                boolean w = b.bool("write", false);
                return ok && pid != null && p != null && off != null && len != null
                        ? new Scenario.Touch(index, pid, p, off, len, w, b.locs()) : null;
            }
            case "punch": {
                Fields b = Fields.of(body, bp, pr, "a punch", PUNCH);
                if (b == null) {
                    return null;
                }
                boolean ok = b.require("path", "name the file, e.g. 'path: /data/c.bin'");
                ok &= b.require("length", "give the length of the hole, e.g. 'length: 4KiB'");
                String p = b.str("path", null);
                Long off = b.size("offset", 0L, 0, MAX_SIZE);
                Long len = b.size("length", null, 1, MAX_SIZE);
                return ok && p != null && off != null && len != null
                        ? new Scenario.Punch(index, p, off, len, b.locs()) : null;
            }
            case "unlink": {
                if (body instanceof YNode.YScalar s && s.type() == YNode.YScalar.Type.STRING) {
                    return new Scenario.Unlink(index, s.text(), new Scenario.Locs(At.of(bp, body), Map.of()));
                }
                pr.add(At.of(bp, body), "expected the path of the file to remove, found " + body.describe(),
                        "write 'unlink: /data/old.bin'");
                return null;
            }
            case "exit": {
                Long pid = f.integerOf(body, bp, 1, PID_MAX, null);
                return pid == null ? null : new Scenario.Exit(index, (int) (long) pid,
                        new Scenario.Locs(At.of(bp, body), Map.of()));
            }
            case "remove": {
                if (body instanceof YNode.YScalar s && s.type() == YNode.YScalar.Type.NULL) {
                    return new Scenario.Remove(index, new Scenario.Locs(At.of(bp, body), Map.of()));
                }
                Fields b = Fields.of(body, bp, pr, "a device removal", List.of());
                return b == null ? null : new Scenario.Remove(index, b.locs());
            }
            case "poison":
                return poison(body, bp, index);
            default:
                return null;
        }
    }

    private Scenario.EventDef poison(YNode body, String bp, int index) {
        Fields b = Fields.of(body, bp, pr, "a poison", POISON);
        if (b == null) {
            return null;
        }
        Scenario.Target target = null;
        if (b.require("at", "say where, e.g. 'at: {path: /data/a.bin, offset: 4KiB}' or 'at: {pfn: 0x10c01}'")) {
            target = target(b.raw("at"), bp + ".at");
        }
        Long len = b.size("length", Units.PAGE_SIZE, Units.PAGE_SIZE, MAX_SIZE);
        if (len != null && len % Units.PAGE_SIZE != 0) {
            pr.add(b.at("length"), "poison covers whole pages: " + len + " is not a multiple of 4 KiB",
                    "use " + Units.alignUp(len, Units.PAGE_SIZE));
            len = null;
        } else if (len != null && len > MAX_POISON) {
            pr.add(b.at("length"), "one poison event covers at most " + Fields.human(MAX_POISON) + " ("
                    + MAX_POISON / Units.PAGE_SIZE + " pages): " + Fields.human(len) + " is more",
                    "split it into several poison events of up to 2MiB (the kernel handles one page at a time anyway)");
            len = null;
        }
        FailureEvent.Source src = b.choice("source", FailureEvent.Source.MCE, ordered("mce", FailureEvent.Source.MCE,
                "consume", FailureEvent.Source.CONSUME, "madvise", FailureEvent.Source.MADVISE, "inject",
                FailureEvent.Source.INJECT));
        Integer pid = b.intval("pid", null, 1, PID_MAX);
        if ((src == FailureEvent.Source.CONSUME || src == FailureEvent.Source.MADVISE) && !b.has("pid")) {
            pr.add(b.at("source"), "source " + src.id() + " needs the task that is current",
                    "add 'pid:' naming the process that " + (src == FailureEvent.Source.CONSUME ? "touched the page"
                            : "called madvise(MADV_HWPOISON)"));
        }
        if (src == FailureEvent.Source.MCE && b.has("pid")) {
            pr.add(b.at("pid"), "an asynchronous machine check (source mce) has no current task",
                    "remove pid, or use 'source: consume' for a task that touched the page");
        }
        if (target == null || len == null) {
            return null;
        }
        return new Scenario.Poison(index, target, len, src, pid, b.locs());
    }

    private Scenario.Target target(YNode n, String path) {
        Fields f = Fields.of(n, path, pr, "a poison address", TARGET);
        if (f == null) {
            return null;
        }
        List<String> given = new ArrayList<>();
        for (String k : List.of("path", "pfn", "physAddr", "deviceOffset", "daddr", "agno", "metadata")) {
            if (f.has(k)) {
                given.add(k);
            }
        }
        String forms = "{path, offset}, {path, fork}, {pfn}, {physAddr}, {deviceOffset}, {daddr}, {agno, agbno}, "
                + "{metadata, agno}";
        if (given.isEmpty()) {
            pr.add(f.at, "no address is given", "use one of " + forms);
            return null;
        }
        String form = given.get(0);
        if (form.equals("agno") && given.contains("metadata")) {
            form = "metadata";
        }
        List<String> allowed = switch (form) {
            case "path" -> f.has("fork") ? List.of("path", "fork") : List.of("path", "offset");
            case "agno" -> List.of("agno", "agbno");
            case "metadata" -> List.of("metadata", "agno");
            default -> List.of(form);
        };
        for (String k : f.map.entries().keySet()) {
            if (TARGET.contains(k) && !allowed.contains(k)) {
                pr.add(f.at(k), "'" + k + "' cannot be combined with '" + form + "' in one address",
                        "give one address form: " + forms);
            }
        }
        String p = f.str("path", null);
        Long offset = null;
        String fork = null;
        if (form.equals("path")) {
            if (f.has("fork")) {
                fork = f.choice("fork", null, ordered("attr", "attr", "bmbt", "bmbt"));
            } else {
                offset = f.size("offset", 0L, 0, MAX_SIZE);
            }
        }
        Long pfn = f.integer("pfn", null, 0, MAX_PHYS >>> Units.PAGE_SHIFT);
        Long phys = f.size("physAddr", null, 0, MAX_PHYS);
        Long devOff = f.size("deviceOffset", null, 0, MAX_SIZE);
        Long daddr = f.integer("daddr", null, 0, MAX_SIZE / Units.BBSIZE);
        Integer agno = f.intval("agno", null, 0, 1023);
        Integer agbno = f.intval("agbno", null, 0, Integer.MAX_VALUE);
        String md = f.choice("metadata", null, orderedList(METADATA));
        if (form.equals("agno") && !f.has("agbno")) {
            pr.add(f.at, "an AG address needs the block too", "add 'agbno:', e.g. {agno: 0, agbno: 24}");
            return null;
        }
        if (form.equals("metadata") && md != null && !md.equals("log") && !f.has("agno")) {
            pr.add(f.at, "metadata " + md + " needs the AG it is in", "add 'agno:', e.g. {metadata: " + md + ", agno: 0}");
            return null;
        }
        if (form.equals("metadata") && "log".equals(md) && f.has("agno")) {
            pr.add(f.at("agno"), "the log is not per AG", "remove agno: {metadata: log} is the first block of the log");
        }
        if (phys != null && phys % Units.PAGE_SIZE != 0) {
            pr.add(f.at("physAddr"), "poison is per page: " + Units.hex(phys) + " is not page aligned",
                    "use " + Units.hex(Units.alignDown(phys, Units.PAGE_SIZE)));
        }
        if (devOff != null && devOff % Units.PAGE_SIZE != 0) {
            pr.add(f.at("deviceOffset"), "poison is per page: " + Units.hex(devOff) + " is not page aligned",
                    "use " + Units.hex(Units.alignDown(devOff, Units.PAGE_SIZE)));
        }
        if (offset != null && offset % Units.PAGE_SIZE != 0) {
            pr.add(f.at("offset"), "poison is per page: " + offset + " is not a multiple of 4 KiB",
                    "use " + Units.alignDown(offset, Units.PAGE_SIZE));
        }
        if (daddr != null && daddr % 8 != 0) {
            pr.add(f.at("daddr"), "poison is per page: daddr " + daddr + " is not the first sector of a 4 KiB page",
                    "use " + (daddr / 8 * 8) + " (8 sectors per page)");
        }
        return new Scenario.Target(p, offset, fork, pfn, phys, devOff, daddr, agno, agbno, md, f.locs());
    }

    @SuppressWarnings("unchecked")
    private static <E> Map<String, E> ordered(Object... kv) {
        Map<String, E> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (E) kv[i + 1]);
        }
        return m;
    }

    private static Map<String, String> orderedList(List<String> names) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String s : names) {
            m.put(s, s);
        }
        return m;
    }
}
