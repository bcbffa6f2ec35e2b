package dev.daxviz.realkernel;

/**
 * One item of a scenario and how the guest reproduces it.
 *
 * @param item what it is about, in the scenario's own words ({@code files[1] /data/b.bin}, {@code events[0] poison})
 * @param why  for an approximation or a refusal, what differs and why; empty when exact
 */
public record FidelityNote(String item, Fidelity fidelity, String why) {
    public static FidelityNote exact(String item) {
        return new FidelityNote(item, Fidelity.EXACT, "");
    }

    public static FidelityNote approximate(String item, String why) {
        return new FidelityNote(item, Fidelity.APPROXIMATE, why);
    }

    public static FidelityNote refused(String item, String why) {
        return new FidelityNote(item, Fidelity.NOT_REPRODUCIBLE, why);
    }

    @Override
    public String toString() {
        return item + ": " + fidelity.id() + (why.isEmpty() ? "" : " (" + why + ")");
    }
}
