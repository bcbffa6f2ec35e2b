package dev.daxviz.realkernel;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The real thing: Debian's 6.1 and 6.12 kernels booted in qemu (TCG), fetched into the kernel cache on first use.
 * The real results are asserted against the kernel's behaviour as written in kernel-semantics.md (the values are
 * in the test, not taken from the simulation), and verify must say "agree". Then a second run must hit the cache.
 *
 * <p>Skipped when qemu or another tool is missing, unless {@code -Ddaxviz.realkernel.required=true} (CI) makes that a
 * failure. {@code -Ddaxviz.realkernel.cache=DIR} uses another cache than the user's. Budget: under 10 minutes on a
 * 2-core machine (measured: about 1 minute cold, 30 s warm).
 */
@Tag("realkernel")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealKernelTest {
    static final boolean REQUIRED = Boolean.getBoolean("daxviz.realkernel.required");
    private static final String AO = "BUS_MCEERR_AO";
    private static VerifyOptions options;

    @BeforeAll
    static void tools() {
        HostTools tools = HostTools.system(Map.of());
        Set<HostTools.Tool> need = EnumSet.copyOf(HostTools.GUEST);
        need.addAll(HostTools.UNPACK);
        need.addAll(HostTools.FETCH);
        List<HostTools.Tool> missing = need.stream().filter(t -> tools.find(t) == null).toList();
        if (!missing.isEmpty()) {
            String why = HostTools.missingMessage(missing);
            if (REQUIRED) {
                fail(why + " (daxviz.realkernel.required=true)");
            }
            org.junit.jupiter.api.Assumptions.abort(why);
        }
        String cache = System.getProperty("daxviz.realkernel.cache");
        options = VerifyOptions.defaults();
        if (cache != null && !cache.isBlank()) {
            options = options.withCacheRoot(Path.of(cache).toAbsolutePath());
        }
    }

    private static VerifyReport verify(String scenario, String kernel) {
        List<String> stages = new ArrayList<>();
        VerifyReport r = Verifier.verify(Fixtures.scenario(scenario).toString(), options.withKernel(kernel),
                (s, d) -> stages.add(s.title() + ": " + d), CancelToken.none());
        assertThat(r.error()).as(scenario + " on " + kernel + " " + stages).isNull();
        assertThat(r.kernel().unameR()).startsWith(kernel + ".");
        return r;
    }

    private static RealRun.Event event(VerifyReport r) {
        assertThat(r.real().events()).hasSize(1);
        return r.real().events().get(0);
    }

    private static List<String> signals(RealRun.Event e) {
        return e.signals().stream().map(s -> s.comm() + " " + s.code() + " " + s.file() + "+" + s.offset() + " lsb "
                + s.lsb()).toList();
    }

    private static void agrees(VerifyReport r) {
        assertThat(r.differences()).as(r.scenario()).isEmpty();
        assertThat(r.verdict()).isEqualTo(VerifyReport.Verdict.AGREE);
    }

    @Test
    @Order(1)
    void threeWayReflinkWithEarlyMappersOn61() {
        // §14 case 6: three AO at file offset 4096, lsb 12, in inode order; "Recovered", rc 0
        VerifyReport r = verify("reflink-three-early", "6.1");
        RealRun.Event e = event(r);
        assertThat(signals(e)).containsExactly("pa " + AO + " /data/a.bin+4096 lsb 12",
                "pb " + AO + " /data/b.bin+4096 lsb 12", "pc " + AO + " /data/c.bin+4096 lsb 12");
        assertThat(e.returnCode()).isZero();
        assertThat(e.result()).isEqualTo("Recovered");
        assertThat(e.shutdown()).isNull();
        agrees(r);
        assertThat(r.kernel().packageName()).startsWith("linux-image-6.1.");
        assertThat(r.stageSeconds()).containsKeys("tools", "fetch kernel", "boot", "setup", "event", "compare");
    }

    @Test
    @Order(2)
    void anInodeChunkPoisonOn61() {
        // §14 case 11: shutdown, "Failed", rc -117, nobody signalled (not even the early mapper)
        VerifyReport r = verify("inode-chunk", "6.1");
        RealRun.Event e = event(r);
        assertThat(e.shutdown()).isEqualTo("SHUTDOWN_CORRUPT_ONDISK");
        assertThat(e.result()).isEqualTo("Failed");
        assertThat(e.returnCode()).isEqualTo(-117);
        assertThat(e.signals()).isEmpty();
        agrees(r);
    }

    @Test
    @Order(3)
    void theDefaultPolicyOn61() {
        // §8 and §14 case 1: nobody signalled, "Recovered", rc 0
        VerifyReport r = verify("default-policy", "6.1");
        RealRun.Event e = event(r);
        assertThat(e.signals()).isEmpty();
        assertThat(e.result()).isEqualTo("Recovered");
        assertThat(e.returnCode()).isZero();
        agrees(r);
    }

    @Test
    @Order(4)
    void reflinkWithoutRmapbtOopsesIn612DaxLockFolio() {
        // §10 and §14 case 16 (6.12): the shared marker is dereferenced in dax_lock_folio
        VerifyReport r = verify("reflink-no-rmapbt", "6.12");
        RealRun.Event e = event(r);
        assertThat(e.oops()).isNotNull();
        assertThat(e.oops().function()).isEqualTo("dax_lock_folio");
        assertThat(e.oops().message()).isEqualTo("BUG: kernel NULL pointer dereference, address: 0000000000000001");
        assertThat(e.signals()).isEmpty();
        assertThat(e.result()).isNull();
        assertThat(r.real().stop()).isEqualTo("oops");
        agrees(r);
    }

    @Test
    @Order(5)
    void aSecondRunHitsTheCache() {
        VerifyReport r = verify("default-policy", "6.1");
        assertThat(r.kernel().fetched()).as("downloaded or unpacked the kernel again").isFalse();
        assertThat(r.kernel().built()).as("built the base initramfs again").isFalse();
        agrees(r);
    }
}
