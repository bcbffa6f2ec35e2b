package dev.daxviz.scenario;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The built-in library: at least 20 lessons, each indexed with its own title and a description, each runs. */
class LessonsTest {
    @Test
    void theLibraryHasAtLeastTwentyLessonsAndADefault() {
        assertThat(Lessons.all()).hasSizeGreaterThanOrEqualTo(20);
        assertThat(Lessons.find(Lessons.DEFAULT)).isPresent();
        assertThat(Lessons.all().stream().map(Lessons.Lesson::name)).doesNotHaveDuplicates();
    }

    @TestFactory
    Stream<DynamicTest> everyLessonValidatesRunsAndMatchesItsIndexEntry() {
        return Lessons.all().stream().map(l -> DynamicTest.dynamicTest(l.name(), () -> {
            BuiltScenario b = Scenarios.build(l.source(), null);
            assertThat(b.scenario().title()).isEqualTo(l.title());
            assertThat(b.scenario().description()).hasSizeGreaterThan(200);
            assertThat(l.description()).hasSizeGreaterThan(40);
            assertThat(b.steps()).isNotEmpty();
            RunResult r = ScenarioRunner.run(b);
            assertThat(r.events().size() + r.notRun().size()).isEqualTo(b.scenario().events().size());
            assertThat(r.events()).allSatisfy(e -> assertThat(e.skipped()).isNull());
        }));
    }

    @Test
    void unknownBuiltinsAreInvalidInputWithASuggestion() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Scenarios.source("builtin:defualt"))
                .isInstanceOf(ScenarioException.class).hasMessageContaining("did you mean builtin:default");
    }
}
