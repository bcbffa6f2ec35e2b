package dev.daxviz.scenario;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * Every file under {@code malformed/} is an invalid scenario; {@code malformed/expected.tsv} says where (line and
 * column) and what each message must say. The validator must report every listed problem, and nothing must
 * reach the engine.
 */
class MalformedCorpusTest {
    private static Path dir() throws URISyntaxException {
        return Path.of(MalformedCorpusTest.class.getResource("/malformed").toURI());
    }

    private static Map<String, List<String[]>> expected() throws Exception {
        Map<String, List<String[]>> m = new LinkedHashMap<>();
        for (String line : Files.readAllLines(dir().resolve("expected.tsv"), StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] p = line.split("\t", 3);
            m.computeIfAbsent(p[0], k -> new ArrayList<>()).add(p);
        }
        return m;
    }

    @Test
    void theCorpusHasAtLeastThirtyScenariosAndEachHasExpectations() throws Exception {
        List<String> files;
        try (Stream<Path> s = Files.list(dir())) {
            files = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(30);
        assertThat(expected().keySet()).containsExactlyInAnyOrderElementsOf(files);
    }

    @TestFactory
    Stream<DynamicTest> eachMalformedScenarioIsRejectedAtTheRightPlace() throws Exception {
        return expected().entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            String source = "malformed/" + e.getKey();
            byte[] content = Files.readAllBytes(dir().resolve(e.getKey()));
            List<String> messages = messages(source, content);
            for (String[] x : e.getValue()) {
                String prefix = source + ":" + x[1] + ": " + x[2];
                assertThat(messages).as("messages of %s", source).anySatisfy(m -> assertThat(m).startsWith(prefix));
            }
            // every message has the form file:line:col: path: what — how
            for (String m : messages) {
                assertThat(m).matches("\\Q" + source + "\\E:\\d+:\\d+: \\S.*: .+ — .+");
            }
        }));
    }

    private static List<String> messages(String source, byte[] content) throws IOException {
        try {
            Scenarios.build(new Scenarios.Source(source, content), null);
        } catch (ScenarioException ex) {
            assertThat(ex.problems()).isNotEmpty();
            return ex.problems().stream().map(Problem::toString).toList();
        }
        return fail("%s was accepted", source);
    }

    @Test
    void allProblemsOfOneFileAreReportedAtOnceInDocumentOrder() throws Exception {
        byte[] c = Files.readAllBytes(dir().resolve("49-many-problems.yaml"));
        assertThatThrownBy(() -> Scenarios.build(new Scenarios.Source("m.yaml", c), null))
                .isInstanceOfSatisfying(ScenarioException.class, ex -> {
                    assertThat(ex.problems()).hasSize(6);
                    assertThat(ex.problems()).isSortedAccordingTo((a, b) -> a.line() != b.line()
                            ? Integer.compare(a.line(), b.line()) : Integer.compare(a.col(), b.col()));
                });
    }
}
