package dev.daxviz.ui;

import com.formdev.flatlaf.FlatLightLaf;
import dev.daxviz.scenario.Lessons;
import dev.daxviz.ui.theme.Fonts;

import javax.swing.SwingUtilities;
import javax.swing.UIManager;

/** Starts the desktop app on the EDT: look and feel, fonts, a crash dialog, the window on a scenario. */
public final class App {
    private App() {
    }

    public static void launch(String scenarioOrNull) {
        SwingUtilities.invokeLater(() -> {
            Fonts.install();
            UIManager.put("defaultFont", Fonts.ui(13f));
            FlatLightLaf.setup();
            MainWindow w = new MainWindow();
            CrashDialog.install(w);
            w.setVisible(true);
            w.toFront();
            w.requestFocus();
            w.open(scenarioOrNull != null ? scenarioOrNull : Lessons.PREFIX + Lessons.DEFAULT);
        });
    }
}
