package dev.daxviz.engine;

/** What starts the failure path: poison found in a page range, or the device being unbound. */
public sealed interface FailureEvent permits FailureEvent.Poison, FailureEvent.Remove {

    /** How the kernel learns of the poison (kernel-semantics.md §3). */
    enum Source {
        /** Hardware found it asynchronously (scrub, patrol, prefetch): no task is current. */
        MCE,
        /** A task's load hit it: that task is current, action required. */
        CONSUME,
        /** madvise(MADV_HWPOISON) by a task at its own mapping. */
        MADVISE,
        /** debugfs hwpoison/corrupt-pfn: the writer is current but maps nothing. */
        INJECT;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * Poison in {@code length} bytes from {@code pfn} (whole pages; each page is one {@code memory_failure} call).
     *
     * @param pid the current task for CONSUME and MADVISE, else null
     */
    record Poison(long pfn, long length, Source source, Integer pid) implements FailureEvent {
        public Poison {
            if (length <= 0 || length % dev.daxviz.model.Units.PAGE_SIZE != 0) {
                throw new IllegalArgumentException("poison length must be whole pages: " + length);
            }
            if ((source == Source.CONSUME || source == Source.MADVISE) && pid == null) {
                throw new IllegalArgumentException(source.id() + " needs the pid of the task that is current");
            }
        }

        public static Poison mce(long pfn) {
            return new Poison(pfn, dev.daxviz.model.Units.PAGE_SIZE, Source.MCE, null);
        }

        public long pages() {
            return length / dev.daxviz.model.Units.PAGE_SIZE;
        }
    }

    /** Unbinding the pmem device under a mounted filesystem (kernel-semantics.md §11). */
    record Remove() implements FailureEvent {
    }
}
