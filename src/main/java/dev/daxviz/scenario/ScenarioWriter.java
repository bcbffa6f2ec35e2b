package dev.daxviz.scenario;

import dev.daxviz.model.DeviceMode;
import dev.daxviz.model.Extent;
import dev.daxviz.model.Inode;
import dev.daxviz.model.PmemDevice;
import dev.daxviz.model.Process;
import dev.daxviz.model.Sysctl;
import dev.daxviz.model.Units;
import dev.daxviz.model.Vma;
import dev.daxviz.model.World;
import dev.daxviz.model.WorldEditor;
import dev.daxviz.model.Xfs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Writes a world back out as a scenario (format 1), so that reading the output builds an equal world.
 *
 * <p>The model keeps no recipe, only the result, so each file is written in the first form that the reader
 * turns back into the same inode — checked by building it: a whole-file {@code reflink} of an earlier file; the
 * allocator's parameters ({@code size}, {@code ag}, {@code align}, {@code fragments}, {@code xattrBlocks},
 * {@code rt}); or, failing those, its exact {@code extents} with the blocks it shares expressed as reflink ranges
 * from earlier files (a list of ranges: DaxViz's optional extension of {@code reflink}). What no form can express
 * (a file whose placed blocks need an inode outside AG 0, an unlinked file kept alive by a mapping, poisoned
 * pages) is reported in {@link Written#warnings()}, and so is any world the output does not rebuild exactly
 * (checked by reading it back). Processes are written with the pages they have faulted
 * ({@code touched}) and, where it differs from the default, their mapping address ({@code address}, an optional
 * extension). Events are not part of a world and are not written.
 *
 * <p>A big world (the 1 TiB lesson's 30,000 files) is first tried the fast way: every file in its first form,
 * runs of files alike but for a number folded into generators ({@code count}, {@link #generators}), and the whole
 * checked by one rebuild; only if that does not rebuild the world is each file checked on its own, as above
 * (which rebuilds once per file and form: quadratic in the files).
 */
public final class ScenarioWriter {
    private ScenarioWriter() {
    }

    /** What the header of the scenario says; the seed decides the filesystem UUID, so it is needed for equality. */
    public record Header(String title, String description, long seed) {
    }

    /** The scenario text and what could not be expressed exactly. */
    public record Written(String yaml, List<String> warnings) {
    }

    public static String write(World w, Header h) {
        return writeChecked(w, h).yaml();
    }

    public static Written writeChecked(World w, Header h) {
        List<String> warnings = new ArrayList<>();
        StringBuilder head = new StringBuilder();
        head.append("format: 1\n");
        head.append("title: ").append(q(h.title())).append('\n');
        if (h.description() != null && !h.description().isEmpty()) {
            head.append("description: ").append(q(h.description())).append('\n');
        }
        head.append("kernel: ").append(q(w.profile().id())).append('\n');
        head.append("seed: ").append(h.seed()).append('\n');
        PmemDevice d = w.device();
        head.append("device: {name: ").append(q(d.name())).append(", size: ").append(d.size()).append(", physAddr: ")
                .append(Units.hex(d.physAddr())).append(", dataOffset: ").append(d.dataOffset()).append(", mode: ")
                .append(d.mode().id()).append("}\n");
        if (w.hasFs()) {
            fs(head, w);
        }
        Sysctl s = w.sysctl();
        if (!s.equals(Sysctl.DEFAULTS)) {
            head.append("sysctl: {vm.memory_failure_early_kill: ").append(s.memoryFailureEarlyKill())
                    .append(", vm.memory_failure_recovery: ").append(s.memoryFailureRecovery()).append("}\n");
        }
        List<String> poisoned = new ArrayList<>();
        for (Map.Entry<Long, dev.daxviz.model.PageState> e : new TreeMap<>(w.pages()).entrySet()) {
            if (e.getValue().hwpoison()) {
                poisoned.add("page " + Units.hex(e.getKey()) + " is HWPoison: a scenario cannot say so (poison it "
                        + "with an event)");
                break;
            }
        }
        boolean laidOut = w.hasFs() && LayoutWriter.needed(w);
        // fast path, for big worlds: every file in its first form, checked once by rebuilding the whole world
        // (the careful path below rebuilds the scenario once per file and candidate: quadratic in the files)
        if (w.hasFs() && poisoned.isEmpty() && !laidOut) {
            List<String> fastWarnings = new ArrayList<>();
            List<String> fast = generators(files(w, null, fastWarnings));
            if (fastWarnings.isEmpty()) {
                StringBuilder b = text(head, fast);
                processes(b, w, fastWarnings);
                if (fastWarnings.isEmpty() && rebuildsEqual(b.toString(), w)) {
                    return new Written(b.toString(), List.of());
                }
            }
        }
        // a laid-out filesystem (an imported image) has every inode with its blocks in the layout fs() wrote
        List<String> files = w.hasFs() && !laidOut ? files(w, head.toString(), warnings) : List.of();
        StringBuilder b = text(head, files);
        processes(b, w, warnings);
        warnings.addAll(poisoned);
        if (warnings.isEmpty() && !rebuildsEqual(b.toString(), w)) {
            warnings.add("reading this scenario back does not give an equal world (a state no scenario field "
                    + "describes, such as a page association left by an earlier event)");
        }
        return new Written(b.toString(), warnings);
    }

    private static StringBuilder text(CharSequence head, List<String> files) {
        StringBuilder b = new StringBuilder(head);
        if (!files.isEmpty()) {
            b.append("files:\n");
            for (String f : files) {
                b.append("  - ").append(f).append('\n');
            }
        }
        return b;
    }

    private static boolean rebuildsEqual(String yaml, World w) {
        try {
            Scenario s = ScenarioReader.read("(writer check)", yaml.getBytes(StandardCharsets.UTF_8));
            return ScenarioBuilder.build(s, null).world().equals(w);
        } catch (ScenarioException e) {
            return false;
        }
    }

    private static void fs(StringBuilder b, World w) {
        Xfs fs = w.fs();
        b.append("filesystem:\n");
        b.append("  type: xfs\n");
        b.append("  agCount: ").append(fs.geometry().agcount()).append('\n');
        b.append("  reflink: ").append(fs.reflink()).append('\n');
        b.append("  rmapbt: ").append(fs.rmapbt()).append('\n');
        b.append("  log: ").append(fs.externalLog() ? "external" : "internal").append('\n');
        w.logDevice().ifPresent(l -> b.append("  logDevice: ").append(ns(l)).append('\n'));
        b.append("  realtime: ").append(fs.realtime()).append('\n');
        w.rtDevice().ifPresent(r -> b.append("  rtDevice: ").append(ns(r)).append('\n'));
        b.append("  dax: ").append(fs.daxPolicy().id()).append('\n');
        b.append("  state: ").append(fs.state().id()).append('\n');
        if (fs.isShutdown() && fs.shutdownReason() != null && !fs.shutdownReason().equals("SHUTDOWN_CORRUPT_ONDISK")) {
            b.append("  shutdownReason: ").append(fs.shutdownReason()).append('\n');
        }
        b.append("  mountedAfterSetup: ").append(fs.mountedAfterSetup()).append('\n');
        if (LayoutWriter.needed(w)) {
            LayoutWriter.write(b, w);
        }
    }

    private static String ns(PmemDevice d) {
        return "{name: " + q(d.name()) + ", size: " + d.size() + ", physAddr: " + Units.hex(d.physAddr())
                + ", dataOffset: " + d.dataOffset() + "}";
    }

    // ------------------------------------------------------------------ files

    private static List<String> files(World w, String head, List<String> warnings) {
        List<Inode> order = new ArrayList<>();
        for (Inode i : w.fs().inodes().values()) {
            if (i.unlinked()) {
                warnings.add(i.path() + ": an unlinked file kept alive by a mapping cannot be written; it is left out");
                continue;
            }
            order.add(i);
        }
        List<String> out = new ArrayList<>();
        List<Inode> done = new ArrayList<>();
        Map<List<Object>, Inode> clones = new java.util.HashMap<>();
        for (Inode i : order) {
            String chosen = null;
            List<String> candidates = candidates(w, i, done, clones);
            if (head == null) {
                // unchecked: the first form of each file (the caller checks the whole)
                chosen = candidates.get(0);
            }
            if (chosen == null && !i.rt()) {
                // exact extents last, and only when needed: finding the shared blocks' sources is slow
                candidates.add(placed(w, i, done));
            }
            for (int k = 0; chosen == null && k < candidates.size(); k++) {
                if (reproduces(head, out, candidates.get(k), i)) {
                    chosen = candidates.get(k);
                }
            }
            if (chosen == null) {
                chosen = candidates.get(candidates.size() - 1);
                warnings.add(i.path() + ": no scenario form rebuilds inode " + i.ino() + " exactly; written with its "
                        + "exact extents");
            }
            out.add(chosen);
            done.add(i);
            if (!i.rt()) {
                clones.putIfAbsent(List.of(i.dataExtents(), i.size()), i);
            }
        }
        return out;
    }

    /**
     * Runs of files written alike but for a number, {@code /d/f0}, {@code /d/f1} … (and the same number in their
     * reflink sources), as one entry with {@code count} — the generator the reader expands back, in the same
     * order. Each run is checked form by form; the caller checks the whole by rebuilding it.
     */
    static List<String> generators(List<String> forms) {
        List<String> out = new ArrayList<>();
        int k = 0;
        while (k < forms.size()) {
            int best = 1;
            String bestTemplate = null;
            for (String t : templates(forms.get(k))) {
                int m = 0;
                while (k + m < forms.size() && m < ScenarioReader.MAX_COUNT
                        && forms.get(k + m).equals(t.replace(Scenario.FileDef.N, Integer.toString(m)))) {
                    m++;
                }
                if (m > best) {
                    best = m;
                    bestTemplate = t;
                }
            }
            if (bestTemplate != null) {
                out.add(bestTemplate.substring(0, bestTemplate.length() - 1) + ", count: " + best + "}");
                k += best;
            } else {
                out.add(forms.get(k));
                k++;
            }
        }
        return out;
    }

    /**
     * The generator templates a file form may be the first ({@code n = 0}) file of: its path's last number, if
     * it is a lone 0, becomes {@code {n}}; then also the same in every other quoted string (reflink sources).
     */
    private static List<String> templates(String form) {
        List<int[]> strings = new ArrayList<>();
        for (int i = 0; i < form.length(); i++) {
            if (form.charAt(i) == '"') {
                int j = i + 1;
                while (j < form.length() && form.charAt(j) != '"') {
                    j += form.charAt(j) == '\\' ? 2 : 1;
                }
                strings.add(new int[] {i + 1, Math.min(j, form.length())});
                i = j;
            }
        }
        if (strings.isEmpty() || !form.startsWith("{path: \"") || form.contains(Scenario.FileDef.N)) {
            return List.of();
        }
        int[] zero = loneZero(form, strings.get(0));
        if (zero == null) {
            return List.of();
        }
        String pathOnly = form.substring(0, zero[0]) + Scenario.FileDef.N + form.substring(zero[1]);
        StringBuilder all = new StringBuilder(form);
        for (int k = strings.size() - 1; k >= 0; k--) {
            int[] z = loneZero(form, strings.get(k));
            if (z != null) {
                all.replace(z[0], z[1], Scenario.FileDef.N);
            }
        }
        return all.toString().equals(pathOnly) ? List.of(pathOnly) : List.of(all.toString(), pathOnly);
    }

    /** Where the last number of {@code form[range]} is, if it is a lone 0 (not part of 10, 0x1, 007 …). */
    private static int[] loneZero(String form, int[] range) {
        int end = range[1];
        while (end > range[0] && !Character.isDigit(form.charAt(end - 1))) {
            end--;
        }
        int start = end;
        while (start > range[0] && Character.isDigit(form.charAt(start - 1))) {
            start--;
        }
        return end - start == 1 && form.charAt(start) == '0' ? new int[] {start, end} : null;
    }

    /** Whether the files so far plus {@code candidate} build {@code want} as the candidate's inode. */
    private static boolean reproduces(String head, List<String> before, String candidate, Inode want) {
        StringBuilder b = new StringBuilder(head).append("files:\n");
        for (String f : before) {
            b.append("  - ").append(f).append('\n');
        }
        b.append("  - ").append(candidate).append('\n');
        try {
            Scenario s = ScenarioReader.read("(writer check)", b.toString().getBytes(StandardCharsets.UTF_8));
            BuiltScenario built = ScenarioBuilder.build(s, null);
            Inode got = built.world().fs().byPath(want.path());
            return got != null && sameFile(got, want);
        } catch (ScenarioException e) {
            return false;
        }
    }

    static boolean sameFile(Inode a, Inode b) {
        return a.ino() == b.ino() && a.path().equals(b.path()) && a.size() == b.size()
                && a.dataExtents().equals(b.dataExtents()) && a.attrExtents().equals(b.attrExtents())
                && a.bmbtBlocks().equals(b.bmbtBlocks()) && a.rt() == b.rt() && a.daxFlag() == b.daxFlag();
    }

    /**
     * The forms that may rebuild {@code i}, most compact first, but for exact extents ({@link #placed}).
     * {@code clones}: the first earlier data-device file with given (data extents, size), for the whole-file reflink
     * form.
     */
    private static List<String> candidates(World w, Inode i, List<Inode> done, Map<List<Object>, Inode> clones) {
        List<String> out = new ArrayList<>();
        String dax = i.daxFlag() ? ", dax: true" : "";
        Inode d = i.rt() || !i.attrExtents().isEmpty() || i.dataExtents().isEmpty() ? null
                : clones.get(List.of(i.dataExtents(), i.size()));
        if (d != null) {
            out.add("{path: " + q(i.path()) + ", reflink: " + q(d.path()) + dax + "}");
        }
        int agno = w.fs().geometry().agnoOfIno(i.ino());
        String base = "{path: " + q(i.path()) + ", size: " + i.size() + (agno != 0 ? ", ag: " + agno : "")
                + (i.rt() ? ", rt: true" : "")
                + (i.dataExtents().size() > 1 ? ", fragments: " + i.dataExtents().size() : "")
                + (i.attrExtents().isEmpty() ? "" : ", xattrBlocks: " + i.attrExtents().stream()
                .mapToLong(Extent::blockcount).sum()) + dax;
        out.add(base + "}");
        if (!i.dataExtents().isEmpty()) {
            out.add(base + ", align: 2MiB}");
        }
        if (i.dataExtents().size() > 1) {
            String one = base.replace(", fragments: " + i.dataExtents().size(), "");
            out.add(one + "}");
        }
        return out;
    }

    /** Exact extents for the blocks only this file has so far, reflink ranges for blocks earlier files own. */
    private static String placed(World w, Inode i, List<Inode> done) {
        var g = w.fs().geometry();
        List<String> extents = new ArrayList<>();
        List<String> ranges = new ArrayList<>();
        for (Extent e : i.dataExtents()) {
            long k = 0;
            while (k < e.blockcount()) {
                long block = e.blockAt(e.startoff() + k);
                long[] src = sourceOf(done, block);
                long run = 1;
                if (src == null) {
                    while (k + run < e.blockcount() && sourceOf(done, block + run) == null) {
                        run++;
                    }
                    extents.add("{offset: " + (e.startoff() + k) + ", agno: " + g.agnoOf(block) + ", agbno: "
                            + g.agbnoOf(block) + ", length: " + run + "}");
                } else {
                    while (k + run < e.blockcount()) {
                        long[] nx = sourceOf(done, block + run);
                        if (nx == null || nx[0] != src[0] || nx[1] != src[1] + run) {
                            break;
                        }
                        run++;
                    }
                    ranges.add("{from: " + q(done.get((int) src[0]).path()) + ", offset: " + src[1] * Units.PAGE_SIZE
                            + ", length: " + run * Units.PAGE_SIZE + ", to: " + (e.startoff() + k) * Units.PAGE_SIZE + "}");
                }
                k += run;
            }
        }
        StringBuilder b = new StringBuilder("{path: ").append(q(i.path())).append(", size: ").append(i.size());
        if (!extents.isEmpty()) {
            b.append(", extents: [").append(String.join(", ", extents)).append(']');
        }
        if (!ranges.isEmpty()) {
            b.append(", reflink: [").append(String.join(", ", ranges)).append(']');
        }
        if (i.daxFlag()) {
            b.append(", dax: true");
        }
        return b.append('}').toString();
    }

    /** {index in done, file block} of the first earlier file whose data fork has {@code block}, or null. */
    private static long[] sourceOf(List<Inode> done, long block) {
        for (int k = 0; k < done.size(); k++) {
            Inode d = done.get(k);
            if (d.rt()) {
                continue;
            }
            for (Extent e : d.dataExtents()) {
                if (block >= e.startblock() && block < e.startblock() + e.blockcount()) {
                    return new long[] {k, e.startoff() + (block - e.startblock())};
                }
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ processes

    private static void processes(StringBuilder b, World w, List<String> warnings) {
        if (w.processes().isEmpty()) {
            return;
        }
        boolean devdax = w.device().mode() == DeviceMode.DEVDAX;
        b.append("processes:\n");
        for (Process p : w.processes()) {
            b.append("  - pid: ").append(p.pid()).append('\n');
            b.append("    comm: ").append(q(p.comm())).append('\n');
            if (p.earlyKill() != Process.EarlyKill.DEFAULT) {
                b.append("    earlyKill: ").append(p.earlyKill().id()).append('\n');
            }
            if (p.onSigbus() != Process.OnSigbus.DIE) {
                b.append("    onSigbus: ").append(p.onSigbus().id()).append('\n');
            }
            if (p.state() != Process.State.RUNNING) {
                b.append("    state: ").append(p.state().id()).append('\n');
                continue;
            }
            List<String> maps = new ArrayList<>();
            long next = WorldEditor.MMAP_BASE;
            for (Vma v : p.vmas()) {
                if (v.path().endsWith(" (deleted)")) {
                    warnings.add("pid " + p.pid() + ": its mapping of " + v.path() + " is left out");
                    continue;
                }
                StringBuilder m = new StringBuilder("{path: ").append(q(v.path()));
                if (v.fileOffset() != 0) {
                    m.append(", offset: ").append(v.fileOffset());
                }
                m.append(", length: ").append(v.length());
                m.append(", touched: ").append(touched(v));
                if (v.pmd() && !devdax) {
                    m.append(", pmd: true");
                }
                if (v.start() != next) {
                    m.append(", address: ").append(Units.hex(v.start()));
                }
                maps.add(m.append('}').toString());
                next = Math.max(next, Units.alignUp(v.start() + v.length(), Units.PMD_SIZE) + Units.PMD_SIZE);
            }
            if (!maps.isEmpty()) {
                b.append("    maps:\n");
                for (String m : maps) {
                    b.append("      - ").append(m).append('\n');
                }
            }
        }
    }

    private static String touched(Vma v) {
        NavigableSet<Long> present = v.present();
        if (present.isEmpty()) {
            return "none";
        }
        if (present.size() == v.endIndex() - v.firstIndex() && present.first() == v.firstIndex()
                && present.last() == v.endIndex() - 1) {
            return "all";
        }
        List<String> offs = new ArrayList<>();
        long lastHead = -1;
        for (long i : present) {
            long head = v.pmd() ? i & ~(long) (Units.PMD_PAGES - 1) : i;
            if (v.pmd() && head == lastHead) {
                continue;
            }
            lastHead = head;
            offs.add(Long.toString(Math.max(head, v.firstIndex()) * Units.PAGE_SIZE));
        }
        return "[" + String.join(", ", offs) + "]";
    }

    /** A YAML double-quoted scalar (JSON string syntax is valid YAML). */
    static String q(String s) {
        StringBuilder b = new StringBuilder();
        Json.string(b, Objects.requireNonNullElse(s, ""));
        return b.toString();
    }
}
