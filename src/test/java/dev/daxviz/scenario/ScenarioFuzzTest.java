package dev.daxviz.scenario;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Fuzzing the scenario reader and builder (issue 9): mutated built-in lessons, random bytes and YAML-ish noise
 * must each give either a world that runs (read → build → run → result JSON, as {@code daxviz run --json}) or a
 * {@link ScenarioException} whose every problem reads {@code file:line:col: key.path: what — how}. Any other
 * exception, or a case that takes longer than {@link #BOUND}, fails the property.
 *
 * <p>Tries: the properties without an explicit {@code tries} use jqwik's default, 1,000 (the default run); the
 * long run raises it with {@code -Djqwik.tries.default=N} (the {@code long} Maven profile: 20,000). The
 * number of cases run, and how they ended, is printed when the class is done ("scenario fuzz: …").
 *
 * <p>A crash found here is fixed in the reader or builder and its input kept in {@code malformed/} with its
 * expected message ({@link MalformedCorpusTest}).
 */
class ScenarioFuzzTest {
    /** Per-case bound: a case that does not finish in this time is a hang. */
    static final Duration BOUND = Duration.ofSeconds(5);
    /** The 1 TiB lesson builds 49,000 files: its mutants get a longer bound (still far from a hang). */
    static final Duration BIG_BOUND = Duration.ofSeconds(20);
    static final String BIG = "big-1tib";

    private static final Pattern MESSAGE = Pattern.compile("\\Qfuzz.yaml\\E:([1-9]\\d*):([1-9]\\d*): \\S.*: .+ — .+");

    /** Per property: {cases passed, built and ran, rejected with messages, slowest ns, failed}. */
    private static final Map<String, AtomicLong[]> STATS = new ConcurrentSkipListMap<>();

    // ------------------------------------------------------------------ the oracle

    /** Reads, builds and runs {@code content}; asserts it ends in a world or in well-formed problems, in time. */
    static void check(String what, byte[] content, Duration bound) {
        AtomicLong[] st = STATS.computeIfAbsent(what, k -> new AtomicLong[] {new AtomicLong(), new AtomicLong(),
            new AtomicLong(), new AtomicLong(), new AtomicLong()});
        long t0 = System.nanoTime();
        try {
            run(content, bound, st);
        } catch (AssertionError | RuntimeException e) {
            st[4].incrementAndGet();
            throw e;
        }
        st[0].incrementAndGet();
        st[3].accumulateAndGet(System.nanoTime() - t0, Math::max);
    }

    private static void run(byte[] content, Duration bound, AtomicLong[] st) {
        assertTimeoutPreemptively(bound, () -> {
            try {
                BuiltScenario b = Scenarios.build(new Scenarios.Source("fuzz.yaml", content), null);
                assertThat(b.world()).isNotNull();
                String json = ResultJson.write(ScenarioRunner.run(b));
                assertThat(json).startsWith("{");
                st[1].incrementAndGet();
            } catch (ScenarioException e) {
                assertThat(e.problems()).as("a ScenarioException lists its problems").isNotEmpty();
                for (Problem p : e.problems()) {
                    String m = p.toString();
                    Matcher mm = MESSAGE.matcher(m);
                    assertThat(mm.matches()).as("message shape file:line:col: key.path: what — how, got:%n%s%nfor%n%s",
                            m, show(content)).isTrue();
                }
                st[2].incrementAndGet();
            } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
                throw new AssertionError("not a ScenarioException: " + e + "\nfor input:\n" + show(content), e);
            }
        }, () -> "longer than " + bound.toSeconds() + " s (a hang?) for input:\n" + show(content));
    }

    private static String show(byte[] content) {
        String s = new String(content, StandardCharsets.ISO_8859_1);
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(c == '\n' || (c >= 0x20 && c < 0x7f) ? String.valueOf(c) : String.format("\\x%02x", (int) c));
        }
        return b.length() > 6000 ? b.substring(0, 6000) + "…" : b.toString();
    }

    @AfterContainer
    static void report() {
        long all = 0;
        long failed = 0;
        for (Map.Entry<String, AtomicLong[]> e : STATS.entrySet()) {
            AtomicLong[] st = e.getValue();
            all += st[0].get();
            failed += st[4].get();
            System.out.printf("scenario fuzz: %-16s %6d cases: %6d built and ran, %6d rejected with messages; slowest "
                    + "%.0f ms%s%n", e.getKey(), st[0].get(), st[1].get(), st[2].get(), st[3].get() / 1e6,
                    st[4].get() == 0 ? "" : "; " + st[4].get() + " FAILED (with shrinking)");
        }
        System.out.printf("scenario fuzz: %d cases passed in all%s%n", all, failed == 0
                ? ": no other exception, no hang" : ", " + failed + " failed");
    }

    // ------------------------------------------------------------------ properties

    /** A built-in lesson (all but the 1 TiB one) after 1 to 4 random mutations. */
    @Property
    void mutatedLessonsBuildOrExplain(@ForAll("smallLesson") String lesson,
                                      @ForAll @Size(min = 1, max = 4) List<@net.jqwik.api.From("mutation") Mut> muts) {
        check("mutated lesson", Mutator.apply(Lessons.content(lesson).orElseThrow(), muts), BOUND);
    }

    /** The 1 TiB lesson (generated files: count) after 1 to 3 mutations. Few tries: each builds a big world. */
    @Property(tries = 12)
    void mutatedBigLessonBuildsOrExplains(@ForAll @Size(min = 1, max = 3) List<@net.jqwik.api.From("mutation") Mut> muts) {
        check("mutated 1 TiB", Mutator.apply(Lessons.content(BIG).orElseThrow(), muts), BIG_BOUND);
    }

    /** Random bytes: binary garbage, nothing a scenario could be. */
    @Property
    void randomBytesAreRejectedWithMessages(@ForAll @Size(max = 3000) byte[] bytes) {
        check("random bytes", bytes, BOUND);
    }

    /** YAML-ish noise: the punctuation YAML and JSON give meaning to, with or without a valid start. */
    @Property
    void yamlNoiseIsRejectedOrBuilt(@ForAll("yamlNoise") String text) {
        check("yaml noise", text.getBytes(StandardCharsets.UTF_8), BOUND);
    }

    @Provide
    Arbitrary<String> smallLesson() {
        return Arbitraries.of(Lessons.all().stream().map(Lessons.Lesson::name).filter(n -> !n.equals(BIG)).toList());
    }

    @Provide
    Arbitrary<Mut> mutation() {
        return Combinators.combine(Arbitraries.integers().between(0, Mutator.KINDS - 1),
                Arbitraries.integers().between(0, 1 << 20), Arbitraries.integers().between(0, 1 << 20),
                Arbitraries.integers().between(0, 1 << 20)).as(Mut::new);
    }

    @Provide
    Arbitrary<String> yamlNoise() {
        Arbitrary<String> noise = Arbitraries.strings()
                .withChars("{}[]:,-#&*!|>'\"%@`?~ \n\n\t\r\\0123456789abcdefxyz.{n}")
                .withChars("äé€\u2028\uFEFF").ofMaxLength(300);
        Arbitrary<String> prefix = Arbitraries.of("", "format: 1\n", "format: 1\ndevice: {size: 64MiB, physAddr: "
                + "0x100000000}\n", "format: 1\ndevice: {size: 64MiB, physAddr: 0x100000000}\nfilesystem: {type: xfs}\n"
                + "files:\n  - ", "{\"format\": 1, ");
        return Combinators.combine(prefix, noise).as(String::concat);
    }

    // ------------------------------------------------------------------ mutations

    /** One mutation: its kind and three numbers that pick where and what (taken modulo what the text has). */
    record Mut(int kind, int a, int b, int c) {
    }

    /**
     * Mutations of a scenario's bytes. Text-level edits work on the bytes read as ISO-8859-1 (one char per byte),
     * so invalid UTF-8 and binary garbage survive them unchanged.
     */
    static final class Mutator {
        static final int KINDS = 13;

        static final String[] NUMBERS = {"0", "-1", "1", "3", "4095", "4096", "4097", "65536", "100000", "100001",
            "200001", "2147483647", "2147483648", "4294967296", "9223372036854775807", "9223372036854775808",
            "-9223372036854775808", "99999999999999999999999999", "0x0", "0xffffffffffffffff", "0x", "1PiB",
            "1023PiB", "1TiB", "4KB", "-4KiB", "0.5", "1e9", "1_000", "0o17", "0b101", ".inf", ".nan", "0x10c01",
            "2MiB", "12"};
        static final String[] KEYS = {"format", "title", "description", "kernel", "seed", "device", "filesystem",
            "files", "processes", "sysctl", "events", "name", "size", "physAddr", "dataOffset", "mode", "type",
            "blockSize", "agCount", "reflink", "rmapbt", "log", "realtime", "logDevice", "rtDevice", "dax", "state",
            "mountedAfterSetup", "shutdownReason", "path", "ag", "align", "extents", "xattrBlocks", "fragments",
            "rt", "count", "offset", "agno", "agbno", "length", "from", "to", "pid", "comm", "earlyKill",
            "onSigbus", "maps", "touched", "pmd", "address", "write", "touch", "punch", "unlink", "exit", "poison",
            "remove", "at", "source", "fork", "pfn", "deviceOffset", "daddr", "metadata", "bogus", "Size", "<<",
            "vm.memory_failure_early_kill", "vm.memory_failure_recovery"};
        static final String[] VALUES = {"[]", "[1, 2]", "{}", "{a: 1}", "null", "~", "true", "no", "\"\"", "3.5", "-",
            "|\n  text", ">-\n  folded", "!!binary aGVsbG8=", "!!str 12", "!!int \"x\"", "!!float 1", "*undefined",
            "&a 1", "2001-12-14", "[[[[[[[]]]]]]]", "\"/data/a.bin\"", "/", "/data/../x", "/dev/dax0.0", "\"6.12\"",
            "\"5.17\"", "devdax", "fsdax", "external", "inode", "shutdown", "unmounted", "attr", "bmbt", "log",
            "consume", "madvise", "inject", "all", "none", "[0, 4KiB]", "late", "early", "handle", "\"{n}\"",
            "/data/f{n}.bin", "\"\\u0000\"", "\"a\\nb\"", "'single'", "\"" + "x".repeat(300) + "\""};
        static final String[] LINES = {"---", "...", "%YAML 1.1", "&anchor", "<<: *a", "? complex key\n: value",
            "!!map {}", "\t", "#", "- - -", "[".repeat(2000), "{".repeat(600), "- ".repeat(400) + "x",
            "a: &x [*x]", "x: " + "a".repeat(100_000), "\uFEFF", "\r", "\u2028", "  - {path: \"/g/f{n}\", count: 50, "
                + "size: 4KiB}", "  - {path: \"/g/c{n}\", count: 100000, reflink: /data/a.bin}", "files: *a",
            "  - {path: /x, size: 1TiB}", "events: [{poison: {at: {pfn: 0}}}]",
            "processes: [{pid: 1, comm: a, maps: [{path: /data/a.bin, length: 1PiB}]}]"};
        static final String[] GARBAGE = {"\u0000", "\u00ff\u00fe", "\u00c3(", "\u00e2\u0082", "\u0007\u001b[31m",
            "{", "}", "[", "]", ":", ": ", "\"", "'", "\t", "&", "*", "!", "%", "@", "`", "|", ">", "\n", "\n  ",
            "\\", "#", ",", "\u00ef\u00bb\u00bf"};

        private static final Pattern NUMBER = Pattern.compile("(?<![\\w.])(0x[0-9a-fA-F]+|\\d+)(KiB|MiB|GiB|TiB)?");
        private static final Pattern KEY = Pattern.compile("(?m)(?:^[ \\t]*(?:-[ \\t]+)?|[{,][ \\t]*)([A-Za-z_.<]+)"
                + "([ \\t]*:)");
        private static final Pattern VALUE = Pattern.compile(":[ \\t]+([^\\s,{}\\[\\]#][^,{}\\[\\]#\\n]*)");
        private static final Pattern PATH = Pattern.compile("path: (/[\\w./-]*)");

        static byte[] apply(byte[] content, List<Mut> muts) {
            String s = new String(content, StandardCharsets.ISO_8859_1);
            for (Mut m : muts) {
                s = one(s, m);
            }
            return s.getBytes(StandardCharsets.ISO_8859_1);
        }

        /** Text as the bytes of its UTF-8 encoding, one char per byte. */
        private static String raw(String text) {
            return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        }

        static String one(String s, Mut m) {
            List<String> lines = new ArrayList<>(List.of(s.split("\n", -1)));
            int n = lines.size();
            switch (m.kind()) {
                case 0: // delete a line
                    lines.remove(m.a() % n);
                    return String.join("\n", lines);
                case 1: // duplicate a line
                    lines.add(m.a() % n, lines.get(m.a() % n));
                    return String.join("\n", lines);
                case 2: { // swap two lines
                    int i = m.a() % n;
                    int j = m.b() % n;
                    String t = lines.get(i);
                    lines.set(i, lines.get(j));
                    lines.set(j, t);
                    return String.join("\n", lines);
                }
                case 3: // a number becomes huge, negative, zero, fractional, another notation
                    return replaceNth(s, NUMBER, 0, m.a(), NUMBERS[m.b() % NUMBERS.length]);
                case 4: { // two keys swap names
                    List<int[]> keys = spans(s, KEY, 1);
                    if (keys.size() < 2) {
                        return s;
                    }
                    int[] x = keys.get(m.a() % keys.size());
                    int[] y = keys.get(m.b() % keys.size());
                    if (x[0] > y[0]) {
                        int[] t = x;
                        x = y;
                        y = t;
                    }
                    if (x[0] == y[0]) {
                        return s;
                    }
                    return s.substring(0, x[0]) + s.substring(y[0], y[1]) + s.substring(x[1], y[0])
                            + s.substring(x[0], x[1]) + s.substring(y[1]);
                }
                case 5: // a key becomes another (valid somewhere else, misspelt or unknown)
                    return replaceNth(s, KEY, 1, m.a(), KEYS[m.b() % KEYS.length]);
                case 6: // truncated
                    return s.substring(0, m.a() % (s.length() + 1));
                case 7: { // garbage bytes inserted
                    int at = m.a() % (s.length() + 1);
                    StringBuilder g = new StringBuilder(GARBAGE[m.b() % GARBAGE.length]);
                    java.util.Random r = new java.util.Random(m.c());
                    for (int k = 0; k < m.c() % 4; k++) {
                        g.append((char) r.nextInt(256));
                    }
                    return s.substring(0, at) + g + s.substring(at);
                }
                case 8: // a value changes type (or becomes another valid value of another key)
                    return replaceNth(s, VALUE, 1, m.a(), raw(VALUES[m.b() % VALUES.length]));
                case 9: { // indentation changes
                    int i = m.a() % n;
                    int d = m.b() % 9 - 4;
                    String l = lines.get(i);
                    lines.set(i, d >= 0 ? " ".repeat(d) + l : l.substring(Math.min(-d, l.length() - l.stripLeading()
                            .length())));
                    return String.join("\n", lines);
                }
                case 10: // a YAML feature (or a nasty line) inserted
                    lines.add(m.a() % (n + 1), raw(LINES[m.b() % LINES.length]));
                    return String.join("\n", lines);
                case 11: { // a file becomes a generator: {n} in its path and a count
                    List<int[]> paths = spans(s, PATH, 1);
                    if (paths.isEmpty()) {
                        return s;
                    }
                    int[] p = paths.get(m.a() % paths.size());
                    String count = m.c() % 3 == 0 ? NUMBERS[m.b() % NUMBERS.length] : Integer.toString(1 + m.b() % 40);
                    return s.substring(0, p[1]) + "{n}, count: " + count + s.substring(p[1]);
                }
                case 12: { // a path names another file (or itself, or a generated one)
                    List<int[]> paths = spans(s, PATH, 1);
                    if (paths.size() < 2) {
                        return s;
                    }
                    int[] x = paths.get(m.a() % paths.size());
                    int[] y = paths.get(m.b() % paths.size());
                    String other = s.substring(y[0], y[1]) + (m.c() % 4 == 0 ? "{n}" : "");
                    return s.substring(0, x[0]) + other + s.substring(x[1]);
                }
                default:
                    return s;
            }
        }

        private static List<int[]> spans(String s, Pattern p, int group) {
            List<int[]> out = new ArrayList<>();
            Matcher m = p.matcher(s);
            while (m.find()) {
                out.add(new int[] {m.start(group), m.end(group)});
            }
            return out;
        }

        private static String replaceNth(String s, Pattern p, int group, int which, String with) {
            List<int[]> sp = spans(s, p, group);
            if (sp.isEmpty()) {
                return s;
            }
            int[] x = sp.get(which % sp.size());
            return s.substring(0, x[0]) + with + s.substring(x[1]);
        }
    }
}
