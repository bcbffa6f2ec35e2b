package dev.daxviz.engine;

import dev.daxviz.model.Extent;
import dev.daxviz.model.Geometry;
import dev.daxviz.model.Inode;
import dev.daxviz.model.KernelProfile;
import dev.daxviz.model.ModelException;
import dev.daxviz.model.Process;
import dev.daxviz.model.Units;
import dev.daxviz.model.Vma;
import dev.daxviz.model.World;
import dev.daxviz.model.WorldEditor;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Laws of the engine (issue 4), over random worlds of reflinked files and mapping processes. */
class EngineProperties {

    /** A random world recipe: seed and profile; the seed drives every choice so failures shrink to a seed. */
    record Recipe(long seed, KernelProfile profile) {
    }

    @Provide
    Arbitrary<Recipe> recipes() {
        return Combinators.combine(Arbitraries.longs(), Arbitraries.of(KernelProfile.V6_1, KernelProfile.V6_12))
                .as(Recipe::new);
    }

    static World build(Recipe r) {
        Random rnd = new Random(r.seed());
        WorldEditor e = Fixture.fresh(r.profile());
        int files = 1 + rnd.nextInt(4);
        List<String> paths = new ArrayList<>();
        for (int f = 0; f < files; f++) {
            String p = "/f" + f;
            if (f > 0 && rnd.nextInt(3) > 0) {
                String src = paths.get(rnd.nextInt(paths.size()));
                if (rnd.nextBoolean()) {
                    e.reflink(src, p);
                } else {
                    Fixture.file(e, p, 8 * Fixture.KiB4);
                    e.reflinkRange(src, 0, Math.min(4, e.inode(src).blocks()) * Fixture.KiB4, p, Fixture.KiB4);
                }
            } else {
                Fixture.file(e, p, (1 + rnd.nextInt(8)) * Fixture.KiB4);
            }
            paths.add(p);
        }
        if (rnd.nextInt(4) == 0) {
            String p = paths.get(rnd.nextInt(paths.size()));
            e.write(p, 0, Fixture.KiB4);
        }
        int procs = 1 + rnd.nextInt(5);
        for (int pid = 100; pid < 100 + procs; pid++) {
            Process.EarlyKill ek = Process.EarlyKill.values()[rnd.nextInt(3)];
            e.addProcess(pid, "p" + pid, ek, rnd.nextInt(4) == 0 ? Process.OnSigbus.HANDLE : Process.OnSigbus.DIE);
            int maps = 1 + rnd.nextInt(2);
            for (int m = 0; m < maps; m++) {
                String p = paths.get(rnd.nextInt(paths.size()));
                long size = Units.alignUp(e.inode(p).size(), Units.PAGE_SIZE);
                e.map(pid, p, 0, size, false, null);
                long pages = size / Units.PAGE_SIZE;
                for (long i = 0; i < pages; i++) {
                    if (rnd.nextBoolean()) {
                        e.touch(pid, p, i * Units.PAGE_SIZE, Units.PAGE_SIZE, rnd.nextInt(8) == 0);
                    }
                }
            }
        }
        return e.build().check();
    }

    /** A data block of some file, chosen by the seed. */
    static long someDataPfn(World w, long seed) {
        Random rnd = new Random(seed ^ 0x5eed);
        List<Inode> inodes = new ArrayList<>(w.fs().inodes().values());
        Inode i = inodes.get(rnd.nextInt(inodes.size()));
        Extent e = i.dataExtents().get(rnd.nextInt(i.dataExtents().size()));
        return w.device().pfnOfOffset((e.startblock() + rnd.nextInt((int) e.blockcount())) * Units.PAGE_SIZE);
    }

    @Property(tries = 1000)
    void theEngineNeverMutatesItsInputAndIsDeterministic(@ForAll("recipes") Recipe r) {
        World w;
        try {
            w = build(r);
        } catch (ModelException ex) {
            return;
        }
        World copy = build(r);
        long pfn = someDataPfn(w, r.seed());
        Result a = Engine.run(w, FailureEvent.Poison.mce(pfn));
        Result b = Engine.run(w, FailureEvent.Poison.mce(pfn));
        assertThat(w).isEqualTo(copy);
        assertThat(a.outcome()).isEqualTo(b.outcome());
        assertThat(a.trace()).isEqualTo(b.trace());
        a.worldAfter().check();
    }

    /**
     * kernel-semantics.md §6–9 as an independent oracle: owners in rmap key order (the start block of the extent
     * holding the block, then inode number — so ascending inode order for records that start together); for each, processes in task order
     * whose task is collected (early kill), each VMA of that owner covering the index with a page-table entry; a
     * process that dies of SIGBUS is signalled once; a file index without a DAX entry signals nobody.
     */
    @Property(tries = 1000)
    void signalledPidsAreThoseTheRulesSelect(@ForAll("recipes") Recipe r) {
        World w;
        try {
            w = build(r);
        } catch (ModelException ex) {
            return;
        }
        long pfn = someDataPfn(w, r.seed());
        Result res = Engine.run(w, FailureEvent.Poison.mce(pfn));
        assertThat(res.outcome().signals()).extracting(Outcome.Signal::pid).containsExactlyElementsOf(expectedPids(w, pfn));
        assertThat(res.outcome().signals()).allMatch(s -> s.code().equals("BUS_MCEERR_AO") && s.addrLsb() == 12);
    }

    private static List<Integer> expectedPids(World w, long pfn) {
        long fsblock = w.device().offsetOfPfn(pfn) / Units.PAGE_SIZE;
        List<Integer> out = new ArrayList<>();
        Set<Integer> dead = new LinkedHashSet<>();
        record Owner(Inode i, Extent e) {
        }
        List<Owner> owners = new ArrayList<>();
        for (Inode i : w.fs().inodes().values()) {
            for (Extent e : i.dataExtents()) {
                if (fsblock >= e.startblock() && fsblock < e.startblock() + e.blockcount()) {
                    owners.add(new Owner(i, e));
                }
            }
        }
        owners.sort(java.util.Comparator.<Owner>comparingLong(o -> o.e().startblock()).thenComparingLong(o -> o.i().ino())
                .thenComparingLong(o -> o.e().startoff()));
        for (Owner o : owners) {
            Inode i = o.i();
            Extent e = o.e();
            {
                long index = e.startoff() + fsblock - e.startblock();
                if (w.daxEntry(i.ino(), index) == null || w.daxEntry(i.ino(), index).zero()) {
                    continue;
                }
                for (Process p : w.processes()) {
                    boolean early = p.earlyKill() == Process.EarlyKill.EARLY
                            || (p.earlyKill() == Process.EarlyKill.DEFAULT && w.sysctl().memoryFailureEarlyKill() == 1);
                    if (!early || dead.contains(p.pid())) {
                        continue;
                    }
                    boolean mapped = false;
                    for (Vma v : p.vmas()) {
                        mapped |= v.ino() == i.ino() && v.covers(index) && v.isPresent(index);
                    }
                    if (mapped) {
                        out.add(p.pid());
                    }
                }
                for (Process p : w.processes()) {
                    if (out.contains(p.pid()) && p.onSigbus() == Process.OnSigbus.DIE) {
                        dead.add(p.pid());
                    }
                }
            }
        }
        return out;
    }

    @Property(tries = 1000)
    void metadataAlwaysShutsDownAndNeverSignals(@ForAll("recipes") Recipe r,
                                                 @ForAll("metadataBlocks") int agbno) {
        World w;
        try {
            w = build(r);
        } catch (ModelException ex) {
            return;
        }
        int agno = (int) Math.floorMod(r.seed(), (long) w.fs().geometry().agcount());
        Result res = Engine.run(w, FailureEvent.Poison.mce(w.addressing().ofAg(agno, agbno).pfn()));
        assertThat(res.outcome().signals()).isEmpty();
        assertThat(res.outcome().shutdown()).isNotNull();
        assertThat(res.outcome().returnCode()).isEqualTo(-117);
        assertThat(res.worldAfter().fs().isShutdown()).isTrue();
    }

    @Provide
    Arbitrary<Integer> metadataBlocks() {
        return Arbitraries.integers().between(0, Geometry.AGFL_RESERVE - 1);
    }

    @Property(tries = 1000)
    void aPfnOutsideTheDeviceNeverReachesTheFilesystem(@ForAll("recipes") Recipe r,
                                                        @ForAll("outside") long pfn) {
        World w;
        try {
            w = build(r);
        } catch (ModelException ex) {
            return;
        }
        Result res = Engine.run(w, FailureEvent.Poison.mce(pfn));
        assertThat(res.outcome().path()).doesNotContain("xfs_dax_notify_failure", "dax_holder_notify_failure");
        assertThat(res.outcome().returnCode()).isEqualTo(-6);
        assertThat(res.worldAfter()).isEqualTo(w);
    }

    @Provide
    Arbitrary<Long> outside() {
        long first = Fixture.PHYS >>> Units.PAGE_SHIFT;
        long end = first + (256 * Units.MiB + dev.daxviz.model.PmemDevice.defaultReserve(256 * Units.MiB)) / Units.PAGE_SIZE;
        return Arbitraries.oneOf(Arbitraries.longs().between(0, first - 1), Arbitraries.longs().between(end, end << 4));
    }
}
