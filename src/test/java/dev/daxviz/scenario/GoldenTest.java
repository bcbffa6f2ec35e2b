package dev.daxviz.scenario;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Each built-in lesson's result JSON equals its reviewed golden under {@code src/test/resources/golden/}. Every
 * expected signal, shutdown and log line of a golden is justified, lesson by lesson, by a section of the spec in
 * {@code golden/README.md}.
 *
 * <p>On a difference the actual output is written to {@code target/golden-actual/NAME.json} and the test fails.
 * Goldens are never regenerated blindly: after reviewing a difference against the spec, accept it for named
 * lessons only, with {@code -Ddaxviz.golden.accept=NAME[,NAME...]}.
 */
class GoldenTest {
    private static final Path GOLDEN = Path.of("src", "test", "resources", "golden");
    private static final Path ACTUAL = Path.of("target", "golden-actual");

    private static Set<String> accepted() {
        String p = System.getProperty("daxviz.golden.accept", "");
        return Arrays.stream(p.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    }

    @TestFactory
    Stream<DynamicTest> everyLessonMatchesItsReviewedGolden() {
        Set<String> accept = accepted();
        return Lessons.all().stream().map(l -> DynamicTest.dynamicTest(l.name(), () -> {
            String actual = ResultJson.write(Scenarios.run(l.source(), null));
            Path golden = GOLDEN.resolve(l.name() + ".json");
            if (accept.contains(l.name())) {
                Files.writeString(golden, actual, StandardCharsets.UTF_8);
            }
            String expected = Files.exists(golden) ? Files.readString(golden, StandardCharsets.UTF_8) : null;
            if (!actual.equals(expected)) {
                Files.createDirectories(ACTUAL);
                Files.writeString(ACTUAL.resolve(l.name() + ".json"), actual, StandardCharsets.UTF_8);
                fail("%s: the result differs from %s (actual written to %s). Review it against the spec and "
                        + "golden/README.md; accept with -Ddaxviz.golden.accept=%s", l.name(),
                        expected == null ? "a missing golden" : golden, ACTUAL.resolve(l.name() + ".json"), l.name());
            }
        }));
    }

    @Test
    void everyGoldenIsJustifiedInTheReadme() throws IOException {
        String readme = Files.readString(GOLDEN.resolve("README.md"), StandardCharsets.UTF_8);
        for (Lessons.Lesson l : Lessons.all()) {
            assertThat(readme).as("README entry for %s", l.name()).contains("### " + l.name() + "\n");
        }
    }
}
