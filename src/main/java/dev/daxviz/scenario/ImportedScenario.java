package dev.daxviz.scenario;

import dev.daxviz.model.World;

import java.util.List;

/** An imported image's world as a scenario file: its layout, a title, and a description a teacher can read. */
public final class ImportedScenario {
    private ImportedScenario() {
    }

    /** The scenario text; reading it back builds an equal world. */
    public static String yaml(String imageName, World w, List<String> notes) {
        StringBuilder d = new StringBuilder("Imported from the XFS image " + imageName + " with daxviz import: "
                + LayoutWriter.describe(w) + ", every block where the image has it. Click a page to see who owns it, "
                + "and poison it to see whom the kernel would reach.");
        for (String n : notes) {
            d.append("\n\n").append(n);
        }
        return ScenarioWriter.write(w, new ScenarioWriter.Header(imageName, d.toString(), 0));
    }
}
