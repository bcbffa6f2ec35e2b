package dev.daxviz.scenario;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The built-in lesson library: scenario files shipped as resources under {@code dev/daxviz/lessons/}, listed
 * in {@code index.yaml} with a title and a description a teacher can read aloud. {@code builtin:NAME} names one.
 */
public final class Lessons {
    public static final String PREFIX = "builtin:";
    public static final String DEFAULT = "default";
    private static final String DIR = "/dev/daxviz/lessons/";
    private static volatile List<Lesson> index;

    private Lessons() {
    }

    /** One entry of the index. */
    public record Lesson(String name, String title, String description) {
        public String source() {
            return PREFIX + name;
        }
    }

    /** Every built-in lesson, in the index's (teaching) order. */
    public static List<Lesson> all() {
        List<Lesson> l = index;
        if (l == null) {
            l = loadIndex();
            index = l;
        }
        return l;
    }

    public static Optional<Lesson> find(String name) {
        return all().stream().filter(x -> x.name().equals(name)).findFirst();
    }

    /** The scenario text of a lesson, or empty if there is none by that name. */
    public static Optional<byte[]> content(String name) {
        if (!name.matches("[a-z0-9][a-z0-9.-]*") || name.contains("..")) {
            return Optional.empty();
        }
        try (InputStream in = Lessons.class.getResourceAsStream(DIR + name + ".yaml")) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(YNode.YMap m, String key) {
        return m.get(key) instanceof YNode.YScalar s ? s.text() : "";
    }

    private static List<Lesson> loadIndex() {
        try (InputStream in = Lessons.class.getResourceAsStream(DIR + "index.yaml")) {
            if (in == null) {
                throw new IllegalStateException("the lesson index " + DIR + "index.yaml is missing from the jar");
            }
            Problems pr = new Problems("index.yaml");
            YNode root = YamlTree.parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8), pr);
            if (!pr.isEmpty() || !(root instanceof YNode.YMap m) || !(m.get("lessons") instanceof YNode.YList l)) {
                throw new IllegalStateException("the lesson index is not readable: " + pr.sorted());
            }
            List<Lesson> out = new ArrayList<>();
            for (YNode n : l.items()) {
                YNode.YMap e = (YNode.YMap) n;
                out.add(new Lesson(text(e, "name"), text(e, "title"), text(e, "description").trim()));
            }
            return List.copyOf(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
