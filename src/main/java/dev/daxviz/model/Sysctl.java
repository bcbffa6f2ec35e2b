package dev.daxviz.model;

/** The two vm sysctls the failure path reads. */
public record Sysctl(int memoryFailureEarlyKill, int memoryFailureRecovery) {
    public static final Sysctl DEFAULTS = new Sysctl(0, 1);
}
