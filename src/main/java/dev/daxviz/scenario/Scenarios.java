package dev.daxviz.scenario;

import dev.daxviz.model.KernelProfile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** Loading a scenario by name: a file path, or {@code builtin:NAME} for a lesson of the library. */
public final class Scenarios {
    /** Scenario files larger than this are refused (a scenario is a page or two of YAML). */
    public static final long MAX_BYTES = 4L << 20;

    private Scenarios() {
    }

    /** The bytes of a scenario and the name messages use for it. */
    public record Source(String name, byte[] content) {
    }

    /** Reads a file or a built-in; throws {@link ScenarioException} (invalid input) when there is nothing to read. */
    public static Source source(String spec) {
        if (spec.startsWith(Lessons.PREFIX)) {
            String name = spec.substring(Lessons.PREFIX.length());
            return Lessons.content(name).map(c -> new Source(spec, c)).orElseThrow(() -> single(spec,
                    "there is no built-in scenario '" + name + "'", nearLesson(name)));
        }
        Path p = Path.of(spec);
        try {
            if (Files.isDirectory(p)) {
                throw single(spec, "this is a directory, not a scenario file", "name a .yaml or .json file");
            }
            if (Files.size(p) > MAX_BYTES) {
                throw single(spec, "the file is larger than " + (MAX_BYTES >> 20) + " MiB", "a scenario is a small YAML "
                        + "file: check that this is the right file");
            }
            return new Source(spec, Files.readAllBytes(p));
        } catch (NoSuchFileException e) {
            throw single(spec, "no such file", "check the path, or use builtin:NAME (daxviz list shows the names)");
        } catch (IOException e) {
            throw single(spec, "cannot be read: " + e.getMessage(), "check the file's permissions");
        }
    }

    private static String nearLesson(String name) {
        String near = Fields.nearest(name, Lessons.all().stream().map(Lessons.Lesson::name).toList());
        return (near != null ? "did you mean builtin:" + near + "? " : "") + "'daxviz list' shows the built-in names";
    }

    private static ScenarioException single(String source, String what, String fix) {
        return new ScenarioException(List.of(new Problem(source, 1, 1, "", what, fix)));
    }

    /** Reads, validates and builds a scenario (under {@code kernel} instead of its own when not null). */
    public static BuiltScenario build(String spec, KernelProfile kernel) {
        Source s = source(spec);
        return build(s, kernel);
    }

    public static BuiltScenario build(Source s, KernelProfile kernel) {
        Scenario sc = ScenarioReader.read(s.name(), s.content());
        return ScenarioBuilder.build(sc, kernel);
    }

    /** Reads, builds and runs. */
    public static RunResult run(String spec, KernelProfile kernel) {
        return ScenarioRunner.run(build(spec, kernel));
    }
}
