/* daxhelper: the static helper of DaxViz's "check against a real kernel" guest (daxviz verify).
 *
 * Built on the host with `gcc -static` when the kernel cache is made; its source hash is part of the cache key.
 * Protocol lines go to $DAXPROTO (default /dev/ttyS1), one write(2) each, so that lines written by several
 * processes never interleave.
 *
 *   daxhelper mkfile PATH SIZE                 pwrite SIZE bytes of real data, fsync (never fallocate: a read fault
 *                                              on an unwritten extent maps the zero page and leaves no DAX entry)
 *   daxhelper fragfile PATH SIZE N FILLER      the same in N pieces, one block of FILLER written between pieces
 *   daxhelper pwrite PATH OFF LEN              write(2) LEN bytes at OFF (a scenario "write" without a pid)
 *   daxhelper clone SRC DST                    FICLONE (cp --reflink=always)
 *   daxhelper clonerange SRC SOFF LEN DST DOFF FICLONERANGE
 *   daxhelper xattr PATH N                     N extended attributes of 3000 bytes (too big for the inode)
 *   daxhelper where PATH OFF                   FIEMAP: the device byte offset of the block at OFF, or -1
 *   daxhelper inject PFN                       write PFN to debugfs hwpoison/corrupt-pfn; prints rc (-errno)
 *   daxhelper map IDX COMM POLICY ONSIGBUS SPEC...   be mapper IDX (see below)
 *
 * A mapper: prctl(PR_SET_NAME, COMM); prctl(PR_MCE_KILL) for POLICY early|late (none: no prctl, the sysctl
 * decides); a SIGBUS handler; one MAP_SHARED mapping per SPEC "PATH,OFF,LEN,TOUCHED,PMD,RW" (TOUCHED: all,
 * none, or file offsets joined by ':'; PMD 1 places the mapping so that 2 MiB entries are possible, 0 so that
 * they are not; RW 1 maps it writable), then it reads the touched pages in order, prints MAPPED lines (pfns
 * from its own /proc/self/pagemap: never from another process, which would fault the file itself) and READY.
 * Commands on stdin, one answer line each on stdout:
 *   ping                     -> pong        (a pending SIGBUS is handled before the answer)
 *   touch PATH OFF LEN r|w   -> touched     (faults through the mapping of PATH)
 *   madvise PATH OFF LEN     -> madvise rc=R errno=E   (MADV_HWPOISON on its own mapping)
 *   pwrite PATH OFF LEN      -> pwrite rc=R            (write(2) by this process)
 *   pfn PATH OFF             -> pfn 0x...
 *   exit                     -> exits 0
 * SIGBUS handler: writes "SIGBUS i= comm= pid= code= addr= lsb= file= off=" to the protocol port; ONSIGBUS die
 * then _exit(42)s (the kernel then finds it no more: the simulation's "killed"), handle carries on (out of a
 * faulting touch with siglongjmp, else by returning).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#ifndef MADV_HWPOISON
#define MADV_HWPOISON 100
#endif
#ifndef BUS_MCEERR_AR
#define BUS_MCEERR_AR 4
#define BUS_MCEERR_AO 5
#endif

#define PAGE 4096UL
#define PMD_SIZE (2UL << 20)
#define MAX_MAPS 16

struct map {
    char path[256];
    unsigned long off, len;
    char *base;
};

static int proto_fd = -1;
static struct map maps[MAX_MAPS];
static int nmaps;
static char comm[16];
static int idx;
static int die_on_sigbus = 1;
static sigjmp_buf touch_env;
static volatile sig_atomic_t in_touch;

static void proto_open(void)
{
    const char *p = getenv("DAXPROTO");
    if (!p) p = "/dev/ttyS1";
    proto_fd = open(p, O_WRONLY | O_NOCTTY | O_APPEND);
    if (proto_fd < 0) proto_fd = 2;
}

static void proto(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void proto(const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf - 1, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if (n > (int)sizeof buf - 2) n = sizeof buf - 2;
    buf[n++] = '\n';
    if (write(proto_fd, buf, n) < 0) {}
}

/* async-signal-safe formatting for the handler */
static char *put_s(char *p, const char *s) { while (*s) *p++ = *s++; return p; }
static char *put_u(char *p, unsigned long v)
{
    char t[24]; int i = 0;
    do { t[i++] = '0' + v % 10; v /= 10; } while (v);
    while (i) *p++ = t[--i];
    return p;
}
static char *put_d(char *p, long v) { if (v < 0) { *p++ = '-'; v = -v; } return put_u(p, v); }
static char *put_x(char *p, unsigned long v)
{
    char t[20]; int i = 0;
    *p++ = '0'; *p++ = 'x';
    do { t[i++] = "0123456789abcdef"[v & 15]; v >>= 4; } while (v);
    while (i) *p++ = t[--i];
    return p;
}

static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
    (void)sig; (void)uc;
    char buf[512], *p = buf;
    unsigned long a = (unsigned long)si->si_addr;
    p = put_s(p, "SIGBUS i="); p = put_d(p, idx);
    p = put_s(p, " comm="); p = put_s(p, comm);
    p = put_s(p, " pid="); p = put_d(p, getpid());
    p = put_s(p, " code="); p = put_d(p, si->si_code);
    p = put_s(p, " addr="); p = put_x(p, a);
    p = put_s(p, " lsb="); p = put_d(p, si->si_addr_lsb);
    int found = 0;
    for (int i = 0; i < nmaps; i++) {
        unsigned long b = (unsigned long)maps[i].base;
        if (b && a >= b && a < b + maps[i].len) {
            p = put_s(p, " file="); p = put_s(p, maps[i].path);
            p = put_s(p, " off="); p = put_u(p, maps[i].off + (a - b));
            found = 1;
            break;
        }
    }
    if (!found) p = put_s(p, " file=? off=?");
    *p++ = '\n';
    if (write(proto_fd, buf, p - buf) < 0) {}
    if (die_on_sigbus) _exit(42);
    if (in_touch) { in_touch = 0; siglongjmp(touch_env, 1); }
}

static uint64_t pfn_of(const void *addr)
{
    int fd = open("/proc/self/pagemap", O_RDONLY);
    if (fd < 0) return 0;
    uint64_t e = 0;
    off_t off = ((unsigned long)addr / PAGE) * 8;
    if (pread(fd, &e, 8, off) != 8) e = 0;
    close(fd);
    if (!(e & (1ULL << 63))) return 0; /* not present */
    return e & ((1ULL << 55) - 1);
}

/* A mapping of PATH covering file offset OFF, or NULL. */
static struct map *map_of(const char *path, unsigned long off)
{
    for (int i = 0; i < nmaps; i++)
        if (!strcmp(maps[i].path, path) && off >= maps[i].off && off < maps[i].off + maps[i].len) return &maps[i];
    return NULL;
}

/* Reserve room, then place the mapping: with PMD, virtual and file offsets agree modulo 2 MiB (so the fault can
 * use a 2 MiB entry); without, they differ by a page (so it cannot, even for an aligned extent). */
static char *place(int fd, unsigned long off, unsigned long len, int pmd, int rw)
{
    unsigned long room = len + 2 * PMD_SIZE;
    char *r = mmap(NULL, room, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (r == MAP_FAILED) return MAP_FAILED;
    unsigned long aligned = ((unsigned long)r + PMD_SIZE - 1) & ~(PMD_SIZE - 1);
    unsigned long want = aligned + (pmd ? off % PMD_SIZE : (off + PAGE) % PMD_SIZE);
    int prot = rw ? PROT_READ | PROT_WRITE : PROT_READ;
    return mmap((void *)want, len, prot, MAP_SHARED | MAP_FIXED, fd, off);
}

static __attribute__((noinline)) void fault_range(struct map *m, unsigned long off, unsigned long len, int w)
{
    for (unsigned long o = off; o < off + len; o += PAGE) {
        volatile char *a = m->base + (o - m->off);
        if (w) *a = 'w';
        else (void)*a;
    }
}

/* Faults [off, off+len) of a mapping; 0 when a SIGBUS (handled, onSigbus handle) cut it short. */
static int touch(struct map *m, unsigned long off, unsigned long len, int w)
{
    if (sigsetjmp(touch_env, 1) != 0) return 0;
    in_touch = 1;
    fault_range(m, off, len, w);
    in_touch = 0;
    return 1;
}

static int mapper(int argc, char **argv)
{
    if (argc < 6) { fprintf(stderr, "map IDX COMM POLICY ONSIGBUS SPEC...\n"); return 2; }
    idx = atoi(argv[2]);
    snprintf(comm, sizeof comm, "%s", argv[3]);
    const char *policy = argv[4];
    die_on_sigbus = strcmp(argv[5], "handle") != 0;
    prctl(PR_SET_NAME, comm, 0, 0, 0);
    int prc = 0;
    if (!strcmp(policy, "early"))
        prc = prctl(PR_MCE_KILL, PR_MCE_KILL_SET, PR_MCE_KILL_EARLY, 0, 0);
    else if (!strcmp(policy, "late"))
        prc = prctl(PR_MCE_KILL, PR_MCE_KILL_SET, PR_MCE_KILL_LATE, 0, 0);
    if (prc) { proto("ERROR mapper %d prctl %s: %s", idx, policy, strerror(errno)); return 1; }

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_sigbus;
    /* SA_RESTART: an onSigbus-handle mapper waiting for its next command must not see EINTR and quit */
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigaction(SIGBUS, &sa, NULL);

    for (int a = 6; a < argc && nmaps < MAX_MAPS; a++) {
        char spec[1024], touched[700] = "all";
        snprintf(spec, sizeof spec, "%s", argv[a]);
        char *save, *path = strtok_r(spec, ",", &save), *o = strtok_r(NULL, ",", &save);
        char *l = strtok_r(NULL, ",", &save), *t = strtok_r(NULL, ",", &save);
        char *pm = strtok_r(NULL, ",", &save), *rwp = strtok_r(NULL, ",", &save);
        if (!path || !o || !l || !t || !pm || !rwp) { proto("ERROR mapper %d bad spec %s", idx, argv[a]); return 2; }
        snprintf(touched, sizeof touched, "%s", t);
        struct map *m = &maps[nmaps];
        snprintf(m->path, sizeof m->path, "%s", path);
        m->off = strtoul(o, NULL, 0);
        m->len = strtoul(l, NULL, 0);
        int rw = atoi(rwp), pmd = atoi(pm);
        int fd = open(path, rw ? O_RDWR : O_RDONLY);
        if (fd < 0) { proto("ERROR mapper %d open %s: %s", idx, path, strerror(errno)); return 1; }
        char *base = place(fd, m->off, m->len, pmd, rw);
        if (base == MAP_FAILED) { proto("ERROR mapper %d mmap %s: %s", idx, path, strerror(errno)); return 1; }
        close(fd);
        m->base = base;
        nmaps++;
        /* fault the touched pages, ascending, then report where they landed */
        char list[900] = "";
        size_t ll = 0;
        int shown = 0, count = 0;
        unsigned sum = 0;
        char *save2;
        unsigned long next = m->off;
        int all = !strcmp(touched, "all"), none = !strcmp(touched, "none");
        char *tok = all || none ? NULL : strtok_r(touched, ":", &save2);
        for (;;) {
            unsigned long fo;
            if (none) break;
            if (all) { if (next >= m->off + m->len) break; fo = next; next += PAGE; }
            else { if (!tok) break; fo = strtoul(tok, NULL, 0); tok = strtok_r(NULL, ":", &save2); }
            volatile char *addr = base + (fo - m->off);
            sum += *addr;
            count++;
            if (shown < 8) {
                ll += snprintf(list + ll, sizeof list - ll, "%s%lu:0x%llx", ll ? "," : "", fo,
                               (unsigned long long)pfn_of((const void *)addr));
                shown++;
            }
        }
        proto("MAPPED i=%d comm=%s pid=%d file=%s off=%lu len=%lu base=%p pmd=%d touched=%d pfns=%s sum=%u", idx,
              comm, getpid(), m->path, m->off, m->len, (void *)base, pmd, count, list, sum);
    }
    printf("READY %d\n", getpid());
    fflush(stdout);

    char line[600];
    while (fgets(line, sizeof line, stdin)) {
        char cmd[32] = "", path[256] = "", mode[4] = "r";
        unsigned long off = 0, len = 0;
        sscanf(line, "%31s %255s %lu %lu %3s", cmd, path, &off, &len, mode);
        struct map *m = path[0] ? map_of(path, off) : NULL;
        if (!strcmp(cmd, "ping")) printf("pong\n");
        else if (!strcmp(cmd, "exit")) break;
        else if (!strcmp(cmd, "pwrite")) {
            char buf[PAGE];
            memset(buf, 'W', sizeof buf);
            int fd = open(path, O_WRONLY);
            long rc = fd < 0 ? -errno : 0;
            for (unsigned long o = 0; fd >= 0 && o < len && rc == 0; o += PAGE) {
                size_t n = len - o < PAGE ? len - o : PAGE;
                if (pwrite(fd, buf, n, off + o) != (ssize_t)n) rc = -errno;
            }
            if (fd >= 0) { fsync(fd); close(fd); }
            printf("pwrite rc=%ld\n", rc);
        } else if (!m) printf("nomap %s %lu\n", path, off);
        else if (!strcmp(cmd, "touch")) printf(touch(m, off, len, mode[0] == 'w') ? "touched\n" : "touched sigbus\n"); else if (!strcmp(cmd, "madvise")) {
            int r = madvise(m->base + (off - m->off), len ? len : PAGE, MADV_HWPOISON);
            printf("madvise rc=%d errno=%d\n", r, r ? errno : 0);
        } else if (!strcmp(cmd, "pfn")) printf("pfn 0x%llx\n", (unsigned long long)pfn_of(m->base + (off - m->off)));
        else printf("unknown %s\n", cmd);
        fflush(stdout);
    }
    return 0;
}

static int inject(const char *pfns)
{
    unsigned long pfn = strtoul(pfns, NULL, 0);
    const char *path = getenv("CORRUPT_PFN");
    if (!path) path = "/sys/kernel/debug/hwpoison/corrupt-pfn";
    int fd = open(path, O_WRONLY);
    if (fd < 0) { proto("INJECT pfn=0x%lx rc=open-failed errno=%d", pfn, errno); printf("open-failed\n"); return 1; }
    char b[32];
    int n = snprintf(b, sizeof b, "0x%lx\n", pfn);
    ssize_t w = write(fd, b, n);
    int rc = w < 0 ? -errno : 0;
    close(fd);
    proto("INJECT pfn=0x%lx rc=%d", pfn, rc);
    printf("%d\n", rc);
    return 0;
}

static void pattern(char *buf, unsigned long block)
{
    for (size_t i = 0; i < PAGE; i++) buf[i] = (char)('A' + block % 26);
}

static int write_range(int fd, unsigned long from, unsigned long to)
{
    char buf[PAGE];
    for (unsigned long o = from; o < to; o += PAGE) {
        pattern(buf, o / PAGE);
        size_t n = to - o < PAGE ? to - o : PAGE;
        if (pwrite(fd, buf, n, o) != (ssize_t)n) { perror("pwrite"); return 1; }
    }
    return 0;
}

static int mkfile(const char *path, unsigned long size)
{
    int fd = open(path, O_WRONLY | O_CREAT, 0644);
    if (fd < 0) { perror(path); return 1; }
    int rc = write_range(fd, 0, size);
    fsync(fd);
    close(fd);
    return rc;
}

/* Alternate the file's pieces with blocks of a filler file, so that each piece is an extent of its own. */
static int fragfile(const char *path, unsigned long size, unsigned long n, const char *filler)
{
    int fd = open(path, O_WRONLY | O_CREAT, 0644), ff = open(filler, O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd < 0 || ff < 0) { perror("open"); return 1; }
    unsigned long pages = (size + PAGE - 1) / PAGE;
    if (n < 1) n = 1;
    if (n > pages) n = pages;
    char buf[PAGE];
    for (unsigned long i = 0; i < n; i++) {
        unsigned long from = pages * i / n * PAGE, to = pages * (i + 1) / n * PAGE;
        if (to > size) to = size;
        if (write_range(fd, from, to)) return 1;
        fsync(fd);
        pattern(buf, i);
        if (write(ff, buf, PAGE) != (ssize_t)PAGE) { perror("filler"); return 1; }
        fsync(ff);
    }
    close(fd);
    close(ff);
    return 0;
}

static int clone_file(const char *src, const char *dst)
{
    int s = open(src, O_RDONLY), d = open(dst, O_WRONLY | O_CREAT, 0644);
    if (s < 0 || d < 0) { perror("open"); return 1; }
    if (ioctl(d, FICLONE, s)) { perror("FICLONE"); return 1; }
    fsync(d);
    return 0;
}

static int clone_range(char **a)
{
    int s = open(a[0], O_RDONLY), d = open(a[3], O_WRONLY | O_CREAT, 0644);
    if (s < 0 || d < 0) { perror("open"); return 1; }
    struct file_clone_range r = {.src_fd = s, .src_offset = strtoull(a[1], NULL, 0),
                                 .src_length = strtoull(a[2], NULL, 0), .dest_offset = strtoull(a[4], NULL, 0)};
    if (ioctl(d, FICLONERANGE, &r)) { perror("FICLONERANGE"); return 1; }
    fsync(d);
    return 0;
}

static int xattrs(const char *path, int n)
{
    char v[3000];
    memset(v, 'x', sizeof v);
    for (int i = 0; i < n; i++) {
        char name[64];
        snprintf(name, sizeof name, "user.daxviz.%d", i);
        if (setxattr(path, name, v, sizeof v, 0)) { perror("setxattr"); return 1; }
    }
    return 0;
}

static int where(const char *path, unsigned long off)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) { perror(path); return 1; }
    char buf[sizeof(struct fiemap) + sizeof(struct fiemap_extent)];
    struct fiemap *fm = (struct fiemap *)buf;
    memset(buf, 0, sizeof buf);
    fm->fm_start = off;
    fm->fm_length = PAGE;
    fm->fm_flags = FIEMAP_FLAG_SYNC;
    fm->fm_extent_count = 1;
    long long phys = -1;
    if (ioctl(fd, FS_IOC_FIEMAP, fm) == 0 && fm->fm_mapped_extents == 1) {
        struct fiemap_extent *e = &fm->fm_extents[0];
        if (off >= e->fe_logical && off < e->fe_logical + e->fe_length)
            phys = (long long)(e->fe_physical + (off - e->fe_logical));
    }
    close(fd);
    printf("%lld\n", phys);
    return 0;
}

int main(int argc, char **argv)
{
    proto_open();
    if (argc < 2) { fprintf(stderr, "usage: daxhelper map|inject|mkfile|fragfile|pwrite|clone|clonerange|xattr|where ...\n"); return 2; }
    const char *c = argv[1];
    if (!strcmp(c, "map")) return mapper(argc, argv);
    if (!strcmp(c, "inject") && argc == 3) return inject(argv[2]);
    if (!strcmp(c, "mkfile") && argc == 4) return mkfile(argv[2], strtoul(argv[3], NULL, 0));
    if (!strcmp(c, "fragfile") && argc == 6) return fragfile(argv[2], strtoul(argv[3], NULL, 0), strtoul(argv[4], NULL, 0), argv[5]);
    if (!strcmp(c, "pwrite") && argc == 5) {
        int fd = open(argv[2], O_WRONLY);
        if (fd < 0) { perror(argv[2]); return 1; }
        unsigned long off = strtoul(argv[3], NULL, 0);
        int rc = write_range(fd, off, off + strtoul(argv[4], NULL, 0));
        fsync(fd);
        return rc;
    }
    if (!strcmp(c, "clone") && argc == 4) return clone_file(argv[2], argv[3]);
    if (!strcmp(c, "clonerange") && argc == 7) return clone_range(argv + 2);
    if (!strcmp(c, "xattr") && argc == 4) return xattrs(argv[2], atoi(argv[3]));
    if (!strcmp(c, "where") && argc == 4) return where(argv[2], strtoul(argv[3], NULL, 0));
    fprintf(stderr, "daxhelper: unknown command or wrong arguments: %s\n", c);
    return 2;
}
