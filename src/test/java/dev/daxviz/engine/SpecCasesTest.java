package dev.daxviz.engine;

import dev.daxviz.model.FsOptions;
import dev.daxviz.model.Geometry;
import dev.daxviz.model.KernelProfile;
import dev.daxviz.model.MountRules;
import dev.daxviz.model.PmemDevice;
import dev.daxviz.model.Process;
import dev.daxviz.model.Sysctl;
import dev.daxviz.model.Units;
import dev.daxviz.model.World;
import dev.daxviz.model.WorldEditor;
import dev.daxviz.model.Xfs;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static dev.daxviz.engine.Fixture.KiB4;
import static dev.daxviz.engine.Fixture.file;
import static dev.daxviz.engine.Fixture.mapper;
import static dev.daxviz.engine.Fixture.mce;
import static dev.daxviz.engine.Fixture.pfnOf;
import static dev.daxviz.engine.Fixture.pids;
import static dev.daxviz.model.Process.EarlyKill.DEFAULT;
import static dev.daxviz.model.Process.EarlyKill.EARLY;
import static dev.daxviz.model.Process.EarlyKill.LATE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every case of kernel-semantics.md §14, with the expected values the spec gives (the case number is in each test's
 * name), for each profile where the case differs.
 */
class SpecCasesTest {
    static final KernelProfile V61 = KernelProfile.V6_1;
    static final KernelProfile V612 = KernelProfile.V6_12;
    static final long BASE = WorldEditor.MMAP_BASE;

    private static World twoMappers(KernelProfile p, Process.EarlyKill a, Process.EarlyKill b, int sysctlEarly) {
        WorldEditor e = Fixture.fresh(p, FsOptions.defaults(), new Sysctl(sysctlEarly, 1));
        file(e, "/a", 16 * Units.KiB);
        mapper(e, 101, "one", a, "/a", true);
        mapper(e, 102, "two", b, "/a", true);
        return e.build().check();
    }

    @Test
    void case01_defaultMappersAsyncPoisonSignalsNobody() {
        World w = twoMappers(V61, DEFAULT, DEFAULT, 0);
        Result r = mce(w, "/a", KiB4);
        assertThat(r.outcome().signals()).isEmpty();
        assertThat(r.outcome().page().hwpoison()).isTrue();
        assertThat(r.outcome().result()).isEqualTo("Recovered");
        assertThat(r.outcome().returnCode()).isZero();
        r.worldAfter().check();
    }

    @Test
    void case02_prctlEarlyMapperGetsAO() {
        World w = twoMappers(V61, EARLY, DEFAULT, 0);
        Result r = mce(w, "/a", KiB4);
        assertThat(r.outcome().signals()).containsExactly(
                new Outcome.Signal(101, "one", "SIGBUS", "BUS_MCEERR_AO", BASE + KiB4, 12, "/a"));
    }

    @Test
    void case03_sysctlEarlyKillSignalsBoth() {
        Result r = mce(twoMappers(V61, DEFAULT, DEFAULT, 1), "/a", KiB4);
        assertThat(pids(r)).containsExactly(101, 102);
        assertThat(Fixture.codes(r)).containsOnly("BUS_MCEERR_AO");
    }

    @Test
    void case04_prctlLateOverridesSysctl() {
        Result r = mce(twoMappers(V61, LATE, DEFAULT, 1), "/a", KiB4);
        assertThat(pids(r)).containsExactly(102);
    }

    @Test
    void case05_madviseInjectorIsCurrentAndGetsAR() {
        World w = twoMappers(V61, DEFAULT, DEFAULT, 0);
        Result r = Fixture.poison(w, pfnOf(w, "/a", KiB4), FailureEvent.Source.MADVISE, 101);
        assertThat(r.outcome().signals()).containsExactly(
                new Outcome.Signal(101, "one", "SIGBUS", "BUS_MCEERR_AR", BASE + KiB4, 12, "/a"));
        assertThat(r.outcome().log().get(0)).isEqualTo("Injecting memory failure for pfn "
                + Units.hex(pfnOf(w, "/a", KiB4)) + " at process virtual address " + Units.hex(BASE + KiB4));
    }

    /** a, b = clone(a), c = clone(a) with one early mapper each (p1, p2, p3). */
    private static WorldEditor threeClones(KernelProfile p, boolean touchC) {
        WorldEditor e = Fixture.fresh(p);
        file(e, "/a", 16 * Units.KiB);
        e.reflink("/a", "/b");
        e.reflink("/a", "/c");
        mapper(e, 1, "p1", EARLY, "/a", true);
        mapper(e, 2, "p2", EARLY, "/b", true);
        mapper(e, 3, "p3", EARLY, "/c", touchC);
        return e;
    }

    @ParameterizedTest
    @ValueSource(strings = {"6.1", "6.12"})
    void case06_threeClonesAllEarlyMappersInInodeOrder(String id) {
        KernelProfile p = KernelProfile.byId(id).orElseThrow();
        WorldEditor e = threeClones(p, true);
        List<String> setupLog = e.log();
        World w = e.build().check();
        Result r = mce(w, "/a", KiB4);
        assertThat(pids(r)).containsExactly(1, 2, 3);
        assertThat(Fixture.codes(r)).containsOnly("BUS_MCEERR_AO");
        assertThat(r.outcome().owners()).extracting(Outcome.Owner::path).containsExactly("/a", "/b", "/c");
        long warnings = setupLog.stream().filter(l -> l.startsWith("WARNING:") && l.contains("dax_insert_entry")).count();
        // 6.1: the read fault of the shared block through b (and c) finds page->mapping set: WARN_ON_ONCE in
        // dax_associate_entry; WARN_ON_ONCE prints once per boot (fs/dax.c). 6.12 marks the page shared instead.
        assertThat(warnings).isEqualTo(id.equals("6.1") ? 1 : 0);
        r.worldAfter().check();
    }

    @Test
    void case07_mappedButNeverTouchedCloneIsNotSignalled() {
        World w = threeClones(V61, false).build().check();
        assertThat(pids(mce(w, "/a", KiB4))).containsExactly(1, 2);
    }

    @Test
    void case08_cowRewriteBeforeMappingTakesBOut() {
        WorldEditor e = Fixture.fresh(V61);
        file(e, "/a", 16 * Units.KiB);
        e.reflink("/a", "/b");
        e.reflink("/a", "/c");
        e.write("/b", 0, 16 * Units.KiB);
        mapper(e, 1, "p1", EARLY, "/a", true);
        mapper(e, 2, "p2", EARLY, "/b", true);
        mapper(e, 3, "p3", EARLY, "/c", true);
        World w = e.build().check();
        assertThat(pids(mce(w, "/a", KiB4))).containsExactly(1, 3);
    }

    @Test
    void case09_cloneRangeGivesEachOwnerItsOwnOffset() {
        WorldEditor e = Fixture.fresh(V61);
        file(e, "/a", 16 * Units.KiB);
        file(e, "/c", 16 * Units.KiB);
        e.reflinkRange("/a", 0, 8 * Units.KiB, "/c", KiB4);
        mapper(e, 1, "pa", EARLY, "/a", true);
        mapper(e, 3, "pc", EARLY, "/c", true);
        World w = e.build().check();
        Result r = mce(w, "/a", KiB4);
        assertThat(r.outcome().signals()).extracting(Outcome.Signal::pid, Outcome.Signal::addr)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, BASE + KiB4),
                        org.assertj.core.groups.Tuple.tuple(3, BASE + 8 * Units.KiB));
    }

    @Test
    void case10_freeBlockFindsNobody() {
        World w = twoMappers(V61, EARLY, EARLY, 0);
        long pfn = w.addressing().ofAg(1, 1000).pfn();
        Result r = Fixture.poison(w, pfn, FailureEvent.Source.MCE, null);
        assertThat(r.outcome().signals()).isEmpty();
        assertThat(r.outcome().result()).isEqualTo("Recovered");
        assertThat(r.outcome().returnCode()).isZero();
        assertThat(r.outcome().owners()).extracting(Outcome.Owner::type).containsExactly("null");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, Geometry.BNOBT_ROOT, Geometry.CNTBT_ROOT, Geometry.INOBT_ROOT,
        Geometry.FINOBT_ROOT, Geometry.RMAPBT_ROOT, Geometry.REFCOUNTBT_ROOT, 16, 20})
    void case11_metadataShutsDownAndSignalsNoOne(int agbno) {
        World w = twoMappers(V61, EARLY, EARLY, 0);
        Result r = Fixture.poison(w, w.addressing().ofAg(0, agbno).pfn(), FailureEvent.Source.MCE, null);
        assertShutdown61(r);
    }

    @Test
    void case11_internalLogShutsDown() {
        World w = twoMappers(V612, EARLY, EARLY, 0);
        Result r = Fixture.poison(w, w.addressing().ofLogStart().pfn(), FailureEvent.Source.MCE, null);
        assertThat(r.outcome().signals()).isEmpty();
        assertThat(r.outcome().returnCode()).isEqualTo(-117);
        assertThat(r.outcome().owners()).extracting(Outcome.Owner::type).containsExactly("log");
        assertThat(r.outcome().log()).contains("XFS (pmem0): Corruption of on-disk metadata (0x10) detected at "
                + "xfs_dax_notify_ddev_failure (fs/xfs/xfs_notify_failure.c:318).  Shutting down filesystem.");
    }

    static void assertShutdown61(Result r) {
        assertThat(r.outcome().signals()).isEmpty();
        assertThat(r.outcome().result()).isEqualTo("Failed");
        assertThat(r.outcome().returnCode()).isEqualTo(-117);
        assertThat(r.outcome().shutdown().reason()).isEqualTo("SHUTDOWN_CORRUPT_ONDISK");
        assertThat(r.outcome().log()).containsSubsequence(
                "XFS (pmem0): Corruption of on-disk metadata (0x10) detected at xfs_dax_notify_failure "
                        + "(fs/xfs/xfs_notify_failure.c:169).  Shutting down filesystem.",
                "XFS (pmem0): Please unmount the filesystem and rectify the problem(s)");
        assertThat(r.worldAfter().fs().state()).isEqualTo(Xfs.FsState.SHUTDOWN);
    }

    @Test
    void case12_attrForkAndBmbtBlocksShutDown() {
        WorldEditor e = Fixture.fresh(V61);
        e.createFile(WorldEditor.FileSpec.of("/x", KiB4).withXattrBlocks(1));
        e.createFile(WorldEditor.FileSpec.of("/frag", 240 * Units.KiB).fragmented(60));
        mapper(e, 1, "p", EARLY, "/x", true);
        World w = e.build().check();
        long attr = w.device().pfnOfOffset(w.fs().byPath("/x").attrExtents().get(0).startblock() * Units.PAGE_SIZE);
        long bmbt = w.device().pfnOfOffset(w.fs().byPath("/frag").bmbtBlocks().get(0) * Units.PAGE_SIZE);
        assertShutdown61(Fixture.poison(w, attr, FailureEvent.Source.MCE, null));
        assertShutdown61(Fixture.poison(w, bmbt, FailureEvent.Source.MCE, null));
    }

    @Test
    void case13_neverFaultedPageIsNotPoisoned() {
        WorldEditor e = Fixture.fresh(V61);
        file(e, "/a", 16 * Units.KiB);
        mapper(e, 1, "p", EARLY, "/a", false);
        World w = e.build();
        Result r = mce(w, "/a", KiB4);
        assertThat(r.outcome().signals()).isEmpty();
        assertThat(r.outcome().result()).isEqualTo("Recovered");
        assertThat(r.outcome().page().hwpoison()).isFalse();
    }

    @Test
    void case14_pmdMappingSignalsWithLsb21AndLogsHeadPfn() {
        WorldEditor e = Fixture.fresh(V61);
        e.createFile(WorldEditor.FileSpec.of("/big", 4 * Units.MiB).aligned(2 * Units.MiB));
        e.addProcess(1, "huge", EARLY, Process.OnSigbus.DIE);
        e.map(1, "/big", 0, 4 * Units.MiB, true, null);
        e.touch(1, "/big", 0, 4 * Units.MiB, false);
        World w = e.build().check();
        long head = pfnOf(w, "/big", 0);
        assertThat(head % 512).isZero();
        Result r = Fixture.poison(w, head + 5, FailureEvent.Source.MCE, null);
        assertThat(r.outcome().signals()).containsExactly(
                new Outcome.Signal(1, "huge", "SIGBUS", "BUS_MCEERR_AO", BASE + 5 * KiB4, 21, "/big"));
        assertThat(r.outcome().log()).contains("Memory failure: " + Units.hex(head)
                + ": Sending SIGBUS to huge:1 due to hardware memory corruption");
        assertThat(r.outcome().page().pfn()).isEqualTo(head);
    }

    @Test
    void case15_noRmapbtTakesGenericPath() {
        WorldEditor e = Fixture.fresh(V61, FsOptions.defaults().withRmapbt(false), Sysctl.DEFAULTS);
        file(e, "/a", 16 * Units.KiB);
        mapper(e, 1, "early", EARLY, "/a", true);
        mapper(e, 2, "dflt", DEFAULT, "/a", true);
        Result r = mce(e.build(), "/a", KiB4);
        assertThat(r.outcome().path()).contains("mf_generic_kill_procs").doesNotContain("xfs_rmap_query_range");
        assertThat(pids(r)).containsExactly(1);
        assertThat(Fixture.codes(r)).containsExactly("BUS_MCEERR_AO");
    }

    private static World reflinkNoRmap(KernelProfile p) {
        WorldEditor e = Fixture.fresh(p, FsOptions.defaults().withRmapbt(false), Sysctl.DEFAULTS);
        file(e, "/a", 16 * Units.KiB);
        e.reflink("/a", "/b");
        mapper(e, 1, "pa", EARLY, "/a", true);
        mapper(e, 2, "pb", EARLY, "/b", true);
        return e.build().check();
    }

    @Test
    void case16_reflinkWithoutRmapbt61ReachesOnlyLastFaulter() {
        Result r = mce(reflinkNoRmap(V61), "/a", KiB4);
        assertThat(pids(r)).containsExactly(2);
        assertThat(r.outcome().oops()).isNull();
    }

    @Test
    void case16_reflinkWithoutRmapbt612Oopses() {
        Result r = mce(reflinkNoRmap(V612), "/a", KiB4);
        assertThat(r.outcome().oops()).isEqualTo(new Outcome.Oops("dax_lock_folio",
                "BUG: kernel NULL pointer dereference, address: 0000000000000001"));
        assertThat(r.outcome().signals()).isEmpty();
        assertThat(r.outcome().result()).isNull();
    }

    @Test
    void case17_reservePfnFails() {
        World w = twoMappers(V61, EARLY, EARLY, 0);
        Result r = Fixture.poison(w, w.device().firstPfn() + 3, FailureEvent.Source.MCE, null);
        assertThat(r.outcome().result()).isEqualTo("Failed");
        assertThat(r.outcome().returnCode()).isEqualTo(-6);
        assertThat(r.outcome().path()).doesNotContain("pmem_pgmap_memory_failure");
    }

    @Test
    void case18_alreadyShutDown() {
        WorldEditor e = Fixture.fresh(V61);
        file(e, "/a", 16 * Units.KiB);
        mapper(e, 1, "p", EARLY, "/a", true);
        e.setFsState(Xfs.FsState.SHUTDOWN, "SHUTDOWN_CORRUPT_ONDISK");
        Result r = mce(e.build(), "/a", KiB4);
        assertThat(r.outcome().result()).isEqualTo("Failed");
        assertThat(r.outcome().returnCode()).isEqualTo(-5);
        assertThat(r.outcome().signals()).isEmpty();
        assertThat(r.outcome().shutdown()).isNull();
        assertThat(r.outcome().page().hwpoison()).isFalse();
        assertThat(r.outcome().log()).containsExactly("Memory failure: " + Units.hex(pfnOf(e.build(), "/a", KiB4))
                + ": recovery action for dax page: Failed");
    }

    @Test
    void case19_madviseOnSharedPageFollowsRmapOwnerOrder() {
        WorldEditor e = Fixture.fresh(V61);
        file(e, "/a", 16 * Units.KiB);
        e.reflink("/a", "/b");
        mapper(e, 1, "other", EARLY, "/a", true);
        mapper(e, 2, "inject", DEFAULT, "/b", true);
        World w = e.build();
        Result r = Fixture.poison(w, pfnOf(w, "/a", KiB4), FailureEvent.Source.MADVISE, 2);
        // a (lower inode) first: the other mapper AO, then the injector AR
        assertThat(r.outcome().signals()).extracting(Outcome.Signal::pid, Outcome.Signal::code).containsExactly(
                org.assertj.core.groups.Tuple.tuple(1, "BUS_MCEERR_AO"),
                org.assertj.core.groups.Tuple.tuple(2, "BUS_MCEERR_AR"));
    }

    @Test
    void case20_externalLogDevice() {
        PmemDevice log = PmemDevice.fsdax("pmem1", 128 * Units.MiB, 0x200000000L);
        WorldEditor e = Fixture.fresh(V61, FsOptions.defaults().withLogDevice(log), Sysctl.DEFAULTS);
        World w = e.build();
        Result r = Fixture.poison(w, w.addressing().ofLogStart().pfn(), FailureEvent.Source.MCE, null);
        assertThat(r.outcome().log()).contains("XFS (pmem0): ondisk log corrupt, shutting down fs!",
                "XFS (pmem0): Corruption of on-disk metadata (0x10) detected at xfs_dax_notify_failure "
                        + "(fs/xfs/xfs_notify_failure.c:201).  Shutting down filesystem.");
        assertThat(r.outcome().returnCode()).isEqualTo(-117);
        assertThat(r.outcome().result()).isEqualTo("Failed");
    }

    @Test
    void case21_realtimeFileTakesGenericPath() {
        PmemDevice rt = PmemDevice.fsdax("pmem2", 128 * Units.MiB, 0x200000000L);
        FsOptions o = FsOptions.defaults().withReflink(false).withRmapbt(false).withRtDevice(rt);
        assertThat(MountRules.refusal(V61, "pmem0", o)).isEmpty();
        WorldEditor e = Fixture.fresh(V61, o, Sysctl.DEFAULTS);
        e.createFile(WorldEditor.FileSpec.of("/r", 16 * Units.KiB).realtime());
        mapper(e, 1, "rt", EARLY, "/r", true);
        World w = e.build().check();
        Result r = mce(w, "/r", KiB4);
        assertThat(r.outcome().path()).contains("mf_generic_kill_procs");
        assertThat(pids(r)).containsExactly(1);
        assertThat(w.addressing().ofFile("/r", 0).device().name()).isEqualTo("pmem2");
    }

    @Test
    void case22_v517ConsumerGetsARInline() {
        WorldEditor e = Fixture.fresh(KernelProfile.V5_17, FsOptions.defaults().withReflink(false), Sysctl.DEFAULTS);
        file(e, "/a", 16 * Units.KiB);
        mapper(e, 1, "reader", DEFAULT, "/a", true);
        World w = e.build();
        Result r = Fixture.poison(w, pfnOf(w, "/a", KiB4), FailureEvent.Source.CONSUME, 1);
        assertThat(r.outcome().signals()).containsExactly(
                new Outcome.Signal(1, "reader", "SIGBUS", "BUS_MCEERR_AR", BASE + KiB4, 12, "/a"));
        assertThat(r.outcome().path()).containsExactly("memory_failure", "memory_failure_dev_pagemap", "kill_procs");
    }

    @Test
    void case23_v517MetadataIsNeverToldToTheFs() {
        WorldEditor e = Fixture.fresh(KernelProfile.V5_17, FsOptions.defaults().withReflink(false), Sysctl.DEFAULTS);
        World w = e.build();
        Result r = Fixture.poison(w, w.addressing().ofAg(0, Geometry.RMAPBT_ROOT).pfn(), FailureEvent.Source.MCE, null);
        assertThat(r.outcome().returnCode()).isEqualTo(-16);
        assertThat(r.outcome().result()).isEqualTo("Failed");
        assertThat(r.outcome().shutdown()).isNull();
    }

    @Test
    void case24_v517RefusesDaxWithReflink() {
        assertThat(MountRules.refusal(KernelProfile.V5_17, "pmem0", FsOptions.defaults()))
                .contains("XFS (pmem0): DAX and reflink cannot be used together!");
        assertThat(MountRules.refusal(V61, "pmem0", FsOptions.defaults())).isEmpty();
    }

    private static World removalWorld(KernelProfile p) {
        WorldEditor e = Fixture.fresh(p);
        file(e, "/a", 16 * Units.KiB);
        file(e, "/b", 16 * Units.KiB);
        file(e, "/c", 16 * Units.KiB);
        mapper(e, 1, "dflt", DEFAULT, "/a", true);
        mapper(e, 2, "early", EARLY, "/b", true);
        mapper(e, 3, "untouched", EARLY, "/c", false);
        return e.build().check();
    }

    @Test
    void case25_removalOn612SignalsEveryTouchedMapperOnce() {
        World w = removalWorld(V612);
        Result r = Engine.run(w, new FailureEvent.Remove());
        assertThat(pids(r)).containsExactly(1, 2);
        assertThat(Fixture.codes(r)).containsOnly("BUS_MCEERR_AO");
        assertThat(r.worldAfter().pages().values()).noneMatch(s -> s.hwpoison());
        assertThat(r.outcome().shutdown().reason()).isEqualTo("SHUTDOWN_FORCE_UMOUNT");
        assertThat(r.outcome().result()).isNull();
        assertThat(r.outcome().path().get(0)).isEqualTo("kill_dax");
        assertThat(r.outcome().log()).contains("XFS (pmem0): Device is about to be removed!",
                "XFS (pmem0): User initiated shutdown received.");
        r.worldAfter().check();
    }

    @Test
    void case25_removalOn61IsHandledAsPoison() {
        Result r = Engine.run(removalWorld(V61), new FailureEvent.Remove());
        assertThat(pids(r)).containsExactly(2);
        assertThat(r.outcome().shutdown().reason()).isEqualTo("SHUTDOWN_CORRUPT_ONDISK");
        assertThat(r.outcome().log()).anyMatch(l -> l.contains("fs/dax.c:404 dax_disassociate_entry"));
    }

    @Test
    void case26_lateMapperConsumingLaterGetsAR() {
        World w = twoMappers(V61, DEFAULT, DEFAULT, 0);
        Result first = mce(w, "/a", KiB4);
        assertThat(first.outcome().signals()).isEmpty();
        Result second = Fixture.poison(first.worldAfter(), pfnOf(w, "/a", KiB4), FailureEvent.Source.CONSUME, 102);
        assertThat(second.outcome().signals()).containsExactly(
                new Outcome.Signal(102, "two", "SIGBUS", "BUS_MCEERR_AR", BASE + KiB4, 12, "/a"));
    }

    @Test
    void case27_devdaxEarlyMapperGetsHeadAddress() {
        PmemDevice d = new PmemDevice("dax0.0", 64 * Units.MiB, Fixture.PHYS, 2 * Units.MiB, dev.daxviz.model.DeviceMode.DEVDAX);
        WorldEditor e = World.create(V61, d, null, Sysctl.DEFAULTS, 0);
        e.addProcess(1, "vm", EARLY, Process.OnSigbus.DIE);
        e.map(1, "/dev/dax0.0", 0, 2 * Units.MiB, true, null);
        e.touch(1, "/dev/dax0.0", 0, 2 * Units.MiB, false);
        World w = e.build().check();
        Result r = Fixture.poison(w, d.dataStartPfn() + 5, FailureEvent.Source.MCE, null);
        assertThat(r.outcome().signals()).containsExactly(
                new Outcome.Signal(1, "vm", "SIGBUS", "BUS_MCEERR_AO", BASE, 21, "/dev/dax0.0"));
        assertThat(r.outcome().result()).isEqualTo("Recovered");
        assertThat(r.outcome().log()).contains("Memory failure: " + Units.hex(d.dataStartPfn() + 5)
                + ": Sending SIGBUS to vm:1 due to hardware memory corruption");
    }

    @ParameterizedTest
    @ValueSource(strings = {"6.1", "6.12"})
    void case28_laterReaderThroughSameFileHidesEarlierMapperOn612(String id) {
        WorldEditor e = threeClones(KernelProfile.byId(id).orElseThrow(), true);
        mapper(e, 4, "reader", DEFAULT, "/b", false);
        e.touch(4, "/b", KiB4, KiB4, false);
        World w = e.build().check();
        Result r = mce(w, "/a", KiB4);
        assertThat(pids(r)).containsExactly(id.equals("6.1") ? new Integer[] {1, 2, 3} : new Integer[] {1, 3});
    }

    private static World remounted(KernelProfile p) {
        WorldEditor e = Fixture.fresh(p, FsOptions.defaults().withMountedAfterSetup(true), Sysctl.DEFAULTS);
        file(e, "/a", 16 * Units.KiB);
        e.reflink("/a", "/b");
        e.remount();
        mapper(e, 1, "p1", EARLY, "/a", true);
        return e.build().check();
    }

    @Test
    void case29_reflinkedFileReadFromDiskIsNotDaxOn61() {
        Result r = mce(remounted(V61), "/a", KiB4);
        assertThat(r.outcome().returnCode()).isEqualTo(-16);
        assertThat(r.outcome().result()).isEqualTo("Failed");
        assertThat(r.outcome().shutdown().reason()).isEqualTo("SHUTDOWN_CORRUPT_ONDISK");
        assertThat(r.outcome().signals()).isEmpty();
    }

    @Test
    void case29_reflinkedFileStaysDaxOn612() {
        Result r = mce(remounted(V612), "/a", KiB4);
        assertThat(pids(r)).containsExactly(1);
        assertThat(r.outcome().result()).isEqualTo("Recovered");
    }

    private static World cowAfterMap(KernelProfile p) {
        WorldEditor e = Fixture.fresh(p);
        file(e, "/a", 16 * Units.KiB);
        e.reflink("/a", "/b");
        mapper(e, 1, "pa", EARLY, "/a", true);
        mapper(e, 2, "pb", EARLY, "/b", true);
        e.write("/b", KiB4, KiB4);
        return e.build().check();
    }

    @Test
    void case30_staleEntryOn61SignalsBsMapperWithOldPfn() {
        World w = cowAfterMap(V61);
        long oldPfn = pfnOf(w, "/a", KiB4);
        long newPfn = pfnOf(w, "/b", KiB4);
        assertThat(newPfn).isNotEqualTo(oldPfn);
        Result r = Fixture.poison(w, newPfn, FailureEvent.Source.MCE, null);
        assertThat(pids(r)).containsExactly(2);
        assertThat(r.outcome().log()).contains("Memory failure: " + Units.hex(oldPfn)
                + ": Sending SIGBUS to pb:2 due to hardware memory corruption",
                "Memory failure: " + Units.hex(newPfn) + ": recovery action for dax page: Recovered");
        assertThat(r.worldAfter().page(oldPfn).hwpoison()).isTrue();
    }

    @Test
    void case30_invalidatedEntryOn612SignalsNobody() {
        World w = cowAfterMap(V612);
        Result r = Fixture.poison(w, pfnOf(w, "/b", KiB4), FailureEvent.Source.MCE, null);
        assertThat(r.outcome().signals()).isEmpty();
        assertThat(r.worldAfter().pages().values()).noneMatch(s -> s.hwpoison());
    }

    @ParameterizedTest
    @ValueSource(strings = {"DIE", "HANDLE"})
    void case31_oneProcessMappingTwoOwners(String on) {
        WorldEditor e = Fixture.fresh(V61);
        file(e, "/a", 16 * Units.KiB);
        e.reflink("/a", "/b");
        mapper(e, 1, "both", EARLY, Process.OnSigbus.valueOf(on), "/a", true);
        mapper(e, 1, "both", EARLY, Process.OnSigbus.valueOf(on), "/b", true);
        Result r = mce(e.build(), "/a", KiB4);
        assertThat(r.outcome().signals()).extracting(Outcome.Signal::cause)
                .containsExactly(on.equals("DIE") ? new String[] {"/a"} : new String[] {"/a", "/b"});
    }

    @Test
    void case32_deadProcessIsNotSignalledAgain() {
        WorldEditor e = Fixture.fresh(V61);
        file(e, "/a", 16 * Units.KiB);
        e.reflink("/a", "/b");
        mapper(e, 1, "dies", EARLY, Process.OnSigbus.DIE, "/a", true);
        mapper(e, 2, "handles", EARLY, Process.OnSigbus.HANDLE, "/b", true);
        World w = e.build();
        Result first = mce(w, "/a", KiB4);
        assertThat(pids(first)).containsExactly(1, 2);
        Result second = mce(first.worldAfter(), "/a", 2 * KiB4);
        assertThat(pids(second)).containsExactly(2);
        assertThat(second.worldAfter().process(1).orElseThrow().state()).isEqualTo(Process.State.KILLED);
    }

    @Nested
    class Laws {
        @Test
        void engineNeverMutatesItsInput() {
            WorldEditor e = threeClones(V61, true);
            World w = e.build();
            World copy = e.build();
            mce(w, "/a", KiB4);
            Engine.run(w, new FailureEvent.Remove());
            assertThat(w).isEqualTo(copy);
        }

        @Test
        void pfnOutsideEveryDeviceNeverReachesTheFilesystem() {
            World w = twoMappers(V61, EARLY, EARLY, 0);
            Result r = Fixture.poison(w, 0x10, FailureEvent.Source.MCE, null);
            assertThat(r.outcome().returnCode()).isEqualTo(-6);
            assertThat(r.outcome().path()).containsExactly("memory_failure");
            assertThat(r.outcome().log()).containsExactly("Memory failure: 0x10: memory outside kernel control");
        }
    }
}
