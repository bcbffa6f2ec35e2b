package dev.daxviz.engine;

/** Kernel functions the trace names, with the file each lives in (paths in the Linux tree). */
enum Kfn {
    MEMORY_FAILURE("memory_failure", "mm/memory-failure.c", true),
    MEMORY_FAILURE_DEV_PAGEMAP("memory_failure_dev_pagemap", "mm/memory-failure.c", true),
    PMEM_PGMAP_MEMORY_FAILURE("pmem_pgmap_memory_failure", "drivers/nvdimm/pmem.c", true),
    DAX_HOLDER_NOTIFY_FAILURE("dax_holder_notify_failure", "drivers/dax/super.c", true),
    XFS_DAX_NOTIFY_FAILURE("xfs_dax_notify_failure", "fs/xfs/xfs_notify_failure.c", true),
    XFS_DAX_NOTIFY_DDEV_FAILURE("xfs_dax_notify_ddev_failure", "fs/xfs/xfs_notify_failure.c", true),
    XFS_RMAP_QUERY_RANGE("xfs_rmap_query_range", "fs/xfs/libxfs/xfs_rmap.c", true),
    XFS_DAX_FAILURE_FN("xfs_dax_failure_fn", "fs/xfs/xfs_notify_failure.c", true),
    MF_DAX_KILL_PROCS("mf_dax_kill_procs", "mm/memory-failure.c", true),
    DAX_LOCK_MAPPING_ENTRY("dax_lock_mapping_entry", "fs/dax.c", false),
    COLLECT_PROCS_FSDAX("collect_procs_fsdax", "mm/memory-failure.c", false),
    MF_GENERIC_KILL_PROCS("mf_generic_kill_procs", "mm/memory-failure.c", true),
    DAX_LOCK_PAGE("dax_lock_page", "fs/dax.c", false),
    COLLECT_PROCS("collect_procs", "mm/memory-failure.c", false),
    UNMAP_MAPPING_RANGE("unmap_mapping_range", "mm/memory.c", false),
    KILL_PROCS("kill_procs", "mm/memory-failure.c", true),
    XFS_FORCE_SHUTDOWN("xfs_force_shutdown", "fs/xfs/xfs_fsops.c", true),
    ACTION_RESULT("action_result", "mm/memory-failure.c", false),
    KILL_DAX("kill_dax", "drivers/dax/super.c", true),
    PANIC("panic", "kernel/panic.c", false);

    final String fname;
    final String file;
    /** Listed in the result's {@code path} (helpers such as lock and collect functions are not). */
    final boolean onPath;

    Kfn(String fname, String file, boolean onPath) {
        this.fname = fname;
        this.file = file;
        this.onPath = onPath;
    }
}
