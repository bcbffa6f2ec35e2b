package dev.daxviz.ui.grid;

/** What a page of the device holds, as the grid colours it. */
public enum PageClass {
    FREE("free space"),
    DATA("file data"),
    SHARED("shared (reflinked) data"),
    METADATA("filesystem metadata"),
    LOG("journal (log)"),
    RESERVE("fsdax reserve (struct pages)");

    private final String label;

    PageClass(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
