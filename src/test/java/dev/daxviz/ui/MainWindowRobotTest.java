package dev.daxviz.ui;

import dev.daxviz.engine.Engine;
import dev.daxviz.engine.FailureEvent;
import dev.daxviz.engine.Outcome;
import dev.daxviz.engine.Result;
import dev.daxviz.model.Units;
import dev.daxviz.model.World;
import org.assertj.swing.core.MouseButton;
import org.assertj.swing.edt.GuiActionRunner;
import org.assertj.swing.timing.Condition;
import org.assertj.swing.timing.Pause;
import org.assertj.swing.timing.Timeout;
import org.junit.jupiter.api.Test;

import java.awt.Rectangle;
import java.awt.event.KeyEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The window driven by a robot, as a user would: click a page, poison it, open a bad file, play a trace. */
class MainWindowRobotTest extends WindowRobotTest {

    /** Clicks the grid cell of a pfn (after scrolling it into view). */
    private void clickPfn(long pfn) {
        Rectangle r = GuiActionRunner.execute(() -> {
            main().grid().reveal(pfn);
            return main().grid().screenRectOf(pfn);
        });
        window.robot().click(main().grid(), new java.awt.Point(r.x + r.width / 2, r.y + r.height / 2), MouseButton.LEFT_BUTTON, 1);
        window.robot().waitForIdle();
    }

    @Test
    void clickingAPageShowsItsOwnersAndAddressForms() {
        World w = world();
        long pfn = w.addressing().ofFile("/data/a.bin", 4096).pfn();
        clickPfn(pfn);
        window.label("inspector.title").requireText("Page " + Units.hex(pfn));
        window.label("inspector.pfn").requireText(Units.hex(pfn));
        window.label("inspector.ag").requireText(w.addressing().ofPfn(pfn).agno() + " / " + w.addressing().ofPfn(pfn).agbno());
        // a page shared by three reflinked files: the reverse map names all three
        window.label("inspector.file./data/a.bin").requireText("+4 KiB  (ino " + w.fs().byPath("/data/a.bin").ino() + ")");
        window.label("inspector.file./data/b.bin").requireVisible();
        window.label("inspector.file./data/c.bin").requireVisible();
    }

    @Test
    void poisoningASharedPageShowsWhatTheEngineDecided(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        // three reflinked files, an early mapper of each, no scripted events: the user's click is the only poison
        Path sc = dir.resolve("clones.yaml");
        Files.writeString(sc, String.join("\n", "format: 1", "title: clones", "device: {size: 64MiB, physAddr: 0x100000000}", "filesystem: {type: xfs}",
                "files:", "  - {path: /a, size: 16KiB}", "  - {path: /b, reflink: /a}", "  - {path: /c, reflink: /a}",
                "processes:", "  - {pid: 11, comm: pa, earlyKill: early, maps: [{path: /a, length: 16KiB}]}",
                "  - {pid: 12, comm: pb, earlyKill: early, maps: [{path: /b, length: 16KiB}]}",
                "  - {pid: 13, comm: pc, earlyKill: late, maps: [{path: /c, length: 16KiB}]}", ""));
        window.cleanUp();
        window = GuiTestSupport.open(sc.toString());
        World before = world();
        long pfn = before.addressing().ofFile("/a", 4096).pfn();
        Result expected = Engine.run(before, FailureEvent.Poison.mce(pfn));
        clickPfn(pfn);
        window.robot().pressAndReleaseKey(KeyEvent.VK_P);
        window.robot().pressAndReleaseKey(KeyEvent.VK_END);
        window.robot().waitForIdle();
        Pause.pause(new Condition("outcome shown") {
            @Override
            public boolean test() {
                return GuiActionRunner.execute(() -> main().session().state().events().stream()
                        .anyMatch(e -> e.byUser()));
            }
        }, Timeout.timeout(10000));
        window.robot().pressAndReleaseKey(KeyEvent.VK_END);
        window.robot().waitForIdle();
        // kernel-semantics.md §8: the two early mappers, AO, in inode order; the late one is left alone
        assertThat(expected.outcome().signals()).extracting(Outcome.Signal::pid).containsExactly(11, 12);
        for (Outcome.Signal s : expected.outcome().signals()) {
            String code = s.actionRequired() ? "AR" : "AO";
            assertThat(window.label("outcome.signal." + s.pid()).text()).contains(code).contains(s.comm() + ":" + s.pid());
        }
        List<Outcome.Signal> got = GuiActionRunner.execute(() -> {
            var ev = main().session().state().events();
            return ev.get(ev.size() - 1).result().outcome().signals();
        });
        assertThat(got).isEqualTo(expected.outcome().signals());
    }

    @Test
    void anInvalidFileShowsProblemsAndKeepsTheWorld(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "format: 1\ndevice:\n  size: 64MiB\n  physAdr: 0x100000000\n");
        World before = world();
        String title = window.target().getTitle();
        GuiActionRunner.execute(() -> main().openSource(bad.toString()));
        var dialog = window.dialog(new org.assertj.swing.core.GenericTypeMatcher<java.awt.Dialog>(java.awt.Dialog.class) {
            @Override
            protected boolean isMatching(java.awt.Dialog d) {
                return d.isShowing() && "The scenario is not valid".equals(d.getTitle());
            }
        }, Timeout.timeout(10000));
        String problems = dialog.textBox("problems").text();
        assertThat(problems).contains("bad.yaml:4:3").contains("physAdr");
        dialog.button(org.assertj.swing.core.matcher.JButtonMatcher.withText("OK")).click();
        assertThat(window.target().getTitle()).isEqualTo(title);
        assertThat(world()).isSameAs(before);
    }
}
