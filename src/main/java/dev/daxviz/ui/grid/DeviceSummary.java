package dev.daxviz.ui.grid;

import dev.daxviz.model.AllocationGroup;
import dev.daxviz.model.Extent;
import dev.daxviz.model.Geometry;
import dev.daxviz.model.Inode;
import dev.daxviz.model.PmemDevice;
import dev.daxviz.model.RmapRecord;
import dev.daxviz.model.World;
import dev.daxviz.model.Xfs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The grid's view of the device: runs of pages of one {@link PageClass} in pfn order, with prefix sums, so the
 * class mix of any pfn range is a few binary searches however large the device. Built once per world layout
 * (page states and processes do not change it).
 */
public final class DeviceSummary {
    private static final PageClass[] CLASSES = PageClass.values();

    private final List<Band> bands;
    private final long[] start;
    private final long[] end;
    private final byte[] cls;
    /** cum[c][i]: pages of class c in runs before run i. */
    private final long[][] cum;

    private DeviceSummary(List<Band> bands, List<long[]> runs) {
        this.bands = List.copyOf(bands);
        int n = runs.size();
        start = new long[n];
        end = new long[n];
        cls = new byte[n];
        cum = new long[CLASSES.length][n + 1];
        for (int i = 0; i < n; i++) {
            long[] r = runs.get(i);
            start[i] = r[0];
            end[i] = r[1];
            cls[i] = (byte) r[2];
            for (int c = 0; c < CLASSES.length; c++) {
                cum[c][i + 1] = cum[c][i] + (c == cls[i] ? end[i] - start[i] : 0);
            }
        }
    }

    public static DeviceSummary of(World w) {
        List<Band> bands = new ArrayList<>();
        List<long[]> runs = new ArrayList<>();
        PmemDevice d = w.device();
        if (d.dataOffset() > 0) {
            bands.add(new Band(d.name() + " fsdax reserve", d.firstPfn(), d.dataStartPfn() - d.firstPfn(), -1, true));
            runs.add(new long[] {d.firstPfn(), d.dataStartPfn(), PageClass.RESERVE.ordinal()});
        }
        Xfs fs = w.fs();
        if (fs == null) {
            bands.add(new Band(d.name() + " (" + d.mode().id() + ")", d.dataStartPfn(), d.pages(), -1));
            if (d.mode() == dev.daxviz.model.DeviceMode.DEVDAX) {
                // device-dax memory is all application data: there is no filesystem to own or free it
                runs.add(new long[] {d.dataStartPfn(), d.endPfn(), PageClass.DATA.ordinal()});
            }
        } else {
            Geometry g = fs.geometry();
            for (AllocationGroup ag : fs.ags()) {
                long first = d.dataStartPfn() + (long) ag.agno() * g.agblocks();
                String label = "AG " + ag.agno() + (ag.agno() == g.logAgno() ? " (log)" : "");
                bands.add(new Band(label, first, ag.length(), ag.agno()));
                addAgRuns(ag, first, runs);
            }
            w.logDevice().ifPresent(l -> {
                if (l.dataOffset() > 0) {
                    bands.add(new Band(l.name() + " fsdax reserve", l.firstPfn(), l.dataStartPfn() - l.firstPfn(), -1, true));
                    runs.add(new long[] {l.firstPfn(), l.dataStartPfn(), PageClass.RESERVE.ordinal()});
                }
                bands.add(new Band(l.name() + " (external log)", l.dataStartPfn(), l.pages(), -1));
                runs.add(new long[] {l.dataStartPfn(), l.endPfn(), PageClass.LOG.ordinal()});
            });
            w.rtDevice().ifPresent(rt -> {
                if (rt.dataOffset() > 0) {
                    bands.add(new Band(rt.name() + " fsdax reserve", rt.firstPfn(), rt.dataStartPfn() - rt.firstPfn(), -1, true));
                    runs.add(new long[] {rt.firstPfn(), rt.dataStartPfn(), PageClass.RESERVE.ordinal()});
                }
                bands.add(new Band(rt.name() + " (realtime)", rt.dataStartPfn(), rt.pages(), -1));
                List<long[]> rtRuns = new ArrayList<>();
                for (Inode i : fs.inodes().values()) {
                    if (i.rt()) {
                        for (Extent e : i.dataExtents()) {
                            long s = rt.dataStartPfn() + e.startblock();
                            rtRuns.add(new long[] {s, s + e.blockcount(), PageClass.DATA.ordinal()});
                        }
                    }
                }
                rtRuns.sort((a, b) -> Long.compare(a[0], b[0]));
                runs.addAll(rtRuns);
            });
        }
        runs.sort((a, b) -> Long.compare(a[0], b[0]));
        return new DeviceSummary(bands, runs);
    }

    /** Runs of one AG from its rmap records (non-overlapping except shared data) and its refcounts. */
    private static void addAgRuns(AllocationGroup ag, long firstPfn, List<long[]> out) {
        long covered = -1;
        List<long[]> base = new ArrayList<>();
        for (RmapRecord r : ag.rmap().records()) {
            long s = Math.max(r.startblock(), covered + 1);
            long e = r.lastBlock();
            if (e < s) {
                continue;
            }
            PageClass c = classOf(r);
            base.add(new long[] {firstPfn + s, firstPfn + e + 1, c.ordinal()});
            covered = e;
        }
        // overlay shared blocks from the refcount btree
        List<long[]> shared = new ArrayList<>();
        for (AllocationGroup.RefcountRecord rc : ag.refcountRecords()) {
            shared.add(new long[] {firstPfn + rc.startblock(), firstPfn + rc.startblock() + rc.blockcount()});
        }
        int si = 0;
        for (long[] b : base) {
            if (b[2] != PageClass.DATA.ordinal()) {
                out.add(b);
                continue;
            }
            long cur = b[0];
            while (si < shared.size() && shared.get(si)[1] <= cur) {
                si++;
            }
            int k = si;
            while (cur < b[1]) {
                if (k < shared.size() && shared.get(k)[0] < b[1]) {
                    long[] sh = shared.get(k);
                    if (sh[0] > cur) {
                        out.add(new long[] {cur, sh[0], PageClass.DATA.ordinal()});
                        cur = sh[0];
                    }
                    long e = Math.min(sh[1], b[1]);
                    out.add(new long[] {cur, e, PageClass.SHARED.ordinal()});
                    cur = e;
                    if (sh[1] <= b[1]) {
                        k++;
                    }
                } else {
                    out.add(new long[] {cur, b[1], PageClass.DATA.ordinal()});
                    cur = b[1];
                }
            }
        }
    }

    static PageClass classOf(RmapRecord r) {
        if (r.isInodeOwner()) {
            return r.attrFork() || r.bmbtBlock() ? PageClass.METADATA : PageClass.DATA;
        }
        return r.owner() == dev.daxviz.model.RmapOwner.LOG ? PageClass.LOG : PageClass.METADATA;
    }

    public List<Band> bands() {
        return bands;
    }

    public Band bandOf(long pfn) {
        for (Band b : bands) {
            if (b.contains(pfn)) {
                return b;
            }
        }
        return null;
    }

    /** Pages of class c before pfn x. */
    private long prefix(int c, long x) {
        int i = Arrays.binarySearch(start, x);
        if (i < 0) {
            i = -i - 2; // the run starting before x
        }
        if (i < 0) {
            return 0;
        }
        long before = cum[c][i];
        if (cls[i] == c) {
            before += Math.min(x, end[i]) - start[i];
        }
        return before;
    }

    /** Pages of each class in {@code [from, to)}; pages not in any run are free. */
    public long[] counts(long from, long to) {
        long[] out = new long[CLASSES.length];
        long owned = 0;
        for (int c = 1; c < CLASSES.length; c++) {
            out[c] = prefix(c, to) - prefix(c, from);
            owned += out[c];
        }
        out[PageClass.FREE.ordinal()] = (to - from) - owned;
        return out;
    }

    public PageClass classOfPage(long pfn) {
        long[] c = counts(pfn, pfn + 1);
        for (int k = 0; k < c.length; k++) {
            if (c[k] > 0) {
                return CLASSES[k];
            }
        }
        return PageClass.FREE;
    }

    /**
     * Classifies {@code n} consecutive cells of {@code ppc} pages from {@code from} (pages at or past {@code limit}
     * do not count): each cell's majority class, the runner-up (or -1 when the cell is pure) and the majority's
     * share. Walks the runs once, so a row costs the runs it crosses, not a search per cell.
     */
    public void classifyCells(long from, long ppc, int n, long limit, byte[] major, byte[] second, float[] share) {
        int i = Arrays.binarySearch(start, from);
        if (i < 0) {
            i = Math.max(0, -i - 2);
        }
        long[] counts = new long[CLASSES.length];
        for (int cell = 0; cell < n; cell++) {
            long a = from + cell * ppc;
            long b = Math.min(a + ppc, limit);
            Arrays.fill(counts, 0);
            if (b <= a) {
                major[cell] = -1;
                continue;
            }
            while (i < start.length && end[i] <= a) {
                i++;
            }
            long owned = 0;
            int j = i;
            while (j < start.length && start[j] < b) {
                long s = Math.max(a, start[j]);
                long e = Math.min(b, end[j]);
                if (e > s) {
                    counts[cls[j]] += e - s;
                    owned += e - s;
                }
                if (end[j] > b) {
                    break;
                }
                j++;
            }
            counts[PageClass.FREE.ordinal()] += (b - a) - owned;
            int m = 0;
            int m2 = -1;
            for (int c = 1; c < counts.length; c++) {
                if (counts[c] > counts[m]) {
                    m = c;
                }
            }
            for (int c = 0; c < counts.length; c++) {
                if (c != m && counts[c] > 0 && (m2 < 0 || counts[c] > counts[m2])) {
                    m2 = c;
                }
            }
            major[cell] = (byte) m;
            second[cell] = (byte) m2;
            share[cell] = (float) counts[m] / (b - a);
        }
    }

    /** Number of runs (a measure of the summary's size). */
    public int runs() {
        return start.length;
    }

    /** The classes by page count, as a map for charts and tests. */
    public Map<PageClass, Long> totals() {
        Map<PageClass, Long> m = new java.util.EnumMap<>(PageClass.class);
        for (Band b : bands) {
            long[] c = counts(b.firstPfn(), b.endPfn());
            for (int k = 0; k < c.length; k++) {
                m.merge(CLASSES[k], c[k], Long::sum);
            }
        }
        return m;
    }
}
