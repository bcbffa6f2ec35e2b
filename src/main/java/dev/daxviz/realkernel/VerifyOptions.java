package dev.daxviz.realkernel;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How to verify: which kernel, how to run qemu, where the kernel comes from, where the raw logs go, deadlines.
 * Start from {@link #defaults()} and change what you need with the withers.
 *
 * @param kernel       "6.1" or "6.12", or null for the scenario's own kernel
 * @param accel        "tcg" (default), "kvm", or "auto" (KVM under the boot deadline, then TCG)
 * @param offline      use the newest cached kernel, never ask Debian's archive
 * @param kernelDeb    a kernel package file to use instead of Debian's archive, or null
 * @param logsDir      where the raw logs go, or null for a new folder under the cache's runs/
 * @param bootDeadline no INIT line from the guest within this → boot failure
 * @param runDeadline  the whole guest run
 * @param cacheRoot    the cache folder ({@code $XDG_CACHE_HOME/daxviz} by default)
 * @param qemu         the qemu binary to run instead of qemu-system-x86_64 from PATH (tests), or null
 */
public record VerifyOptions(String kernel, String accel, boolean offline, Path kernelDeb, Path logsDir,
                            Duration bootDeadline, Duration runDeadline, Path cacheRoot, Path qemu) {

    public static VerifyOptions defaults() {
        return new VerifyOptions(null, "tcg", false, null, null, Duration.ofSeconds(60), Duration.ofSeconds(300),
                KernelCache.defaultRoot(), null);
    }

    public VerifyOptions withKernel(String k) {
        return new VerifyOptions(k, accel, offline, kernelDeb, logsDir, bootDeadline, runDeadline, cacheRoot, qemu);
    }

    public VerifyOptions withAccel(String a) {
        return new VerifyOptions(kernel, a, offline, kernelDeb, logsDir, bootDeadline, runDeadline, cacheRoot, qemu);
    }

    public VerifyOptions withOffline(boolean o) {
        return new VerifyOptions(kernel, accel, o, kernelDeb, logsDir, bootDeadline, runDeadline, cacheRoot, qemu);
    }

    public VerifyOptions withKernelDeb(Path d) {
        return new VerifyOptions(kernel, accel, offline, d, logsDir, bootDeadline, runDeadline, cacheRoot, qemu);
    }

    public VerifyOptions withLogsDir(Path d) {
        return new VerifyOptions(kernel, accel, offline, kernelDeb, d, bootDeadline, runDeadline, cacheRoot, qemu);
    }

    public VerifyOptions withDeadlines(Duration boot, Duration run) {
        return new VerifyOptions(kernel, accel, offline, kernelDeb, logsDir, boot, run, cacheRoot, qemu);
    }

    public VerifyOptions withCacheRoot(Path c) {
        return new VerifyOptions(kernel, accel, offline, kernelDeb, logsDir, bootDeadline, runDeadline, c, qemu);
    }

    public VerifyOptions withQemu(Path q) {
        return new VerifyOptions(kernel, accel, offline, kernelDeb, logsDir, bootDeadline, runDeadline, cacheRoot, q);
    }

    KernelCache.Source source() {
        if (kernelDeb != null) {
            return new KernelCache.DebFile(kernelDeb);
        }
        return offline ? new KernelCache.Offline() : new KernelCache.Online();
    }
}
