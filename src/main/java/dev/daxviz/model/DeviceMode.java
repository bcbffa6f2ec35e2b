package dev.daxviz.model;

/** How an nvdimm namespace is exposed: a block device for a DAX filesystem, or a character device mapped whole. */
public enum DeviceMode {
    /** pmem block device with struct pages; its pgmap has the {@code memory_failure} op. */
    FSDAX,
    /** device-dax character device: no holder, no pgmap op, mapped in 2 MiB units. */
    DEVDAX;

    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
