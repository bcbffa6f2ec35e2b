package dev.daxviz.realkernel;

import java.util.List;

/**
 * A scenario turned into what the guest runs: the plan script (sourced by the guest's /init), the machine it needs,
 * and, per item, how faithful the guest is to the scenario. A plan with refusals cannot run: {@link #refused()}.
 *
 * @param script   the plan, a busybox sh fragment ({@code /scen/plan.sh}) calling the functions of init.sh
 * @param notes    every item's fidelity, in scenario order
 * @param events   what each event does in the guest, in event order
 * @param mappers  the guest's mapper processes, one per scenario process, in scenario order
 */
public record GuestPlan(String title, String profile, String script, MachineLayout machine, List<FidelityNote> notes,
                        List<PlannedEvent> events, List<PlannedMapper> mappers) {
    public GuestPlan {
        notes = List.copyOf(notes);
        events = List.copyOf(events);
        mappers = List.copyOf(mappers);
    }

    /** The reasons this scenario cannot run on a real kernel (empty when it can). */
    public List<String> refusals() {
        return notes.stream().filter(n -> n.fidelity() == Fidelity.NOT_REPRODUCIBLE).map(n -> n.item() + ": " + n.why())
                .toList();
    }

    public boolean refused() {
        return !refusals().isEmpty();
    }

    public List<FidelityNote> approximations() {
        return notes.stream().filter(n -> n.fidelity() == Fidelity.APPROXIMATE).toList();
    }

    /** One scenario event in the guest; {@code pages} are the poisoned pages' roles (empty for other kinds). */
    public record PlannedEvent(int index, String kind, List<PageRole> pages) {
        public PlannedEvent {
            pages = List.copyOf(pages);
        }
    }

    /**
     * Where one poisoned page lies, as a role both worlds have: the simulation's pfn and what owns it there, and
     * the guest command that finds the block with the same role in the real layout.
     *
     * @param simPfn     the simulated pfn
     * @param role       what the block is, in words ({@code /data/a.bin+4096}, {@code inode chunk 0 of AG 0})
     * @param guestRole  the arguments of init.sh's role_pfn
     */
    public record PageRole(long simPfn, String role, List<String> guestRole, Fidelity fidelity, String note) {
        public PageRole {
            guestRole = List.copyOf(guestRole);
        }
    }

    /** Mapper {@code index} (1-based) stands for scenario process {@code pid}. */
    public record PlannedMapper(int index, int pid, String comm) {
    }

    /** The name the kernel keeps of a process name (TASK_COMM_LEN: 15 characters and a NUL). */
    public static String kernelComm(String comm) {
        return comm.length() > 15 ? comm.substring(0, 15) : comm;
    }
}
