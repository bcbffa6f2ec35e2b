package dev.daxviz.realkernel;

/** The steps of a verification, in order, as the progress report names them. */
public enum Stage {
    TOOLS("tools"),
    FETCH_KERNEL("fetch kernel"),
    BUILD_GUEST("build guest"),
    BOOT("boot"),
    SETUP("setup"),
    EVENT("event"),
    COMPARE("compare");

    private final String title;

    Stage(String title) {
        this.title = title;
    }

    /** The stage's name in the progress report and the JSON's stage seconds. */
    public String title() {
        return title;
    }
}
