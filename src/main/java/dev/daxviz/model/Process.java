package dev.daxviz.model;

import java.util.List;
import java.util.Objects;

/**
 * A user process (one thread, so task = process) in task-list order of the world.
 *
 * @param earlyKill its {@code prctl(PR_MCE_KILL)} choice
 * @param onSigbus  what SIGBUS does to it
 */
public record Process(int pid, String comm, EarlyKill earlyKill, OnSigbus onSigbus, State state, List<Vma> vmas) {

    public enum EarlyKill {
        /** No prctl: the sysctl {@code vm.memory_failure_early_kill} decides. */
        DEFAULT,
        /** PR_MCE_KILL_EARLY. */
        EARLY,
        /** PR_MCE_KILL_LATE. */
        LATE;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public enum OnSigbus {
        /** The default action: SIGBUS kills it. */
        DIE,
        /** It catches SIGBUS and carries on (a hypervisor passing the error to a guest). */
        HANDLE;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public enum State {
        RUNNING, KILLED, EXITED;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Process {
        Objects.requireNonNull(comm);
        vmas = List.copyOf(vmas);
    }

    public boolean alive() {
        return state == State.RUNNING;
    }

    public Process withVmas(List<Vma> v) {
        return new Process(pid, comm, earlyKill, onSigbus, state, v);
    }

    public Process withState(State s) {
        return new Process(pid, comm, earlyKill, onSigbus, s, s == State.RUNNING ? vmas : List.of());
    }
}
