package dev.daxviz.model;

/**
 * How the filesystem is made and mounted ({@code mkfs.xfs -m reflink=,rmapbt=}, {@code mount -o dax=}).
 *
 * @param logDevice external log device, or null for an internal log
 * @param rtDevice  realtime device, or null
 */
public record FsOptions(int agCount, boolean reflink, boolean rmapbt, PmemDevice logDevice, PmemDevice rtDevice,
                        Xfs.DaxPolicy dax, Xfs.FsState state, boolean mountedAfterSetup) {

    public static FsOptions defaults() {
        return new FsOptions(4, true, true, null, null, Xfs.DaxPolicy.ALWAYS, Xfs.FsState.MOUNTED, false);
    }

    public FsOptions withAgCount(int n) {
        return new FsOptions(n, reflink, rmapbt, logDevice, rtDevice, dax, state, mountedAfterSetup);
    }

    public FsOptions withReflink(boolean r) {
        return new FsOptions(agCount, r, rmapbt, logDevice, rtDevice, dax, state, mountedAfterSetup);
    }

    public FsOptions withRmapbt(boolean r) {
        return new FsOptions(agCount, reflink, r, logDevice, rtDevice, dax, state, mountedAfterSetup);
    }

    public FsOptions withLogDevice(PmemDevice d) {
        return new FsOptions(agCount, reflink, rmapbt, d, rtDevice, dax, state, mountedAfterSetup);
    }

    public FsOptions withRtDevice(PmemDevice d) {
        return new FsOptions(agCount, reflink, rmapbt, logDevice, d, dax, state, mountedAfterSetup);
    }

    public FsOptions withDax(Xfs.DaxPolicy p) {
        return new FsOptions(agCount, reflink, rmapbt, logDevice, rtDevice, p, state, mountedAfterSetup);
    }

    public FsOptions withState(Xfs.FsState s) {
        return new FsOptions(agCount, reflink, rmapbt, logDevice, rtDevice, dax, s, mountedAfterSetup);
    }

    public FsOptions withMountedAfterSetup(boolean m) {
        return new FsOptions(agCount, reflink, rmapbt, logDevice, rtDevice, dax, state, m);
    }
}
