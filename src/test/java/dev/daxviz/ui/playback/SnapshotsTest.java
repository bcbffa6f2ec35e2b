package dev.daxviz.ui.playback;

import dev.daxviz.engine.FailureEvent;
import dev.daxviz.engine.Outcome;
import dev.daxviz.engine.Touch;
import dev.daxviz.engine.TraceStep;
import dev.daxviz.model.Process;
import dev.daxviz.model.RmapRecord;
import dev.daxviz.model.Units;
import dev.daxviz.model.World;
import dev.daxviz.scenario.Lessons;
import dev.daxviz.ui.Session;
import dev.daxviz.ui.UiWorlds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The snapshot function on every built-in lesson: what each step highlights comes from that trace step's touches,
 * stepping back and forth is exact, and the last step agrees with the engine's outcome. The expectations are
 * computed here from the traces, the outcomes and the worlds (what the engine said), not from Snapshots' code.
 */
class SnapshotsTest {

    static Stream<String> lessons() {
        return Lessons.all().stream().map(Lessons.Lesson::name);
    }

    private static final Map<String, Session.State> STATES = new HashMap<>();

    static synchronized Session.State state(String lesson) {
        return STATES.computeIfAbsent(lesson, UiWorlds::lesson);
    }

    @Test
    void everyLessonHasATraceToPlay() {
        assertThat(lessons()).hasSizeGreaterThanOrEqualTo(30).contains("default");
        for (String l : lessons().toList()) {
            assertThat(new Timeline(state(l)).size()).as(l).isPositive();
        }
    }

    // ------------------------------------------------------------------ the timeline

    @ParameterizedTest
    @MethodSource("lessons")
    void timelineIsEveryEventsTraceInOrder(String lesson) {
        Session.State st = state(lesson);
        Timeline tl = new Timeline(st);
        int i = 0;
        for (int e = 0; e < st.events().size(); e++) {
            assertThat(tl.firstStepOf(e)).isEqualTo(i);
            Session.EventEntry ev = st.events().get(e);
            if (ev.result() == null) {
                continue;
            }
            List<TraceStep> t = ev.result().trace();
            for (int s = 0; s < t.size(); s++, i++) {
                Timeline.Entry en = tl.get(i);
                assertThat(en.event()).isEqualTo(e);
                assertThat(en.step()).isEqualTo(s);
                assertThat(en.trace()).isSameAs(t.get(s));
            }
        }
        assertThat(tl.size()).isEqualTo(i);
        int lastWithSteps = -1;
        for (int e = 0; e < st.events().size(); e++) {
            var r = st.events().get(e).result();
            if (r != null && !r.trace().isEmpty()) {
                lastWithSteps = e;
            }
        }
        assertThat(tl.lastEventStart()).isEqualTo(lastWithSteps < 0 ? 0 : tl.firstStepOf(lastWithSteps));
    }

    // ------------------------------------------------------------------ each step's highlights

    @ParameterizedTest
    @MethodSource("lessons")
    void eachStepsHighlightsComeFromItsTouches(String lesson) {
        Session.State st = state(lesson);
        Timeline tl = new Timeline(st);
        for (int k = 0; k < tl.size(); k++) {
            PlaybackSnapshot s = Snapshots.at(tl, k, 1f);
            Timeline.Entry en = tl.get(k);
            Session.EventEntry ev = st.events().get(en.event());
            List<TraceStep> trace = ev.result().trace();
            TraceStep step = en.trace();
            String at = lesson + " step " + k + " (" + step.function() + ")";

            assertThat(s.step()).as(at).isEqualTo(k);
            assertThat(s.total()).isEqualTo(tl.size());
            assertThat(s.current()).as(at).isEqualTo(step);
            assertThat(s.narration()).as(at).isEqualTo(step.narration());
            assertThat(s.eventIndex()).isEqualTo(en.event());
            assertThat(s.t()).isEqualTo(1f);

            // btree: the block read in this step, the blocks read so far in this AG, the records matched so far
            String currentNode = null;
            Integer stepAg = null;
            for (Touch t : step.touches()) {
                if (t instanceof Touch.BtreeNode n) {
                    currentNode = n.node();
                    stepAg = n.agno();
                }
            }
            assertThat(s.currentNode()).as(at).isEqualTo(currentNode);
            if (stepAg != null) {
                assertThat(s.btreeAgno()).as(at).isEqualTo(stepAg);
                assertThat(s.visited()).as(at).contains(currentNode);
            }
            Set<String> visited = new LinkedHashSet<>();
            Set<RmapRecord> matched = new LinkedHashSet<>();
            int ag = -1;
            for (int i = 0; i <= en.step(); i++) {
                for (Touch t : trace.get(i).touches()) {
                    if (t instanceof Touch.BtreeNode n) {
                        if (n.agno() != ag) { // a query in another AG starts a new descent
                            visited.clear();
                            ag = n.agno();
                        }
                        visited.add(n.node());
                    } else if (t instanceof Touch.RmapRec r) {
                        matched.add(r.record());
                    }
                }
            }
            assertThat(s.btreeAgno()).as(at).isEqualTo(ag);
            assertThat(s.visited()).as(at).isEqualTo(visited);
            assertThat(s.matched()).as(at).isEqualTo(matched);

            // the grid glows at this step's pages and at every page of this step's extents
            World before = ev.before();
            List<PlaybackSnapshot.Range> glow = new ArrayList<>();
            Set<Long> files = new HashSet<>();
            for (Touch t : step.touches()) {
                if (t instanceof Touch.Page p) {
                    glow.add(new PlaybackSnapshot.Range(p.pfn(), p.pfn() + 1));
                } else if (t instanceof Touch.Extent x) {
                    long first = before.addressing().ofFsblock(x.fsblock()).pfn();
                    glow.add(new PlaybackSnapshot.Range(first, first + x.blockcount()));
                    files.add(x.ino());
                    // those pages are the file's pages at those offsets
                    for (long j = 0; j < x.blockcount(); j++) {
                        var a = before.addressing().ofFile(x.path(), (x.fileBlock() + j) * Units.PAGE_SIZE);
                        assertThat(a).as(at + " " + x).isNotNull();
                        assertThat(a.pfn()).as(at + " " + x + " block " + j).isEqualTo(first + j);
                    }
                } else if (t instanceof Touch.Inode i) {
                    files.add(i.ino());
                } else if (t instanceof Touch.PageEntry pe) {
                    files.add(pe.ino());
                }
            }
            assertThat(s.glow()).as(at).containsExactlyElementsOf(glow);
            assertThat(s.files()).as(at).isEqualTo(files);

            // badges: earlier events' signals, then this event's kill_procs touches so far
            Map<Integer, String> badges = new HashMap<>();
            Set<Integer> killed = new TreeSet<>();
            for (int e = 0; e < en.event(); e++) {
                Session.EventEntry prev = st.events().get(e);
                if (prev.result() != null) {
                    prev.result().outcome().signals().forEach(x -> badges.put(x.pid(), x.actionRequired() ? "AR" : "AO"));
                    prev.after().processes().stream().filter(p -> p.state() == Process.State.KILLED)
                            .forEach(p -> killed.add(p.pid()));
                }
            }
            for (int i = 0; i <= en.step(); i++) {
                for (Touch t : trace.get(i).touches()) {
                    if (t instanceof Touch.Process p && p.signal() != null) {
                        assertThat(p.signal()).isIn("BUS_MCEERR_AR", "BUS_MCEERR_AO");
                        assertThat(trace.get(i).function()).isEqualTo("kill_procs");
                        badges.put(p.pid(), p.signal().equals("BUS_MCEERR_AR") ? "AR" : "AO");
                        if (ev.after().process(p.pid()).orElseThrow().state() == Process.State.KILLED) {
                            killed.add(p.pid());
                        }
                    }
                }
            }
            assertThat(s.badges()).as(at).isEqualTo(badges);
            assertThat(new TreeSet<>(s.killed())).as(at).isEqualTo(killed);

            // the call chain: memory_failure (or kill_dax) at the bottom, this step on top, each frame the latest
            // step at its depth
            List<PlaybackSnapshot.Frame> stack = s.stack();
            assertThat(stack).as(at).hasSize(step.depth() + 1);
            assertThat(stack.get(stack.size() - 1)).isEqualTo(new PlaybackSnapshot.Frame(step.function(), step.file()));
            for (int d = 0; d < step.depth(); d++) {
                TraceStep caller = null;
                for (int i = en.step() - 1; i >= 0; i--) {
                    if (trace.get(i).depth() == d) {
                        caller = trace.get(i);
                        break;
                    }
                    assertThat(trace.get(i).depth()).as(at + ": steps since the caller are deeper").isGreaterThan(d);
                }
                assertThat(caller).as(at + ": a caller at depth " + d).isNotNull();
                assertThat(stack.get(d)).as(at + " frame " + d)
                        .isEqualTo(new PlaybackSnapshot.Frame(caller.function(), caller.file()));
            }

            // the kernel log so far
            List<String> dmesg = new ArrayList<>(st.setupLog());
            for (int e = 0; e < en.event(); e++) {
                dmesg.addAll(st.events().get(e).log());
            }
            for (int i = 0; i <= en.step(); i++) {
                dmesg.addAll(trace.get(i).log());
            }
            assertThat(s.dmesg()).as(at).isEqualTo(dmesg);

            // the world drawn: before the event until its last step
            boolean lastOfEvent = en.step() == trace.size() - 1;
            assertThat(s.world()).as(at).isEqualTo(lastOfEvent ? ev.after() : ev.before());
            Outcome o = ev.result().outcome();
            assertThat(s.pulsePfn()).isEqualTo(o.address() == null ? -1 : o.address().pfn());
            if (lastOfEvent) {
                assertThat(s.poisonedNow()).as(at).isEqualTo(hwpoison(ev.after()));
            } else {
                Set<Long> either = new HashSet<>(hwpoison(ev.before()));
                either.addAll(hwpoison(ev.after()));
                assertThat(either).as(at).containsAll(s.poisonedNow());
                assertThat(s.poisonedNow()).containsAll(hwpoison(ev.before()));
            }
        }
    }

    static Set<Long> hwpoison(World w) {
        Set<Long> out = new HashSet<>();
        w.pages().forEach((pfn, ps) -> {
            if (ps.hwpoison()) {
                out.add(pfn);
            }
        });
        return out;
    }

    /** The engine's trace properly nests: each step is at most one level deeper than the one before. */
    @ParameterizedTest
    @MethodSource("lessons")
    void tracesNestSoTheStackHasNoHoles(String lesson) {
        Timeline tl = new Timeline(state(lesson));
        for (int k = 0; k < tl.size(); k++) {
            PlaybackSnapshot s = Snapshots.at(tl, k, 1f);
            assertThat(s.stack()).as(lesson + " step " + k)
                    .noneMatch(f -> f.function().equals("…"));
            assertThat(s.stack().get(0).function()).isIn("memory_failure", "kill_dax");
        }
    }

    // ------------------------------------------------------------------ stepping is exact

    @ParameterizedTest
    @MethodSource("lessons")
    void backThenForwardGivesAnEqualSnapshot(String lesson) {
        Timeline tl = new Timeline(state(lesson));
        List<PlaybackSnapshot> seen = new ArrayList<>();
        Player p = new Player(seen::add);
        p.load(tl, -1, false);
        for (int k = 0; k < tl.size(); k++) {
            p.seek(k);
            PlaybackSnapshot here = seen.get(seen.size() - 1);
            assertThat(here.step()).isEqualTo(k);
            p.previous();
            assertThat(p.step()).isEqualTo(Math.max(0, k - 1));
            p.next();
            assertThat(p.step()).isEqualTo(k == 0 ? Math.min(1, tl.size() - 1) : k);
            if (k > 0) {
                assertThat(seen.get(seen.size() - 1)).as(lesson + " step " + k).isEqualTo(here);
            }
            // and straight from the function, after any other position
            Snapshots.at(tl, tl.size() - 1 - k, 0.3f);
            assertThat(Snapshots.at(tl, k, 1f)).isEqualTo(here);
        }
        assertThat(p.playing()).isFalse();
    }

    @Test
    void snapshotsDependOnlyOnTraceAndStep() {
        // two sessions built separately from the same lesson: equal snapshots at every step
        Session.State a = UiWorlds.lesson("default");
        Session.State b = UiWorlds.lesson("default");
        Timeline ta = new Timeline(a);
        Timeline tb = new Timeline(b);
        assertThat(ta.size()).isEqualTo(tb.size());
        for (int k = -1; k < ta.size(); k++) {
            assertThat(Snapshots.at(ta, k, 0.5f)).as("step %d", k).isEqualTo(Snapshots.at(tb, k, 0.5f));
        }
        // t is carried, not used to change what is shown
        PlaybackSnapshot half = Snapshots.at(ta, 3, 0.5f);
        PlaybackSnapshot full = Snapshots.at(ta, 3, 1f);
        assertThat(half.t()).isEqualTo(0.5f);
        assertThat(half.stack()).isEqualTo(full.stack());
        assertThat(half.dmesg()).isEqualTo(full.dmesg());
        // past the end clamps to the last step
        assertThat(Snapshots.at(ta, ta.size() + 5, 1f)).isEqualTo(Snapshots.at(ta, ta.size() - 1, 1f));
    }

    // ------------------------------------------------------------------ the end agrees with the outcome

    @ParameterizedTest
    @MethodSource("lessons")
    void lastStepAgreesWithTheOutcome(String lesson) {
        Session.State st = state(lesson);
        Timeline tl = new Timeline(st);
        PlaybackSnapshot end = Snapshots.end(tl);
        assertThat(end).isEqualTo(Snapshots.at(tl, tl.size() - 1, 1f));
        Map<Integer, String> badges = new HashMap<>();
        boolean shutdown = false;
        Outcome.Oops oops = null;
        List<String> dmesg = new ArrayList<>(st.setupLog());
        for (Session.EventEntry e : st.events()) {
            dmesg.addAll(e.log());
            if (e.result() == null) {
                continue;
            }
            Outcome o = e.result().outcome();
            for (Outcome.Signal s : o.signals()) {
                assertThat(s.signal()).isEqualTo("SIGBUS");
                badges.put(s.pid(), s.actionRequired() ? "AR" : "AO");
            }
            shutdown |= o.shutdown() != null;
            if (o.oops() != null) {
                oops = o.oops();
            }
        }
        // a filesystem that was already shut down when the scenario was loaded shows its banner too
        shutdown |= st.initial().hasFs() && st.initial().fs().isShutdown();
        Set<Integer> killed = new TreeSet<>();
        st.world().processes().stream().filter(p -> p.state() == Process.State.KILLED).forEach(p -> killed.add(p.pid()));

        assertThat(end.badges()).as(lesson).isEqualTo(badges);
        assertThat(new TreeSet<>(end.killed())).as(lesson).isEqualTo(killed);
        assertThat(end.banner() != null).as(lesson + ": banner iff shutdown or oops (%s)", end.banner())
                .isEqualTo(shutdown || oops != null);
        if (oops != null) {
            assertThat(end.banner()).startsWith("Kernel crashed").contains(oops.message());
        } else if (shutdown) {
            assertThat(end.banner()).startsWith("Filesystem shut down");
        }
        assertThat(end.dmesg()).as(lesson).isEqualTo(dmesg);
        assertThat(end.world()).isEqualTo(st.world());
        assertThat(end.poisonedNow()).isEqualTo(hwpoison(st.world()));
        TraceStep last = tl.get(tl.size() - 1).trace();
        assertThat(end.stack().get(end.stack().size() - 1).function()).isEqualTo(last.function());
    }

    @Test
    void theCoverLetterLessonEndsWithThreeEarlyKillsInInodeOrder() {
        // default.yaml: three early readers of the three reflinked files get BUS_MCEERR_AO; the late reader nothing
        Session.State st = state("default");
        PlaybackSnapshot end = Snapshots.end(new Timeline(st));
        assertThat(end.badges()).isEqualTo(Map.of(101, "AO", 102, "AO", 103, "AO"));
        assertThat(end.killed()).containsExactlyInAnyOrder(101, 102, 103);
        assertThat(end.banner()).isNull();
        // the rmap query matched the three owners' records of the shared block
        assertThat(end.matched()).extracting(RmapRecord::owner).hasSize(3).doesNotHaveDuplicates();
        long a = st.initial().fs().byPath("/data/a.bin").ino();
        long b = st.initial().fs().byPath("/data/b.bin").ino();
        long c = st.initial().fs().byPath("/data/c.bin").ino();
        assertThat(end.matched()).extracting(RmapRecord::owner).containsExactlyInAnyOrder(a, b, c);
        long pfn = st.initial().addressing().ofFile("/data/a.bin", 4 * Units.KiB).pfn();
        assertThat(end.pulsePfn()).isEqualTo(pfn);
        assertThat(end.poisonedNow()).contains(pfn);
    }

    @Test
    void aMetadataHitEndsInAShutdownBanner() {
        Session.State st = state("metadata-headers");
        Timeline tl = new Timeline(st);
        int shutdownStep = -1;
        for (int k = 0; k < tl.size(); k++) {
            if (tl.get(k).trace().function().equals("xfs_force_shutdown") && !tl.get(k).trace().log().isEmpty()) {
                shutdownStep = k;
                break;
            }
        }
        assertThat(shutdownStep).isPositive();
        for (int k = 0; k < tl.size(); k++) {
            assertThat(Snapshots.at(tl, k, 1f).banner() != null).as("step %d", k).isEqualTo(k >= shutdownStep);
        }
        assertThat(Snapshots.end(tl).badges()).isEmpty();
    }

    @Test
    void beforeTheFirstStepTheWorldIsAsLoaded() {
        Session.State st = state("ar-vs-scrub");
        Timeline tl = new Timeline(st);
        PlaybackSnapshot s = Snapshots.at(tl, -1, 1f);
        assertThat(s.step()).isEqualTo(-1);
        assertThat(s.current()).isNull();
        assertThat(s.world()).isEqualTo(st.initial());
        assertThat(s.dmesg()).isEqualTo(st.setupLog());
        assertThat(s.badges()).isEmpty();
        assertThat(s.killed()).isEmpty();
        assertThat(s.banner()).isNull();
        assertThat(s.stack()).isEmpty();
        assertThat(s.glow()).isEmpty();
        assertThat(s.poisonedNow()).isEqualTo(hwpoison(st.initial()));
        assertThat(s.narration()).isEqualTo(st.scenario().description().strip());
    }

    @Test
    void severalEventsShareOneTimeline() {
        // ar-vs-scrub: a scrub (AO to early readers) then a consuming load by 101 (AR)
        Session.State st = state("ar-vs-scrub");
        Timeline tl = new Timeline(st);
        assertThat(st.events()).hasSize(2);
        int second = tl.firstStepOf(1);
        assertThat(second).isEqualTo(st.events().get(0).result().trace().size());
        PlaybackSnapshot s = Snapshots.at(tl, second, 1f);
        assertThat(s.eventIndex()).isEqualTo(1);
        assertThat(s.world()).isEqualTo(st.events().get(0).after());
        // the first event's signals stay as badges; its log stays in dmesg; its btree query does not carry over
        st.events().get(0).result().outcome().signals()
                .forEach(x -> assertThat(s.badges()).containsEntry(x.pid(), x.actionRequired() ? "AR" : "AO"));
        assertThat(s.dmesg()).containsSequence(st.events().get(0).log());
        assertThat(s.matched()).isEmpty();
        PlaybackSnapshot end = Snapshots.end(tl);
        assertThat(st.events().get(1).result().outcome().signals()).anyMatch(Outcome.Signal::actionRequired);
        st.events().get(1).result().outcome().signals().stream().filter(Outcome.Signal::actionRequired)
                .forEach(x -> assertThat(end.badges()).containsEntry(x.pid(), "AR"));
    }

    @Test
    void aUsersPoisonClickJoinsTheTimeline() {
        Session session = new Session();
        session.openBuilt(UiWorlds.lesson("default"));
        int before = new Timeline(session.state()).size();
        World w = session.state().world();
        long pfn = w.addressing().ofFile("/data/c.bin", 8 * Units.KiB).pfn();
        var r = session.poison(pfn, FailureEvent.Source.MCE, null);
        Timeline tl = new Timeline(session.state());
        assertThat(tl.size()).isEqualTo(before + r.trace().size());
        assertThat(tl.lastEventStart()).isEqualTo(before);
        PlaybackSnapshot first = Snapshots.at(tl, before, 1f);
        assertThat(first.current()).isEqualTo(r.trace().get(0));
        assertThat(first.pulsePfn()).isEqualTo(pfn);
        assertThat(first.world()).isEqualTo(w);
        assertThat(Snapshots.end(tl).world()).isEqualTo(r.worldAfter());
        session.undo();
        assertThat(new Timeline(session.state()).size()).isEqualTo(before);
        session.redo();
        assertThat(new Timeline(session.state()).size()).isEqualTo(tl.size());
    }

    @Test
    void easingIsSmoothAndClamped() {
        assertThat(Snapshots.ease(0f)).isEqualTo(0f);
        assertThat(Snapshots.ease(1f)).isEqualTo(1f);
        assertThat(Snapshots.ease(0.5f)).isEqualTo(0.5f);
        assertThat(Snapshots.ease(-3f)).isEqualTo(0f);
        assertThat(Snapshots.ease(7f)).isEqualTo(1f);
        float prev = 0f;
        for (int i = 1; i <= 100; i++) {
            float v = Snapshots.ease(i / 100f);
            assertThat(v).isGreaterThanOrEqualTo(prev);
            prev = v;
        }
        assertThat(Snapshots.ease(0.1f)).as("slow start").isLessThan(0.1f);
        assertThat(Snapshots.ease(0.9f)).as("slow end").isGreaterThan(0.9f);
    }
}
