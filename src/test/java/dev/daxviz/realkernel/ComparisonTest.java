package dev.daxviz.realkernel;

import dev.daxviz.realkernel.DiffRow.Status;
import dev.daxviz.scenario.RunResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The normaliser and the comparator on real runs: what agrees, what differs, and why. */
class ComparisonTest {

    private static List<DiffRow> compare(String scenario, String simKernel, String realKernel) {
        RunResult sim = Fixtures.simulate(scenario, simKernel);
        return Comparison.compare(sim, GuestTranslator.translate(sim), Fixtures.run(realKernel, scenario));
    }

    @ParameterizedTest
    @CsvSource({"6.1,reflink-three-early", "6.1,inode-chunk", "6.1,default-policy", "6.1,reflink-no-rmapbt",
        "6.1,same-file-two-mappers", "6.12,reflink-three-early", "6.12,inode-chunk", "6.12,default-policy",
        "6.12,reflink-no-rmapbt", "6.12,same-file-two-mappers", "6.1,punch-unmaps-file", "6.12,punch-unmaps-file"})
    void theSimulationAgreesWithTheRealRunsOfItsKernel(String kernel, String scenario) {
        List<DiffRow> rows = compare(scenario, kernel, kernel);
        assertThat(rows.stream().filter(r -> r.status() == Status.DIFFERS)).as(kernel + " " + scenario).isEmpty();
        assertThat(Comparison.agree(rows)).isTrue();
        // what the guest cannot see is said so, never claimed the same
        assertThat(rows).filteredOn(r -> r.field().equals("page.hwpoison")).allMatch(r ->
                r.status() == Status.NOT_REPRODUCIBLE);
    }

    @Test
    void theOtherKernelsBehaviourIsADifference() {
        // 6.1's profile keeps pb1's page-table entry; the real 6.12 unmapped it (§2): the comparison must say so
        List<DiffRow> rows = compare("same-file-two-mappers", "6.1", "6.12");
        assertThat(Comparison.agree(rows)).isFalse();
        assertThat(rows).filteredOn(r -> r.status() == Status.DIFFERS).extracting(DiffRow::field)
                .contains("signal 2", "signal 3", "log", "final state pb1:102");
        DiffRow s2 = rows.stream().filter(r -> r.field().equals("signal 2")).findFirst().orElseThrow();
        assertThat(s2.simulated()).isEqualTo("AO pb1 /data/b.bin+4096 lsb 12");
        assertThat(s2.real()).isEqualTo("AO pb2 /data/b.bin+4096 lsb 12");
        // and 6.12's oops is no 6.1 result
        List<DiffRow> d = compare("reflink-no-rmapbt", "6.1", "6.12");
        DiffRow oops = d.stream().filter(r -> r.field().equals("oops")).findFirst().orElseThrow();
        assertThat(oops.status()).isEqualTo(Status.DIFFERS);
        assertThat(oops.simulated()).isEqualTo("none");
        assertThat(oops.real()).isEqualTo("dax_lock_folio: BUG: kernel NULL pointer dereference, address: "
                + "0000000000000001");
    }

    @Test
    void rowsNameTheEventAndThePageRole() {
        List<DiffRow> rows = compare("reflink-three-early", "6.1", "6.1");
        DiffRow loc = rows.stream().filter(r -> r.field().equals("page 0 location")).findFirst().orElseThrow();
        assertThat(loc.event()).isZero();
        assertThat(loc.status()).isEqualTo(Status.SAME);
        assertThat(loc.simulated()).endsWith(": /data/a.bin+4096");
        assertThat(loc.real()).endsWith(": /data/a.bin+4096");
        assertThat(rows).extracting(DiffRow::field).startsWith("setup log", "geometry agblocks", "geometry log start",
                "geometry first inodes").endsWith("final state pa:101", "final state pb:102", "final state pc:103");
    }

    @ParameterizedTest
    @ValueSource(strings = {"6.1", "6.12"})
    void kernelLinesOfBothWorldsShareTemplates(String k) {
        // the prototype's real lines for an inode-chunk poison (reference b) and the simulation's, under each profile
        List<String> real = LogNormaliser.templates(Fixtures.referenceEventLines(k + "-b"), true);
        List<String> sim = LogNormaliser.templates(Fixtures.simulate("inode-chunk", k).events().get(0).log(), true);
        assertThat(real).isEqualTo(sim);
        assertThat(real.get(0)).isEqualTo("XFS (pmem0): Corruption of on-disk metadata (0x10) detected at "
                + (k.equals("6.1") ? "xfs_dax_notify_failure" : "xfs_dax_notify_ddev_failure")
                + " (fs/xfs/xfs_notify_failure.c).  Shutting down filesystem.");
    }

    @Test
    void templatesDropWhatDiffersByDesign() {
        assertThat(LogNormaliser.template("[    4.502112] Memory failure: 0x40a19: Sending SIGBUS to reader-a:137 due to "
                + "hardware memory corruption")).isEqualTo("Memory failure: <hex>: Sending SIGBUS to reader-a:<pid> due "
                + "to hardware memory corruption");
        assertThat(LogNormaliser.template("WARNING: CPU: 0 PID: 136 at fs/dax.c:380 dax_insert_entry+0x227/0x320"))
                .isEqualTo("WARNING: CPU: 0 PID: <pid> at fs/dax.c dax_insert_entry");
        assertThat(LogNormaliser.template("XFS (pmem0): Mounting V5 Filesystem 9b0a4a4e-8a7c-4f31-9bd4-61f6c1c5a1de"))
                .isEqualTo("XFS (pmem0): Mounting V5 Filesystem <uuid>");
        assertThat(LogNormaliser.template("Kernel panic - not syncing: Memory failure on page 40619"))
                .isEqualTo("Kernel panic - not syncing: Memory failure on page <hex>");
        // the kernel keeps 15 characters of a name
        assertThat(LogNormaliser.template("Memory failure: 0x100819: Sending SIGBUS to a-very-long-process-name:101 due "
                + "to hardware memory corruption")).contains("to a-very-long-pro:<pid> due");
        // driver chatter and the oops report after its BUG line are not compared
        assertThat(LogNormaliser.templates(List.of("nd_pmem pfn0.1: unable to guarantee persistence of writes",
                "Oops: Oops: 0000 [#1] PREEMPT SMP NOPTI", "Injecting memory failure at pfn 0x40a19",
                "RIP: 0010:dax_lock_folio+0x49/0x120"), true)).isEmpty();
    }
}
