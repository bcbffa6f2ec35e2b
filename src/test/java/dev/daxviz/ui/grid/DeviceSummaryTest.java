package dev.daxviz.ui.grid;

import dev.daxviz.model.Address;
import dev.daxviz.model.FsOptions;
import dev.daxviz.model.KernelProfile;
import dev.daxviz.model.PmemDevice;
import dev.daxviz.model.Sysctl;
import dev.daxviz.model.Units;
import dev.daxviz.model.World;
import dev.daxviz.model.WorldEditor;
import dev.daxviz.ui.Session;
import dev.daxviz.ui.UiWorlds;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.daxviz.ui.UiWorlds.AGBLOCKS;
import static dev.daxviz.ui.UiWorlds.DATA_PFN;
import static dev.daxviz.ui.UiWorlds.FIRST_PFN;
import static dev.daxviz.ui.UiWorlds.LOG_AGBNO;
import static dev.daxviz.ui.UiWorlds.LOG_BLOCKS;
import static dev.daxviz.ui.UiWorlds.RESERVE_PAGES;
import static dev.daxviz.ui.UiWorlds.pfn;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The grid's summary of the device against the layout xfs-layout-reference.md measured: which class each page is,
 * page counts per class over ranges, the bands, and the majority/second/share of cells of many pages (also on a
 * 1 TiB device, where the summary must stay a few runs, not a structure per page).
 */
class DeviceSummaryTest {
    private static final int F = PageClass.FREE.ordinal();
    private static final int D = PageClass.DATA.ordinal();
    private static final int S = PageClass.SHARED.ordinal();
    private static final int M = PageClass.METADATA.ordinal();
    private static final int L = PageClass.LOG.ordinal();
    private static final int R = PageClass.RESERVE.ordinal();

    private final World w = UiWorlds.threeFiles();
    private final DeviceSummary sum = DeviceSummary.of(w);

    private long cPfn(long block) {
        return w.addressing().ofFile("/data/c.bin", block * Units.PAGE_SIZE).pfn();
    }

    @Test
    void bandsAreTheReserveThenOneBandPerAg() {
        List<Band> b = sum.bands();
        assertThat(b).hasSize(1 + 4);
        Band reserve = b.get(0);
        assertThat(reserve.firstPfn()).isEqualTo(FIRST_PFN);
        assertThat(reserve.pages()).isEqualTo(RESERVE_PAGES).isEqualTo(10 * Units.MiB / Units.PAGE_SIZE);
        assertThat(reserve.compact()).isTrue();
        assertThat(reserve.agno()).isEqualTo(-1);
        assertThat(reserve.label()).contains("reserve");
        for (int agno = 0; agno < 4; agno++) {
            Band ag = b.get(1 + agno);
            assertThat(ag.agno()).isEqualTo(agno);
            assertThat(ag.firstPfn()).isEqualTo(pfn(agno, 0));
            assertThat(ag.pages()).isEqualTo(AGBLOCKS);
            assertThat(ag.compact()).isFalse();
            assertThat(ag.label()).startsWith("AG " + agno);
            assertThat(ag.label().contains("log")).as("only AG 2 holds the internal log").isEqualTo(agno == 2);
        }
        // the bands tile the namespace without gaps
        for (int i = 1; i < b.size(); i++) {
            assertThat(b.get(i).firstPfn()).isEqualTo(b.get(i - 1).endPfn());
        }
        assertThat(b.get(b.size() - 1).endPfn()).isEqualTo(w.device().endPfn());
        assertThat(sum.bandOf(FIRST_PFN)).isSameAs(reserve);
        assertThat(sum.bandOf(pfn(1, 513))).isSameAs(b.get(2));
        assertThat(sum.bandOf(FIRST_PFN - 1)).isNull();
        assertThat(sum.bandOf(w.device().endPfn())).isNull();
    }

    @Test
    void classOfPageFollowsTheMeasuredLayout() {
        // AG 0: headers 0–3, btree roots 4–9, AGFL reserve 10–15, first inode chunk 16–23: all metadata
        for (int agbno = 0; agno0Metadata(agbno); agbno++) {
            assertThat(sum.classOfPage(pfn(0, agbno))).as("AG 0 agbno %d", agbno).isEqualTo(PageClass.METADATA);
        }
        // a.bin's blocks 24–27 are shared with its reflink b.bin
        for (int agbno = 24; agbno < 28; agbno++) {
            assertThat(sum.classOfPage(pfn(0, agbno))).as("agbno %d", agbno).isEqualTo(PageClass.SHARED);
        }
        for (int blk = 0; blk < 4; blk++) {
            assertThat(sum.classOfPage(cPfn(blk))).isEqualTo(PageClass.DATA);
        }
        assertThat(sum.classOfPage(pfn(0, 1000))).isEqualTo(PageClass.FREE);
        // every other AG: 0–15 metadata, then free (AG 2: the log first)
        for (int agno : new int[] {1, 3}) {
            assertThat(sum.classOfPage(pfn(agno, 0))).isEqualTo(PageClass.METADATA);
            assertThat(sum.classOfPage(pfn(agno, 15))).isEqualTo(PageClass.METADATA);
            assertThat(sum.classOfPage(pfn(agno, 16))).isEqualTo(PageClass.FREE);
            assertThat(sum.classOfPage(pfn(agno, AGBLOCKS - 1))).isEqualTo(PageClass.FREE);
        }
        assertThat(sum.classOfPage(pfn(2, 9))).isEqualTo(PageClass.METADATA);
        assertThat(sum.classOfPage(pfn(2, LOG_AGBNO))).isEqualTo(PageClass.LOG);
        assertThat(sum.classOfPage(pfn(2, LOG_AGBNO + LOG_BLOCKS - 1))).isEqualTo(PageClass.LOG);
        assertThat(sum.classOfPage(pfn(2, 16394))).isEqualTo(PageClass.METADATA);
        assertThat(sum.classOfPage(pfn(2, 16399))).isEqualTo(PageClass.METADATA);
        assertThat(sum.classOfPage(pfn(2, 16400))).isEqualTo(PageClass.FREE);
        assertThat(sum.classOfPage(FIRST_PFN)).isEqualTo(PageClass.RESERVE);
        assertThat(sum.classOfPage(DATA_PFN - 1)).isEqualTo(PageClass.RESERVE);
        // agrees with the model's own view of the page, page by page over AG 0's first rows
        for (int agbno = 0; agbno < 200; agbno++) {
            assertThat(sum.classOfPage(pfn(0, agbno))).as("agbno %d", agbno).isEqualTo(modelClass(w, pfn(0, agbno)));
        }
    }

    private static boolean agno0Metadata(int agbno) {
        return agbno < 24;
    }

    /** The class of a page from the rmap records and refcounts (the model), independently of DeviceSummary. */
    static PageClass modelClass(World w, long pfn) {
        Address a = w.addressing().ofPfn(pfn);
        if (a.region() == Address.Region.RESERVE) {
            return PageClass.RESERVE;
        }
        var ag = w.fs().ag(a.agno());
        var recs = ag.rmap().queryRange(a.agbno(), a.agbno()).records();
        if (recs.isEmpty()) {
            return PageClass.FREE;
        }
        var r = recs.get(0);
        if (!r.isInodeOwner()) {
            return r.owner() == dev.daxviz.model.RmapOwner.LOG ? PageClass.LOG : PageClass.METADATA;
        }
        if (r.attrFork() || r.bmbtBlock()) {
            return PageClass.METADATA;
        }
        return ag.refcountOf(a.agbno()) > 1 ? PageClass.SHARED : PageClass.DATA;
    }

    @Test
    void countsOverRanges() {
        assertThat(sum.counts(pfn(0, 0), pfn(0, 24))[M]).isEqualTo(24);
        long[] c = sum.counts(pfn(0, 20), pfn(0, 30));
        assertThat(c[M]).isEqualTo(4); // 20–23
        assertThat(c[S]).isEqualTo(4); // 24–27
        assertThat(c[D] + c[F]).isEqualTo(2);
        assertThat(sum.counts(cPfn(0), cPfn(0) + 4)[D]).isEqualTo(4);
        long[] log = sum.counts(pfn(2, 0), pfn(2, AGBLOCKS));
        assertThat(log[L]).isEqualTo(LOG_BLOCKS);
        assertThat(log[M]).isEqualTo(16);
        assertThat(log[F]).isEqualTo(AGBLOCKS - LOG_BLOCKS - 16);
        long[] res = sum.counts(FIRST_PFN, DATA_PFN);
        assertThat(res[R]).isEqualTo(RESERVE_PAGES);
        assertThat(res[F] + res[D] + res[S] + res[M] + res[L]).isZero();
        // a range straddling the reserve and AG 0
        long[] edge = sum.counts(DATA_PFN - 3, DATA_PFN + 3);
        assertThat(edge[R]).isEqualTo(3);
        assertThat(edge[M]).isEqualTo(3);
        // empty range
        assertThat(sum.counts(pfn(1, 5), pfn(1, 5))).containsOnly(0L);
        // counts always add up to the range's length, and split additively
        long a = pfn(0, 3);
        long m = pfn(2, 17);
        long z = pfn(3, 100);
        long[] whole = sum.counts(a, z);
        long[] left = sum.counts(a, m);
        long[] right = sum.counts(m, z);
        long total = 0;
        for (int k = 0; k < whole.length; k++) {
            assertThat(whole[k]).isEqualTo(left[k] + right[k]);
            total += whole[k];
        }
        assertThat(total).isEqualTo(z - a);
    }

    @Test
    void totalsOfTheWholeDevice() {
        Map<PageClass, Long> t = sum.totals();
        // metadata: AG 0 0–23; AGs 1 and 3 0–15; AG 2 0–9 and the AGFL reserve 16,394–16,399
        assertThat(t.get(PageClass.METADATA)).isEqualTo(24 + 16 + 16 + 16);
        assertThat(t.get(PageClass.LOG)).isEqualTo(LOG_BLOCKS);
        assertThat(t.get(PageClass.SHARED)).isEqualTo(4);
        assertThat(t.get(PageClass.DATA)).isEqualTo(4);
        assertThat(t.get(PageClass.RESERVE)).isEqualTo(RESERVE_PAGES);
        long all = t.values().stream().mapToLong(Long::longValue).sum();
        assertThat(all).isEqualTo(w.device().endPfn() - w.device().firstPfn());
        assertThat(t.get(PageClass.FREE)).isEqualTo(all - 72 - LOG_BLOCKS - 8 - RESERVE_PAGES);
    }

    @Test
    void classifyCellsGivesMajoritySecondAndShare() {
        // 8 cells of 16 pages from AG 0 agbno 0: [0,16) metadata; [16,32) 8 metadata, 4 shared, 4 of c.bin or free
        int n = 8;
        byte[] major = new byte[n];
        byte[] second = new byte[n];
        float[] share = new float[n];
        sum.classifyCells(pfn(0, 0), 16, n, pfn(1, 0), major, second, share);
        assertThat(major[0]).isEqualTo((byte) M);
        assertThat(second[0]).isEqualTo((byte) -1);
        assertThat(share[0]).isEqualTo(1f);
        assertThat(major[1]).isEqualTo((byte) M);
        assertThat(share[1]).isEqualTo(0.5f);
        // the runner-up has 4 of the 16 pages by the model (shared 24–27 ties with whatever holds 28–31)
        long[] model = new long[PageClass.values().length];
        for (int agbno = 16; agbno < 32; agbno++) {
            model[modelClass(w, pfn(0, agbno)).ordinal()]++;
        }
        assertThat(model[M]).isEqualTo(8);
        assertThat(model[S]).isEqualTo(4);
        assertThat(second[1]).isNotEqualTo((byte) -1);
        assertThat(model[second[1]]).isEqualTo(4);
        // far from any file: pure free space
        sum.classifyCells(pfn(0, 1024), 64, n, pfn(1, 0), major, second, share);
        for (int i = 0; i < n; i++) {
            assertThat(major[i]).isEqualTo((byte) F);
            assertThat(second[i]).isEqualTo((byte) -1);
            assertThat(share[i]).isEqualTo(1f);
        }
        // cells past the limit are empty
        sum.classifyCells(pfn(0, AGBLOCKS - 20), 16, 4, pfn(1, 0), major, second, share);
        assertThat(major[0]).isEqualTo((byte) F);
        assertThat(share[0]).isEqualTo(1f);
        assertThat(major[1]).isEqualTo((byte) F); // a partial cell of 4 pages
        assertThat(major[2]).isEqualTo((byte) -1);
        assertThat(major[3]).isEqualTo((byte) -1);
    }

    @Test
    void classifyCellsAgreesWithCounts() {
        long[] ppcs = {1, 3, 7, 16, 100, 1000, 32128};
        for (long ppc : ppcs) {
            int n = 40;
            byte[] major = new byte[n];
            byte[] second = new byte[n];
            float[] share = new float[n];
            long from = pfn(2, 0) - 5 * ppc;
            long limit = w.device().endPfn();
            sum.classifyCells(from, ppc, n, limit, major, second, share);
            for (int i = 0; i < n; i++) {
                long a = from + i * ppc;
                long b = Math.min(a + ppc, limit);
                if (b <= a) {
                    assertThat(major[i]).isEqualTo((byte) -1);
                    continue;
                }
                long[] c = sum.counts(a, b);
                long max = 0;
                int nonzero = 0;
                for (long v : c) {
                    max = Math.max(max, v);
                    nonzero += v > 0 ? 1 : 0;
                }
                assertThat(c[major[i]]).as("ppc %d cell %d majority", ppc, i).isEqualTo(max);
                assertThat(share[i]).isEqualTo((float) max / (b - a));
                if (nonzero == 1) {
                    assertThat(second[i]).isEqualTo((byte) -1);
                } else {
                    long best2 = 0;
                    for (int k = 0; k < c.length; k++) {
                        if (k != major[i]) {
                            best2 = Math.max(best2, c[k]);
                        }
                    }
                    assertThat(second[i]).isNotEqualTo(major[i]);
                    assertThat(c[second[i]]).as("ppc %d cell %d runner-up", ppc, i).isEqualTo(best2).isPositive();
                }
            }
        }
    }

    /**
     * A 1 TiB namespace: the summary is built from rmap records, so it holds a handful of runs however many pages
     * there are, and cells of any size classify from them: the painter never visits pages one by one.
     */
    @Test
    void oneTebibyteDeviceSummarisesFromRunsNotPages() {
        long phys = 0x10000000000L;
        WorldEditor e = World.create(KernelProfile.DEFAULT, PmemDevice.fsdax("pmem0", Units.TiB, phys),
                FsOptions.defaults(), Sysctl.DEFAULTS, 1);
        e.createFile(WorldEditor.FileSpec.of("/data/a.bin", 32 * Units.KiB));
        e.reflink("/data/a.bin", "/data/b.bin");
        e.createFile(WorldEditor.FileSpec.of("/data/big.bin", 64 * Units.MiB).inAg(3));
        World big = e.build();
        DeviceSummary s = DeviceSummary.of(big);
        assertThat(s.runs()).isLessThan(64);
        var g = big.fs().geometry();
        long dataPfn = big.device().dataStartPfn();
        long agPages = g.agblocks();
        assertThat(s.bands()).hasSize(1 + 4);
        long total = s.bands().stream().mapToLong(Band::pages).sum();
        assertThat(total).isEqualTo(big.device().endPfn() - big.device().firstPfn());

        int n = 4;
        byte[] major = new byte[n];
        byte[] second = new byte[n];
        float[] share = new float[n];
        // cell [0,32) of AG 0: 24 metadata blocks (spec), 8 shared blocks of a.bin/b.bin (agbno 24–31)
        s.classifyCells(dataPfn, 32, n, big.device().endPfn(), major, second, share);
        assertThat(major[0]).isEqualTo((byte) M);
        assertThat(second[0]).isEqualTo((byte) S);
        assertThat(share[0]).isEqualTo(0.75f);
        assertThat(major[1]).isEqualTo((byte) F);
        // one cell per AG: all free but a little metadata, the log, and the 64 MiB file
        s.classifyCells(dataPfn, agPages, n, big.device().endPfn(), major, second, share);
        for (int agno = 0; agno < 4; agno++) {
            assertThat(major[agno]).as("AG %d", agno).isEqualTo((byte) F);
        }
        assertThat(second[0]).isEqualTo((byte) M); // 24 metadata blocks beat 8 shared
        assertThat(second[1]).isEqualTo((byte) M);
        assertThat(second[2]).isEqualTo((byte) L);
        assertThat(second[3]).isEqualTo((byte) D);
        long logBlocks = g.logBlocks();
        assertThat(logBlocks).isEqualTo(Units.GiB * 1024 / 2048 / Units.PAGE_SIZE); // 1/2048 of the fs (spec)
        assertThat(share[2]).isEqualTo((float) (agPages - logBlocks - 16) / agPages);
        // AG 3: the file's 16,384 blocks and the metadata the model put there (headers, roots, an inode chunk)
        long meta3 = big.fs().ag(3).rmap().records().stream().filter(r -> !r.isInodeOwner())
                .mapToLong(r -> r.blockcount()).sum();
        assertThat(meta3).isGreaterThanOrEqualTo(16);
        assertThat(share[3]).isEqualTo((float) (agPages - 16384 - meta3) / agPages);
        // the whole device in one cell: reserve pages count too
        s.classifyCells(big.device().firstPfn(), total, 1, big.device().endPfn(), major, second, share);
        assertThat(major[0]).isEqualTo((byte) F);
        long reserve = big.device().dataStartPfn() - big.device().firstPfn();
        assertThat(reserve).isGreaterThan(logBlocks);
        assertThat(second[0]).isEqualTo((byte) R);
        // the big file's pages, found from its extent map, are data
        long bigPfn = big.addressing().ofFile("/data/big.bin", 0).pfn();
        assertThat(s.classOfPage(bigPfn)).isEqualTo(PageClass.DATA);
        assertThat(s.counts(bigPfn, bigPfn + 16384)[D]).isEqualTo(16384);
        assertThat(big.addressing().ofPfn(bigPfn).agno()).isEqualTo(3);
    }

    @Test
    void externalLogDeviceHasItsOwnBands() {
        Session.State st = UiWorlds.lesson("log-external");
        World lw = st.initial();
        PmemDevice log = lw.logDevice().orElseThrow();
        DeviceSummary s = DeviceSummary.of(lw);
        List<Band> bands = s.bands();
        assertThat(bands).anyMatch(b -> b.label().contains("external log") && b.firstPfn() == log.dataStartPfn()
                && b.pages() == log.pages() && !b.compact());
        if (log.dataOffset() > 0) {
            assertThat(bands).anyMatch(b -> b.compact() && b.firstPfn() == log.firstPfn()
                    && b.endPfn() == log.dataStartPfn());
            assertThat(s.classOfPage(log.firstPfn())).isEqualTo(PageClass.RESERVE);
        }
        assertThat(s.classOfPage(log.dataStartPfn())).isEqualTo(PageClass.LOG);
        assertThat(s.classOfPage(log.endPfn() - 1)).isEqualTo(PageClass.LOG);
        assertThat(s.counts(log.dataStartPfn(), log.endPfn())[L]).isEqualTo(log.pages());
        // no internal log: no AG is labelled as holding it, and AG 2 has no log pages
        assertThat(bands).noneMatch(b -> b.agno() >= 0 && b.label().contains("log"));
        Band ag2 = bands.stream().filter(b -> b.agno() == 2).findFirst().orElseThrow();
        assertThat(s.counts(ag2.firstPfn(), ag2.endPfn())[L]).isZero();
    }

    @Test
    void realtimeDeviceShowsRealtimeFilesAsData() {
        Session.State st = UiWorlds.lesson("realtime");
        World rw = st.initial();
        PmemDevice rt = rw.rtDevice().orElseThrow();
        DeviceSummary s = DeviceSummary.of(rw);
        assertThat(s.bands()).anyMatch(b -> b.label().contains("realtime") && b.firstPfn() == rt.dataStartPfn()
                && b.pages() == rt.pages());
        long p0 = rw.addressing().ofFile("/rt/r.bin", 0).pfn();
        assertThat(rt.containsPfn(p0)).isTrue();
        for (int blk = 0; blk < 4; blk++) {
            assertThat(s.classOfPage(rw.addressing().ofFile("/rt/r.bin", blk * Units.PAGE_SIZE).pfn()))
                    .isEqualTo(PageClass.DATA);
        }
        long[] c = s.counts(rt.dataStartPfn(), rt.endPfn());
        assertThat(c[D]).isEqualTo(4);
        assertThat(c[F]).isEqualTo(rt.pages() - 4);
    }

    @Test
    void devdaxDeviceIsOneBandWithoutAgs() {
        World dw = UiWorlds.lesson("devdax").initial();
        DeviceSummary s = DeviceSummary.of(dw);
        assertThat(s.bands()).noneMatch(b -> b.agno() >= 0);
        assertThat(s.bands()).anyMatch(b -> !b.compact() && b.firstPfn() == dw.device().dataStartPfn()
                && b.pages() == dw.device().pages());
        long total = s.bands().stream().mapToLong(Band::pages).sum();
        assertThat(total).isEqualTo(dw.device().endPfn() - dw.device().firstPfn());
    }
}
