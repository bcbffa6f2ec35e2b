package dev.daxviz.realkernel;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The parser on real runs of 6.1 and 6.12 (fixtures captured from verify runs, and the prototype's reference logs).
 * The expected values are the kernel's behaviour as kernel-semantics.md and the prototype's FINDINGS describe it,
 * not what the code printed.
 */
class ProtocolParserTest {
    private static final String AO = "BUS_MCEERR_AO";

    private static RealRun.Event only(RealRun r) {
        assertThat(r.events()).hasSize(1);
        return r.events().get(0);
    }

    private static List<String> signals(RealRun.Event e) {
        return e.signals().stream().map(s -> s.comm() + " " + s.code() + " " + s.file() + "+" + s.offset() + " lsb "
                + s.lsb()).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"6.1", "6.12"})
    void threeWayReflinkSignalsEveryEarlyMapperInInodeOrder(String k) {
        // §14 case 6: three AO at file offset 4096, addr_lsb 12, in inode order; rc 0, "Recovered"
        RealRun r = Fixtures.run(k, "reflink-three-early");
        RealRun.Event e = only(r);
        assertThat(signals(e)).containsExactly("pa " + AO + " /data/a.bin+4096 lsb 12", "pb " + AO
                + " /data/b.bin+4096 lsb 12", "pc " + AO + " /data/c.bin+4096 lsb 12");
        assertThat(e.returnCode()).isZero();
        assertThat(e.result()).isEqualTo("Recovered");
        assertThat(e.shutdown()).isNull();
        assertThat(e.oops()).isNull();
        assertThat(e.finished()).isTrue();
        assertThat(r.complete()).isTrue();
        assertThat(r.finalStates()).isEqualTo(Map.of(1, "killed", 2, "killed", 3, "killed"));
        assertThat(r.kernelRelease()).startsWith(k + ".");
        // the filesystem is pinned to the scenario's 256 MiB in 4 AGs
        assertThat(r.geometry()).containsEntry("agcount", 4L).containsEntry("agblocks", 16384L)
                .containsEntry("dblocks", 65536L);
        assertThat(r.inodes().keySet()).containsExactly("/data/a.bin", "/data/b.bin", "/data/c.bin");
    }

    @ParameterizedTest
    @ValueSource(strings = {"6.1", "6.12"})
    void anInodeChunkShutsDownWithMinus117AndNobodySignalled(String k) {
        // §14 case 11: shutdown (SHUTDOWN_CORRUPT_ONDISK), "Failed", -117, no signal even for the early mapper
        RealRun r = Fixtures.run(k, "inode-chunk");
        RealRun.Event e = only(r);
        assertThat(e.signals()).isEmpty();
        assertThat(e.returnCode()).isEqualTo(-117);
        assertThat(e.result()).isEqualTo("Failed");
        assertThat(e.shutdown()).isEqualTo("SHUTDOWN_CORRUPT_ONDISK");
        assertThat(r.finalStates()).isEqualTo(Map.of(1, "running"));
        // the block is the inode chunk's first block in the real layout (fsmap "inodes" owner)
        assertThat(e.pages()).extracting(RealRun.Page::how).containsExactly("exact");
    }

    @ParameterizedTest
    @ValueSource(strings = {"6.1", "6.12"})
    void theDefaultPolicySignalsNobody(String k) {
        // §8 and §14 case 1: no prctl, sysctl 0, no current mapper: nobody collected, "Recovered", rc 0
        RealRun.Event e = only(Fixtures.run(k, "default-policy"));
        assertThat(e.signals()).isEmpty();
        assertThat(e.returnCode()).isZero();
        assertThat(e.result()).isEqualTo("Recovered");
    }

    @Test
    void reflinkWithoutRmapbtOn61SignalsTheLastFaulterOnly() {
        // §10 and §14 case 16 (6.1): page->mapping names the last file that read-faulted the page
        RealRun r = Fixtures.run("6.1", "reflink-no-rmapbt");
        RealRun.Event e = only(r);
        assertThat(signals(e)).containsExactly("pb " + AO + " /data/b.bin+4096 lsb 12");
        assertThat(e.result()).isEqualTo("Recovered");
        assertThat(r.setupLog()).anyMatch(l -> l.startsWith("WARNING: CPU: 0 PID: ") && l.contains("at fs/dax.c:380 "
                + "dax_insert_entry"));
        assertThat(r.finalStates()).isEqualTo(Map.of(1, "running", 2, "killed"));
    }

    @Test
    void reflinkWithoutRmapbtOn612Oopses() {
        // §10 and §14 case 16 (6.12): dax_lock_folio dereferences the shared marker
        RealRun r = Fixtures.run("6.12", "reflink-no-rmapbt");
        RealRun.Event e = only(r);
        assertThat(e.oops()).isEqualTo(new RealRun.Oops("dax_lock_folio",
                "BUG: kernel NULL pointer dereference, address: 0000000000000001"));
        assertThat(e.signals()).isEmpty();
        assertThat(e.returnCode()).isNull();
        assertThat(e.result()).isNull();
        assertThat(e.finished()).isFalse();
        assertThat(e.pages()).extracting(RealRun.Page::rc).containsExactly("none");
        assertThat(r.stop()).isEqualTo("oops");
    }

    @Test
    void on612ALaterFaultThroughTheSameFileUnmapsTheEarlierMapper() {
        // §2 and §14 case 28 (FINDINGS S1): 6.1 signals pa, pb1 and pb2; 6.12 only pa and pb2
        assertThat(signals(only(Fixtures.run("6.1", "same-file-two-mappers")))).containsExactly(
                "pa " + AO + " /data/a.bin+4096 lsb 12", "pb1 " + AO + " /data/b.bin+4096 lsb 12",
                "pb2 " + AO + " /data/b.bin+4096 lsb 12");
        RealRun r = Fixtures.run("6.12", "same-file-two-mappers");
        assertThat(signals(only(r))).containsExactly("pa " + AO + " /data/a.bin+4096 lsb 12",
                "pb2 " + AO + " /data/b.bin+4096 lsb 12");
        assertThat(r.finalStates()).isEqualTo(Map.of(1, "killed", 2, "running", 3, "killed"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"6.1", "6.12"})
    void aPunchLeavesTheFilesMappersWithoutPageTableEntries(String k) {
        // xfs_break_dax_layouts unmaps the whole file before a punch: pb, b.bin's early mapper, is not signalled for
        // the page b.bin still shares with a.bin
        RealRun r = Fixtures.run(k, "punch-unmaps-file");
        assertThat(r.events()).hasSize(2);
        assertThat(r.events().get(0).outcomes()).isEmpty();
        assertThat(signals(r.events().get(1))).containsExactly("pa " + AO + " /data/a.bin+4096 lsb 12");
        assertThat(r.finalStates()).isEqualTo(Map.of(1, "killed", 2, "running"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"6.1", "6.12"})
    void theKillOrderIsInodeOrderWhateverTheCreationOrder(String k) {
        // FINDINGS S7: mappers created c, b, a; the kernel's lines go a, b, c (rmap owner order)
        assertThat(ProtocolParser.sent(Fixtures.referenceEventLines(k + "-a-rev"))).extracting(ProtocolParser.Sent::comm)
                .containsExactly("pa", "pb", "pc");
    }

    @ParameterizedTest
    @ValueSource(strings = {"6.1", "6.12"})
    void referenceRunsGiveTheirResultsAndShutdowns(String k) {
        assertThat(ProtocolParser.result(Fixtures.referenceEventLines(k + "-a"))).isEqualTo("Recovered");
        assertThat(ProtocolParser.sent(Fixtures.referenceEventLines(k + "-a"))).hasSize(3);
        List<String> b = Fixtures.referenceEventLines(k + "-b");
        assertThat(ProtocolParser.result(b)).isEqualTo("Failed");
        assertThat(ProtocolParser.shutdown(b)).isEqualTo("SHUTDOWN_CORRUPT_ONDISK");
        List<String> c = Fixtures.referenceEventLines(k + "-c");
        assertThat(ProtocolParser.sent(c)).isEmpty();
        assertThat(ProtocolParser.result(c)).isEqualTo("Recovered");
        // f: the prototype measured the same as our fixture (FINDINGS §5 f)
        assertThat(ProtocolParser.sent(Fixtures.referenceEventLines(k + "-f"))).extracting(ProtocolParser.Sent::comm)
                .containsExactlyElementsOf(k.equals("6.1") ? List.of("pa", "pb1", "pb2") : List.of("pa", "pb2"));
    }

    @Test
    void crashesAreFoundOnTheConsoleWithTheirFunction() {
        // FINDINGS §5 d and d-write: 6.12 oopses in dax_lock_folio, 6.1 (a CoW-written page) in dax_lock_page
        assertThat(ProtocolParser.crash(Fixtures.text("reference/6.12-d.console.log").lines()
                .map(ProtocolParser::untimed).toList())).isEqualTo(new RealRun.Oops("dax_lock_folio",
                "BUG: kernel NULL pointer dereference, address: 0000000000000001"));
        assertThat(ProtocolParser.crash(Fixtures.text("reference/6.1-d-write.console.log").lines()
                .map(ProtocolParser::untimed).toList())).isEqualTo(new RealRun.Oops("dax_lock_page",
                "BUG: kernel NULL pointer dereference, address: 0000000000000001"));
        // a WARNING's RIP line is no crash
        assertThat(ProtocolParser.crash(Fixtures.run("6.1", "reflink-no-rmapbt").setupLog())).isNull();
        // 6.1 on a 6.1-style read-shared page: no oops (FINDINGS S2)
        assertThat(ProtocolParser.crash(Fixtures.text("reference/6.1-d.console.log").lines().toList())).isNull();
    }

    @Test
    void aPanicIsTheRunningEventsCrashWithTheFunctionThatPanicked() {
        String console = """
                [    4.519862] Kernel panic - not syncing: Memory failure on page 40619
                [    4.520127] CPU: 0 PID: 153 Comm: daxhelper Not tainted 6.1.0-57-amd64 #1  Debian 6.1.192-3
                [    4.520431] Call Trace:
                [    4.520600]  <TASK>
                [    4.520678]  dump_stack_lvl+0x44/0x5c
                [    4.520784]  panic+0x118/0x2ed
                [    4.520876]  memory_failure.cold+0x5/0x3d
                [    4.521030]  hwpoison_inject+0x13c/0x160 [hwpoison_inject]
                """;
        RealRun r = ProtocolParser.parse(List.of("INIT uptime=2.5 kernel=6.1.0-57-amd64", "SETUP-END uptime=4.4",
                "EVENT i=0 n=1/2 kind=poison uptime=4.5", "PAGE p=0 pfn=0x40619 how=exact role=/data/a.bin+4096"), console);
        assertThat(r.stop()).isEqualTo("panic");
        assertThat(r.finalStates()).isEmpty();
        assertThat(r.events().get(0).oops()).isEqualTo(new RealRun.Oops("memory_failure",
                "Kernel panic - not syncing: Memory failure on page 40619"));
        assertThat(r.events().get(0).log()).first().isEqualTo("Kernel panic - not syncing: Memory failure on page 40619");
    }

    @Test
    void aSignalSentTwiceBeforeItsHandlerRanHasNoSecondReport() {
        RealRun r = ProtocolParser.parse(List.of("MAPPED i=1 comm=vmm pid=141 file=/mnt/a off=0 len=16384",
                "EVENT i=0 n=1/1 kind=poison", "PAGE p=0 pfn=0x40619 how=exact role=/a+4096",
                "SIGBUS i=1 comm=vmm pid=141 code=5 addr=0x7f0000001000 lsb=12 file=/mnt/a off=4096",
                "RC p=0 rc=0", "K [ 4.5] Memory failure: 0x40619: Sending SIGBUS to vmm:141 due to hardware memory corruption",
                "K [ 4.6] Memory failure: 0x40619: Sending SIGBUS to vmm:141 due to hardware memory corruption",
                "EVENT-END i=0", "END uptime=5"), "");
        List<RealRun.Signal> s = r.events().get(0).signals();
        assertThat(s).hasSize(2);
        assertThat(s.get(0).code()).isEqualTo(AO);
        assertThat(s.get(0).file()).isEqualTo("/a");
        assertThat(s.get(1).code()).isNull();
        assertThat(s.get(1).mapper()).isEqualTo(1);
    }

    @Test
    void madviseReturnsTheErrnoAndAnInjectorThatDiedLeavesTheCodeUnknown() {
        RealRun r = ProtocolParser.parse(List.of("EVENT i=0 n=1/2 kind=poison", "PAGE p=0 pfn=0x1 how=exact role=x",
                "RC p=0 madvise madvise rc=-1 errno=16", "EVENT-END i=0", "EVENT i=1 n=2/2 kind=poison",
                "PAGE p=0 pfn=0x2 how=exact role=y", "RC p=0 rc=unknown (mapper 1 died of its SIGBUS in madvise)",
                "DEAD i=1 madvise", "EVENT-END i=1", "END"), "");
        assertThat(r.events().get(0).returnCode()).isEqualTo(-16);
        assertThat(r.events().get(1).returnCode()).isNull();
        assertThat(r.finalStates()).containsEntry(1, "killed");
    }
}
