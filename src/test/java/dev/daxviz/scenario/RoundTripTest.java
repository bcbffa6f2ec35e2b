package dev.daxviz.scenario;

import dev.daxviz.model.World;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** read → write → read gives an equal world, for every lesson's world and for hand-made corner cases. */
class RoundTripTest {
    private static World roundTrip(BuiltScenario b) {
        ScenarioWriter.Written w = ScenarioWriter.writeChecked(b.world(), new ScenarioWriter.Header(
                b.scenario().title(), b.scenario().description(), b.scenario().seed()));
        assertThat(w.warnings()).as("writer warnings for\n%s", w.yaml()).isEmpty();
        World again = ScenarioBuilder.build(ScenarioReader.read("again.yaml", w.yaml()), null).world();
        // and writing the re-read world gives the same text
        assertThat(ScenarioWriter.write(again, new ScenarioWriter.Header(b.scenario().title(),
                b.scenario().description(), b.scenario().seed()))).isEqualTo(w.yaml());
        return again;
    }

    @TestFactory
    Stream<DynamicTest> everyLessonWorldSurvivesARoundTrip() {
        return Lessons.all().stream().map(l -> DynamicTest.dynamicTest(l.name(), () -> {
            BuiltScenario b = Scenarios.build(l.source(), null);
            assertThat(roundTrip(b)).isEqualTo(b.world());
        }));
    }

    private static BuiltScenario build(String yaml) {
        return ScenarioBuilder.build(ScenarioReader.read("t.yaml", yaml), null);
    }

    @Test
    void cornerCasesSurviveARoundTrip() {
        String yaml = """
                format: 1
                seed: 7
                device: {size: 256MiB, physAddr: 0x100000000}
                filesystem: {type: xfs, agCount: 3, dax: inode}
                files:
                  - {path: /a/x.bin, size: 10000, ag: 1, xattrBlocks: 2, dax: true}
                  - {path: /a/frag.bin, size: 160KiB, fragments: 40}
                  - path: /b/placed.bin
                    extents: [{offset: 0, agno: 2, agbno: 200, length: 4}, {offset: 8, agno: 1, agbno: 5000, length: 2}]
                  - {path: /b/clone.bin, size: 16KiB, reflink: {from: /b/placed.bin, offset: 0, length: 8KiB, to: 4KiB}}
                  - {path: /big.bin, size: 4MiB, align: 2MiB}
                processes:
                  - pid: 7
                    comm: two-maps
                    earlyKill: late
                    onSigbus: handle
                    maps:
                      - {path: /a/x.bin, length: 8KiB, touched: [4KiB]}
                      - {path: /big.bin, offset: 2MiB, length: 2MiB, pmd: true, address: 0x7f4000000000}
                  - {pid: 8, comm: gone, state: exited}
                sysctl: {vm.memory_failure_early_kill: 1}
                """;
        BuiltScenario b = build(yaml);
        assertThat(roundTrip(b)).isEqualTo(b.world());
    }

    @Test
    void externalLogRealtimeAndShutdownSurviveARoundTrip() {
        String yaml = """
                format: 1
                kernel: "6.12"
                device: {size: 256MiB, physAddr: 0x100000000}
                filesystem: {type: xfs, log: external, realtime: true, reflink: false, rmapbt: false, state: shutdown,
                             shutdownReason: SHUTDOWN_FORCE_UMOUNT}
                files:
                  - {path: /rt/r.bin, size: 16KiB, rt: true}
                  - {path: /d.bin, size: 8KiB}
                processes:
                  - {pid: 1, comm: p, maps: [{path: /rt/r.bin, length: 16KiB, touched: none}]}
                """;
        BuiltScenario b = build(yaml);
        assertThat(roundTrip(b)).isEqualTo(b.world());
    }

    @Test
    void aWorldAfterACopyOnWriteIsWrittenWithExactExtents() {
        BuiltScenario b = Scenarios.build("builtin:cow-before-poison", null);
        World after = ModelEvents.apply(b.world(), b.scenario().events().get(0)).world();
        ScenarioWriter.Written w = ScenarioWriter.writeChecked(after, new ScenarioWriter.Header("t", "", 0));
        World again = ScenarioBuilder.build(ScenarioReader.read("again.yaml", w.yaml()), null).world();
        assertThat(again.fs()).isEqualTo(after.fs());
        assertThat(w.yaml()).contains("extents:");
    }
}
