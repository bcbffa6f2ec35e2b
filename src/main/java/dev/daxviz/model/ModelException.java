package dev.daxviz.model;

/** An operation the simulated machine cannot do (no such file, no space, overlapping blocks): a user error. */
public class ModelException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ModelException(String message) {
        super(message);
    }
}
