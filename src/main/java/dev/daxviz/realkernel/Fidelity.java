package dev.daxviz.realkernel;

/** How faithfully the guest reproduces one item of a scenario (the "Scenario → guest" table). */
public enum Fidelity {
    /** The guest does exactly what the scenario says. */
    EXACT("exact"),
    /** The guest does something close, and the note says what differs and why. */
    APPROXIMATE("approximate"),
    /** No real kernel within reach can do it: the scenario is refused with the reason. */
    NOT_REPRODUCIBLE("notReproducible");

    private final String id;

    Fidelity(String id) {
        this.id = id;
    }

    /** The word used in the JSON and on the command line. */
    public String id() {
        return id;
    }
}
