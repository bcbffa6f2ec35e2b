package dev.daxviz.ui.export;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What an export shows: the whole workbench, or one of its views. */
public enum View {
    /** The presentation picture: grid, blast-radius strip, story, inspector and tabs, without toolbar and player. */
    WINDOW("window", "Whole window"),
    /** The page grid with the blast-radius strip and the legend. */
    GRID("grid", "Page grid"),
    /** The rmap btree of the AG on screen. */
    BTREE("btree", "rmap btree"),
    /** The call chain, the narration and the kernel log. */
    STORY("story", "Call chain & narration"),
    /** The charts and the blast-radius strip. */
    CHARTS("charts", "Charts");

    private final String id;
    private final String title;

    View(String id, String title) {
        this.id = id;
        this.title = title;
    }

    public String id() {
        return id;
    }

    public String title() {
        return title;
    }

    /** The view named {@code name} (its id, case-insensitive; "chain" is the story); throws with the valid names. */
    public static View parse(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        if (n.equals("chain") || n.equals("callchain") || n.equals("call-chain")) {
            return STORY;
        }
        for (View v : values()) {
            if (v.id.equals(n)) {
                return v;
            }
        }
        throw new ExportException("'" + name + "' is not a view", "use one of: " + names());
    }

    public static String names() {
        return Arrays.stream(values()).map(View::id).collect(Collectors.joining(", "));
    }
}
