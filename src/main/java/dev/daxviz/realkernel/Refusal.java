package dev.daxviz.realkernel;

/** Thrown while translating when an item of the scenario cannot be reproduced on a real kernel; the message is why. */
final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Refusal(String why) {
        super(why, null, false, false);
    }
}
