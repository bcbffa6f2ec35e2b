package dev.daxviz.realkernel;

/**
 * One line of the side-by-side comparison: a field of an event (or of the setup, {@code event} null) as the
 * simulation and the real kernel give it.
 *
 * @param event     the scenario event's index, or null for the setup and the final state
 * @param field     what is compared ("signal 1", "returnCode", "log", "page 0 location", "final state reader-a:101")
 * @param simulated the simulation's value, as text
 * @param real      the real kernel's value, as text
 * @param note      why an approximate or not reproducible row is so, or what differs (may be empty)
 */
public record DiffRow(Integer event, String field, String simulated, String real, Status status, String note) {
    /** How the two values relate. */
    public enum Status {
        SAME("same"),
        DIFFERS("differs"),
        /** Equal up to what the guest cannot reproduce exactly (the note says what). */
        APPROXIMATE("approximate"),
        /** The real kernel cannot show this value. */
        NOT_REPRODUCIBLE("notReproducible");

        private final String id;

        Status(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }
}
