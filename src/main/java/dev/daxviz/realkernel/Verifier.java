package dev.daxviz.realkernel;

import dev.daxviz.model.KernelProfile;
import dev.daxviz.realkernel.HostTools.Tool;
import dev.daxviz.scenario.BuiltScenario;
import dev.daxviz.scenario.RunResult;
import dev.daxviz.scenario.ScenarioBuilder;
import dev.daxviz.scenario.ScenarioRunner;
import dev.daxviz.scenario.Scenarios;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Checks a scenario against a real kernel: the simulation runs it, the {@link GuestTranslator} turns it into a guest
 * plan, Debian's kernel boots in qemu on an emulated pmem device and runs the plan, and the real events are put beside
 * the simulated ones ({@link Comparison}).
 *
 * <h2>API for the app</h2>
 * Call {@link #verify(BuiltScenario, VerifyOptions, StageListener, CancelToken)} (or the {@code String} form for a
 * file or {@code builtin:NAME}) on a worker thread, never on the event thread: a cold run downloads a kernel (70 to
 * 106 MB) and every run boots a VM (about 5 to 10 s under TCG). Progress arrives through the {@link StageListener}
 * on that worker thread; {@link CancelToken#cancel()} from any thread kills qemu and ends the call with
 * {@link Cancelled}. The {@link VerifyReport} holds, per event, {@link DiffRow}s (field, simulated value, real value,
 * same / differs / approximate / notReproducible, note), the plan's fidelity notes, the raw log paths, and an error
 * when the real kernel could not be run ({@link VerifyReport.Verdict#UNAVAILABLE}) or the scenario cannot run on one
 * ({@link VerifyReport.Verdict#REFUSED}). An invalid scenario throws {@code ScenarioException} as everywhere else.
 */
public final class Verifier {
    private static final java.time.Duration KVM_BOOT = java.time.Duration.ofSeconds(20);

    private Verifier() {
    }

    /** Verifies a scenario file or {@code builtin:NAME}. */
    public static VerifyReport verify(String scenarioSpec, VerifyOptions o, StageListener listener, CancelToken cancel) {
        KernelProfile p = o.kernel() == null ? null : profile(o.kernel());
        return run(Scenarios.build(scenarioSpec, p), o, listener, cancel);
    }

    /** Verifies a built scenario (under {@code o.kernel()} when set, else its own profile). */
    public static VerifyReport verify(BuiltScenario b, VerifyOptions o, StageListener listener, CancelToken cancel) {
        BuiltScenario built = o.kernel() == null || o.kernel().equals(b.profile().id()) ? b
                : ScenarioBuilder.build(b.scenario(), profile(o.kernel()));
        return run(built, o, listener, cancel);
    }

    private static KernelProfile profile(String id) {
        return KernelProfile.byId(id).orElseThrow(() -> new IllegalArgumentException("no kernel profile " + id));
    }

    private static VerifyReport run(BuiltScenario b, VerifyOptions o, StageListener listener, CancelToken cancel) {
        StageClock clock = new StageClock(listener);
        RunResult sim = ScenarioRunner.run(b);
        GuestPlan plan = GuestTranslator.translate(sim);
        String profile = b.profile().id();
        if (plan.refused()) {
            return new VerifyReport(VerifyReport.Verdict.REFUSED, b.scenario().title(),
                    new VerifyReport.KernelInfo(profile, null, null, null, false, false), null, clock.seconds(), sim,
                    plan, null, List.of(), null, String.join("; ", plan.refusals()));
        }
        clock.stage(Stage.TOOLS, "checking the host tools");
        Map<Tool, Path> overrides = new EnumMap<>(Tool.class);
        if (o.qemu() != null) {
            overrides.put(Tool.QEMU, o.qemu());
        }
        HostTools tools = HostTools.system(overrides);
        Path logs = null;
        VerifyReport.KernelInfo info = new VerifyReport.KernelInfo(profile, null, null, null, false, false);
        try {
            tools.require(HostTools.GUEST);
            cancel.check();
            KernelCache cache = new KernelCache(o.cacheRoot(), tools);
            KernelCache.Kernel k = cache.ensure(profile, o.source(), clock, cancel);
            info = new VerifyReport.KernelInfo(profile, null, k.packageName(), k.version(), k.fetched(), k.built());
            clock.stage(Stage.BUILD_GUEST, "writing the guest plan");
            logs = logsDir(o, b.scenario().title(), profile);
            Path planFile = logs.resolve("plan.sh");
            Files.writeString(planFile, plan.script());
            Path initrd = logs.resolve("initrd.gz");
            writeInitrd(k.base(), plan.script(), initrd);
            GuestRun run = boot(o, tools, k, plan, logs, initrd, clock, cancel);
            Files.deleteIfExists(initrd);
            clock.stage(Stage.COMPARE, "comparing");
            RealRun real = ProtocolParser.parse(readLines(logs.resolve("proto.log")), readString(logs.resolve(
                    "console.log")));
            info = new VerifyReport.KernelInfo(profile, real.kernelRelease(), k.packageName(), k.version(), k.fetched(),
                    k.built());
            VerifyReport.RawLogs raw = new VerifyReport.RawLogs(logs, logs.resolve("console.log"),
                    logs.resolve("proto.log"), planFile, logs.resolve("qemu.out"), logs.resolve("verify.json"));
            if (!run.outcome().sawInit()) {
                return unavailable(b, info, run.accel(), clock, sim, plan, raw, bootFailure(run.outcome(), o));
            }
            List<DiffRow> rows = new ArrayList<>(Comparison.compare(sim, plan, real));
            if (run.outcome().status() == QemuRunner.Status.RUN_TIMEOUT) {
                rows.add(0, new DiffRow(null, "guest", "ran to the end", "hung: no END within "
                        + o.runDeadline().toSeconds() + " s", DiffRow.Status.DIFFERS, "see the console log"));
            }
            VerifyReport.Verdict v = Comparison.agree(rows) ? VerifyReport.Verdict.AGREE : VerifyReport.Verdict.DIFFER;
            return new VerifyReport(v, b.scenario().title(), info, run.accel(), clock.seconds(), sim, plan, real, rows,
                    raw, null);
        } catch (KernelUnavailable e) {
            return unavailable(b, info, null, clock, sim, plan, null, e.getMessage());
        } catch (HostCommand.HostCommandFailed e) {
            return unavailable(b, info, null, clock, sim, plan, null, e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static VerifyReport unavailable(BuiltScenario b, VerifyReport.KernelInfo info, String accel,
                                            StageClock clock, RunResult sim, GuestPlan plan, VerifyReport.RawLogs raw,
                                            String why) {
        return new VerifyReport(VerifyReport.Verdict.UNAVAILABLE, b.scenario().title(), info, accel, clock.seconds(),
                sim, plan, null, List.of(), raw, why);
    }

    private record GuestRun(QemuRunner.Outcome outcome, String accel) {
    }

    /** Boots the guest; under --accel auto, KVM first (under the boot deadline), then TCG. */
    private static GuestRun boot(VerifyOptions o, HostTools tools, KernelCache.Kernel k, GuestPlan plan, Path logs,
                                 Path initrd, StageListener stages, CancelToken cancel) {
        String accel = o.accel();
        String note = "";
        if (accel.equals("auto")) {
            if (kvmUsable()) {
                // KVM boots to init in about a second when it works; where nested virtualisation is broken it aborts
                // or hangs, so it gets a short deadline of its own
                VerifyOptions shortBoot = o.withDeadlines(KVM_BOOT.compareTo(o.bootDeadline()) < 0 ? KVM_BOOT
                        : o.bootDeadline(), o.runDeadline());
                QemuRunner.Outcome kvm = once(shortBoot, tools, k, plan, logs, initrd, "kvm", stages, cancel);
                if (kvm.sawInit()) {
                    return new GuestRun(kvm, "kvm");
                }
                note = " (kvm did not boot: " + (kvm.status() == QemuRunner.Status.BOOT_TIMEOUT ? "no INIT within "
                        + shortBoot.bootDeadline().toSeconds() + " s" : "qemu exited " + kvm.qemuExit() + ": "
                        + HostCommand.tail(kvm.qemuOutput())) + ")";
            } else {
                note = " (no usable /dev/kvm)";
            }
            accel = "tcg";
        }
        return new GuestRun(once(o, tools, k, plan, logs, initrd, accel, stages, cancel), accel + note);
    }

    private static QemuRunner.Outcome once(VerifyOptions o, HostTools tools, KernelCache.Kernel k, GuestPlan plan,
                                           Path logs, Path initrd, String accel, StageListener stages,
                                           CancelToken cancel) {
        stages.stage(Stage.BOOT, "booting " + k.unameR() + " (" + accel + ")");
        QemuRunner.Spec spec = new QemuRunner.Spec(Path.of(tools.path(Tool.QEMU)), accel, k.bootImage(), initrd,
                plan.machine(), logs.resolve("console.log"), logs.resolve("proto.log"), logs.resolve("qemu.out"),
                o.bootDeadline(), o.runDeadline());
        int events = plan.events().size();
        return QemuRunner.run(spec, line -> {
            if (line.startsWith("INIT ")) {
                stages.stage(Stage.SETUP, "setting up the world");
            } else if (line.startsWith("EVENT i=")) {
                String n = line.replaceAll(".* n=(\\S+).*", "$1");
                String kind = line.replaceAll(".* kind=(\\S+).*", "$1");
                stages.stage(Stage.EVENT, "event " + n + " (" + kind + ")");
            } else if (line.startsWith("STOP ")) {
                stages.stage(Stage.EVENT, "the kernel crashed: " + line.substring(5) + " (" + events + " events planned)");
            }
        }, cancel);
    }

    private static String bootFailure(QemuRunner.Outcome out, VerifyOptions o) {
        return switch (out.status()) {
            case BOOT_TIMEOUT -> "the guest did not start within " + o.bootDeadline().toSeconds() + " s (no INIT line "
                    + "on its protocol port); qemu said: " + orNothing(out.qemuOutput());
            case EXITED_EARLY -> "qemu exited (status " + out.qemuExit() + ") before the guest started: "
                    + orNothing(out.qemuOutput());
            default -> "the guest did not start (" + out.status() + ")";
        };
    }

    private static String orNothing(String s) {
        String t = HostCommand.tail(s);
        return t.isEmpty() ? "nothing" : t;
    }

    private static boolean kvmUsable() {
        Path kvm = Path.of("/dev/kvm");
        return Files.isReadable(kvm) && Files.isWritable(kvm);
    }

    /** /init and the plan, appended to the cached base: the kernel unpacks both archives, later files winning. */
    static void writeInitrd(Path base, String plan, Path initrd) throws IOException {
        byte[] init;
        try (InputStream in = Verifier.class.getResourceAsStream("/dev/daxviz/realkernel/init.sh")) {
            if (in == null) {
                throw new IllegalStateException("init.sh is missing from the jar");
            }
            init = in.readAllBytes();
        }
        byte[] scenario = CpioArchive.build(a -> {
            a.file("/init", 0755, init);
            a.dir("/scen");
            a.file("/scen/plan.sh", 0644, plan.getBytes(StandardCharsets.UTF_8));
        });
        Files.copy(base, initrd, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.write(initrd, scenario, StandardOpenOption.APPEND);
    }

    private static Path logsDir(VerifyOptions o, String title, String profile) throws IOException {
        if (o.logsDir() != null) {
            Files.createDirectories(o.logsDir());
            return o.logsDir();
        }
        Path runs = o.cacheRoot().resolve("runs");
        Files.createDirectories(runs);
        pruneRuns(runs);
        String name = title.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        if (name.length() > 40) {
            name = name.substring(0, 40);
        }
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS"));
        return Files.createDirectories(runs.resolve(stamp + "-" + profile + "-" + name));
    }

    /** Keeps the 30 newest run folders of the cache. */
    private static void pruneRuns(Path runs) throws IOException {
        try (Stream<Path> s = Files.list(runs)) {
            List<Path> all = s.filter(Files::isDirectory).sorted().toList();
            for (int i = 0; i < all.size() - 30; i++) {
                KernelUnpacker.deleteTree(all.get(i));
            }
        }
    }

    private static List<String> readLines(Path p) throws IOException {
        if (!Files.exists(p)) {
            return List.of();
        }
        return new String(Files.readAllBytes(p), StandardCharsets.UTF_8).replace("\r", "").lines().toList();
    }

    private static String readString(Path p) throws IOException {
        return Files.exists(p) ? new String(Files.readAllBytes(p), StandardCharsets.UTF_8) : "";
    }
}
