package dev.daxviz.ui.theme;

import com.formdev.flatlaf.extras.FlatSVGIcon;

import javax.swing.Icon;

/** Crisp SVG icons from {@code assets/icons}, at any scale. */
public final class Icons {
    private Icons() {
    }

    public static Icon get(String name, float scale) {
        int size = Math.round(16 * scale);
        return new FlatSVGIcon("dev/daxviz/assets/icons/" + name + ".svg", size, size, Icons.class.getClassLoader());
    }
}
