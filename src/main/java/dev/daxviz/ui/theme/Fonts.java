package dev.daxviz.ui.theme;

import com.formdev.flatlaf.fonts.inter.FlatInterFont;
import com.formdev.flatlaf.fonts.jetbrains_mono.FlatJetBrainsMonoFont;

import java.awt.Font;

/** The bundled fonts: Inter for the UI, JetBrains Mono for addresses, log lines and function names. */
public final class Fonts {
    private static volatile boolean installed;

    private Fonts() {
    }

    /** Registers the bundled fonts with AWT; safe to call more than once and headless. */
    public static void install() {
        if (!installed) {
            synchronized (Fonts.class) {
                if (!installed) {
                    FlatInterFont.install();
                    FlatJetBrainsMonoFont.install();
                    installed = true;
                }
            }
        }
    }

    public static Font ui(float size) {
        install();
        return new Font(FlatInterFont.FAMILY, Font.PLAIN, 1).deriveFont(size);
    }

    public static Font uiBold(float size) {
        install();
        return new Font(FlatInterFont.FAMILY, Font.BOLD, 1).deriveFont(size);
    }

    public static Font mono(float size) {
        install();
        return new Font(FlatJetBrainsMonoFont.FAMILY, Font.PLAIN, 1).deriveFont(size);
    }

    public static Font monoBold(float size) {
        install();
        return new Font(FlatJetBrainsMonoFont.FAMILY, Font.BOLD, 1).deriveFont(size);
    }
}
