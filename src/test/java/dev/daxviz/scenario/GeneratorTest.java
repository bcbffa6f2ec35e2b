package dev.daxviz.scenario;

import dev.daxviz.model.Inode;
import dev.daxviz.model.World;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The optional generator of a file entry ({@code count: N} with {@code {n}} in the path and in the reflink source,
 * DaxViz's extension of scenario-format.md for big worlds): what it makes, what it refuses, and the writer that
 * folds runs of alike files back into generators. The messages of its rules are in the malformed corpus (50–55).
 */
class GeneratorTest {
    private static final String HEAD = """
            format: 1
            device: {size: 256MiB, physAddr: 0x100000000}
            filesystem: {type: xfs}
            """;

    private static BuiltScenario build(String files) {
        return ScenarioBuilder.build(ScenarioReader.read("g.yaml", HEAD + files), null);
    }

    private static List<String> paths(World w) {
        return w.fs().inodes().values().stream().map(Inode::path).toList();
    }

    @Test
    void countMakesNumberedFilesInOrderAndClonesTheSameNumber() {
        World w = build("""
                files:
                  - {path: "/d/f{n}.bin", count: 3, size: 8KiB, fragments: 2}
                  - {path: "/s/f{n}.bin", count: 2, reflink: "/d/f{n}.bin"}
                  - {path: "/g/c{n}", count: 2, reflink: /d/f2.bin}
                """).world();
        assertThat(paths(w)).containsExactly("/d/f0.bin", "/d/f1.bin", "/d/f2.bin", "/s/f0.bin", "/s/f1.bin",
                "/g/c0", "/g/c1");
        Inode f1 = w.fs().byPath("/d/f1.bin");
        assertThat(f1.dataExtents()).hasSize(2);
        assertThat(w.fs().byPath("/s/f1.bin").dataExtents()).isEqualTo(f1.dataExtents());
        assertThat(w.fs().byPath("/g/c1").dataExtents()).isEqualTo(w.fs().byPath("/d/f2.bin").dataExtents());
        // inode numbers follow the order the files are made in
        assertThat(w.fs().byPath("/d/f0.bin").ino()).isLessThan(f1.ino());
    }

    @Test
    void aGeneratedEntryIsTheSameWorldAsItsFilesWrittenOut() {
        World generated = build("""
                files:
                  - {path: /a, size: 16KiB}
                  - {path: "/r/x{n}", count: 3, size: 16KiB, reflink: {from: /a, offset: 4KiB, length: 4KiB, to: 0}}
                """).world();
        World written = build("""
                files:
                  - {path: /a, size: 16KiB}
                  - {path: /r/x0, size: 16KiB, reflink: {from: /a, offset: 4KiB, length: 4KiB, to: 0}}
                  - {path: /r/x1, size: 16KiB, reflink: {from: /a, offset: 4KiB, length: 4KiB, to: 0}}
                  - {path: /r/x2, size: 16KiB, reflink: {from: /a, offset: 4KiB, length: 4KiB, to: 0}}
                """).world();
        assertThat(generated).isEqualTo(written);
    }

    @Test
    void withoutCountBracesAreJustPartOfTheName() {
        World w = build("""
                files:
                  - {path: "/odd/{n}.bin", size: 4KiB}
                """).world();
        assertThat(paths(w)).containsExactly("/odd/{n}.bin");
    }

    @Test
    void aGeneratedFileThatCannotBeMadeIsReportedOnceNotPerFile() {
        assertThatThrownBy(() -> build("""
                files:
                  - {path: "/big/f{n}", count: 50, size: 64MiB}
                """)).isInstanceOfSatisfying(ScenarioException.class, e -> {
                    assertThat(e.problems()).hasSize(1);
                    assertThat(e.problems().get(0).toString()).contains("files[0].size: /big/f3 (n = 3 of count 50)")
                            .contains("does not fit");
                });
    }

    @Test
    void mappingsAndEventsNameGeneratedFilesByTheirNumber() {
        BuiltScenario b = build("""
                files:
                  - {path: "/d/f{n}", count: 4, size: 16KiB}
                processes:
                  - {pid: 7, comm: r, earlyKill: early, maps: [{path: /d/f3, length: 16KiB}]}
                events:
                  - poison: {at: {path: /d/f3, offset: 4KiB}}
                """);
        RunResult r = ScenarioRunner.run(b);
        assertThat(r.events().get(0).result().outcome().signals()).extracting(s -> s.pid()).containsExactly(7);
    }

    @Test
    void theWriterFoldsNumberedRunsBackIntoGenerators() {
        BuiltScenario b = build("""
                files:
                  - {path: "/d/f{n}.bin", count: 5, size: 8KiB}
                  - {path: "/s/f{n}.bin", count: 3, reflink: "/d/f{n}.bin"}
                  - {path: /d/f9.bin, size: 8KiB}
                  - {path: /e/f00, size: 4KiB}
                  - {path: /e/f01, size: 4KiB}
                """);
        ScenarioWriter.Written w = ScenarioWriter.writeChecked(b.world(), new ScenarioWriter.Header("t", "", 0));
        assertThat(w.warnings()).isEmpty();
        assertThat(w.yaml()).contains("{path: \"/d/f{n}.bin\", size: 8192, count: 5}")
                .contains("{path: \"/s/f{n}.bin\", reflink: \"/d/f{n}.bin\", count: 3}")
                // not a run: f9 follows f4, and f00 f01 are not numbered from a lone 0
                .contains("{path: \"/d/f9.bin\", size: 8192}").contains("{path: \"/e/f00\", size: 4096}");
        World again = ScenarioBuilder.build(ScenarioReader.read("again.yaml", w.yaml()), null).world();
        assertThat(again).isEqualTo(b.world());
    }

    @Test
    void generatorsFoldOnlyExactRuns() {
        List<String> forms = List.of("{path: \"/a0\", size: 1}", "{path: \"/a1\", size: 1}", "{path: \"/a2\", size: 2}",
                "{path: \"/b0\", reflink: \"/x0\"}", "{path: \"/b1\", reflink: \"/x1\"}",
                "{path: \"/c0\", reflink: \"/y\"}", "{path: \"/c1\", reflink: \"/y\"}");
        assertThat(ScenarioWriter.generators(forms)).containsExactly("{path: \"/a{n}\", size: 1, count: 2}",
                "{path: \"/a2\", size: 2}", "{path: \"/b{n}\", reflink: \"/x{n}\", count: 2}",
                "{path: \"/c{n}\", reflink: \"/y\", count: 2}");
    }
}
