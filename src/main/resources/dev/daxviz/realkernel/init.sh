#!/bin/busybox sh
# /init of DaxViz's real-kernel guest (daxviz verify). It sets the machine up, provides the functions the
# scenario's plan calls, sources the plan (/scen/plan.sh, written by the translator), then powers off.
# Protocol: one line per fact on /dev/ttyS1 (the kernel console is ttyS0, so kernel text never interleaves with
# it). The host judges a run by these markers only: a panic also ends qemu with status 0.
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
# a mapper that died of SIGBUS leaves a FIFO without reader: writing to it must not kill init
trap '' PIPE
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug
# init holds fd 3 on the port for its whole life: no close, no wait for the UART to drain in between
stty -F /dev/ttyS1 raw -echo 2>/dev/null
exec 3>>/dev/ttyS1
up() { cut -d' ' -f1 /proc/uptime; }
say() { echo "$*" >&3; }
kmark() { echo "DAXVIZ-MARK $*" > /dev/kmsg; }
say "INIT uptime=$(up) kernel=$(uname -r)"
# the boot log, for the raw log only (B lines); from here on K lines are the kernel's new lines per section
dmesg -c 2>/dev/null | sed 's/^/B /' >&3

# klog: the kernel lines printed since the last call (K lines); returns 0 when they hold an oops
klog() {
  dmesg -c > /tmp/klog 2>/dev/null
  sed 's/^/K /' /tmp/klog >&3
  grep -q 'BUG: \|Oops: ' /tmp/klog
}

NM=0
finish() {
  klog
  sync_mappers final
  say "END uptime=$(up)"
  exec 3>&-
  poweroff -f
}
# after an oops the dead task may hold locks that poweroff's device shutdown waits for: reset at once instead
# (sysrq b skips device shutdown; -no-reboot makes qemu exit)
crashed() {
  say "STOP $1"
  klog
  say "END uptime=$(up)"
  exec 3>&-
  echo b > /proc/sysrq-trigger
}
fail() { say "ERROR $*"; finish; }

load_modules() {
  for m in libnvdimm nd_btt nd_pmem nd_e820 crc32c_generic libcrc32c xfs hwpoison-inject device_dax dax_pmem; do
    insmod /lib/modules/$m.ko || fail "insmod $m"
  done
  say "MODULES uptime=$(up)"
}

# make_namespace N MODE: namespaceN.0 in fsdax (/dev/pmemN) or devdax (/dev/daxN.0) mode; sets NSBASEn (first
# pfn of the namespace, where the fsdax reserve starts) and DBASEn (first pfn of the data: block 0 of the device)
make_namespace() {
  # the region's default 16 MiB alignment would refuse a namespace sized to hold exactly the scenario's device
  echo 0x200000 > /sys/bus/nd/devices/region$1/align 2>/tmp/align.err || say "NOTE region$1 align: $(cat /tmp/align.err)"
  ndctl create-namespace -f -e namespace$1.0 -m $2 -M dev > /tmp/ndctl.out 2>&1 \
    || fail "ndctl create-namespace namespace$1.0 -m $2: $(tail -n 3 /tmp/ndctl.out | tr '\n' ' ')"
  ns=$(cat /sys/bus/nd/devices/namespace$1.0/resource)
  # the claiming device is not always pfn0.0 (a seed device may be pfn0.1): ask the namespace
  dev=$(cat /sys/bus/nd/devices/namespace$1.0/holder)
  data=$(cat /sys/bus/nd/devices/$dev/resource 2>/dev/null)
  [ -n "$data" ] || fail "namespace$1.0: no data resource (holder '$dev')"
  eval "NSBASE$1=$(( ns / 4096 )); DBASE$1=$(( data / 4096 ))"
  say "PMEM n=$1 mode=$2 namespace=$ns data=$data size=$(cat /sys/bus/nd/devices/namespace$1.0/size)"
}

# make_fs MOUNTOPTS MKFSARGS...: below 300 MB mkfs.xfs wants the fstests variables (the fs size is pinned to the
# scenario's device size)
make_fs() {
  MOUNTOPTS=$1; shift
  case "$MOUNTOPTS" in *logdev=*) XFSDB_LOG="-l $(echo "$MOUNTOPTS" | sed 's/.*logdev=\([^,]*\).*/\1/')";; esac
  TEST_DIR=/tmp TEST_DEV=/dev/pmem0 QA_CHECK_FS=1 mkfs.xfs -f -q "$@" /dev/pmem0 > /tmp/mkfs.out 2>&1 \
    || fail "mkfs.xfs $*: $(tr '\n' ' ' < /tmp/mkfs.out)"
  mount -t xfs -o "$MOUNTOPTS" /dev/pmem0 /mnt || fail "mount -o $MOUNTOPTS"
  say "FS mkfs=$* mount=$MOUNTOPTS uptime=$(up)"
  # xfs_db must be told where an external log is (-l), else it complains on the console
  G=$(xfs_db -r $XFSDB_LOG -c 'sb 0' -c 'p agcount agblocks agblklog dblocks logstart logblocks rootino sectsize' /dev/pmem0 \
      | sed 's/ = /=/' | tr '\n' ' ')
  eval "$(echo "$G" | tr ' ' '\n' | sed -n 's/^agblocks=/AGBLOCKS=/p')"
  say "GEOMETRY $G"
}

# state WHAT COMMAND...: brings the world into a state the scenario starts in (a remount, a shutdown). The kernel
# lines this prints are the guest's way there, not part of the scenario's setup: they go between STATE and STATE-END
state() {
  klog
  say "STATE $1"; shift
  "$@" > /tmp/run.out 2>&1 || fail "$*: $(tr '\n' ' ' < /tmp/run.out)"
  klog
  say "STATE-END"
}
remount() {
  umount /mnt || fail "umount for the remount"
  mount -t xfs -o "$MOUNTOPTS" /dev/pmem0 /mnt || fail "mount -o $MOUNTOPTS (remount)"
}

# files: every path is the scenario's, under /mnt
run() { "$@" > /tmp/run.out 2>&1 || fail "$*: $(tr '\n' ' ' < /tmp/run.out)"; }
file_report() { say "FILE path=$1 ino=$(stat -c %i "/mnt$1")"; }

# ---- mappers: mapper i talks through FIFOs on fds 10+2i (commands) and 11+2i (answers)
start_mapper() { # IDX COMM POLICY ONSIGBUS SPEC...
  i=$1
  mkfifo /tmp/c$i /tmp/a$i
  daxhelper map "$@" < /tmp/c$i > /tmp/a$i &
  eval "exec $((10 + 2 * i))>/tmp/c$i"
  eval "exec $((11 + 2 * i))</tmp/a$i"
  NM=$i
  ask $i || { say "DEAD i=$i start"; eval "GONE$i=1"; fail "mapper $i ($2) did not start"; }
}
# ask I [COMMAND...] -> ANS; returns 1 at EOF (the mapper is gone)
ask() {
  a=$1; shift
  [ $# -gt 0 ] && eval "echo \"\$*\" >&$((10 + 2 * a))" 2>/dev/null
  ANS=
  eval "read -r ANS <&$((11 + 2 * a))"
}
# sync_mappers TAG: every live mapper answers a ping; one with a pending SIGBUS runs its handler first, so after
# this every signal of the event has been reported (no sleeps)
sync_mappers() {
  j=1
  while [ $j -le $NM ]; do
    eval "g=\$GONE$j"
    if [ -z "$g" ]; then
      if ask $j ping; then say "ALIVE i=$j $1"; else say "DEAD i=$j $1"; eval "GONE$j=1"; fi
    fi
    j=$((j + 1))
  done
}
# gone I: whether mapper I has died or exited (it then says SKIP for what it was asked to do)
gone() { eval "g=\$GONE$1"; [ -n "$g" ] && say "SKIP i=$1 gone"; }
mapper_do() { # IDX COMMAND...: a model event done by a mapper
  m=$1; shift
  gone $m && return
  if ask $m "$@"; then say "DONE i=$m $ANS"; else say "DEAD i=$m during $1"; eval "GONE$m=1"; fi
}
mapper_exit() { gone $1 && return; ask $1 exit; eval "GONE$1=1"; say "EXITED i=$1"; }

# ---- where a role lives in the real layout (a pfn), printed as "PFN HOW" (HOW: exact | clamped | moved)
fsmap_dump() { xfs_io -c 'fsmap -d' /mnt > /tmp/fsmap 2> /tmp/fsmap.err; }
# fsmap_block WHAT AGNO K: the K-th block of the records whose owner text is WHAT, in AG AGNO (AGNO -1: any)
fsmap_block() {
  awk -v what="$1" -v ag="$2" -v k="$3" -v agb="$AGBLOCKS" '
    { s = $0; i = index(s, "["); if (!i) next
      s = substr(s, i + 1); split(s, a, "]"); split(a[1], r, "[.][.]")
      own = substr(a[2], 3); sub(/ [0-9]+$/, "", own)
      if (own != what && index(own, what " ") != 1) next
      start = int(r[1] / 8); end = int((r[2] + 1) / 8)
      if (ag >= 0 && int(start / agb) != ag) next
      n = end - start
      if (k < n) { print start + k, "exact"; found = 1; exit }
      k -= n; last = end - 1 }
    END { if (!found && last != "") print last, "clamped" }' /tmp/fsmap
}
# free_block AGNO AGBNO: that block if it is free, else the nearest free block of the AG after (or before) it
free_block() {
  awk -v ag="$1" -v want="$2" -v agb="$AGBLOCKS" '
    { s = $0; i = index(s, "["); if (!i) next
      s = substr(s, i + 1); split(s, a, "]"); split(a[1], r, "[.][.]")
      own = substr(a[2], 3); sub(/ [0-9]+$/, "", own)
      if (own != "free space") next
      start = int(r[1] / 8); end = int((r[2] + 1) / 8)
      if (int(start / agb) != ag) next
      b = ag * agb + want
      if (b >= start && b < end) { print b, "exact"; found = 1; exit }
      if (after == "" && start > b) after = start
      if (start < b) before = end - 1 }
    END { if (!found) { if (after != "") print after, "moved"; else if (before != "") print before, "moved" } }' /tmp/fsmap
}
ino_of() { stat -c %i "/mnt$1"; }
blk() { set -- $1; [ -n "$1" ] && echo "$(( DBASE0 + $1 )) $2"; }
role_pfn() {
  case "$1" in
    file)    o=$(daxhelper where "/mnt$2" "$3"); [ "${o:--1}" -ge 0 ] && echo "$(( DBASE0 + o / 4096 )) exact";;
    rtfile)  eval "b=\$DBASE$2"; o=$(daxhelper where "/mnt$3" "$4"); [ "${o:--1}" -ge 0 ] && echo "$(( b + o / 4096 )) exact";;
    attr)    fsmap_dump; blk "$(fsmap_block "inode $(ino_of "$2") attr" -1 "$3")";;
    bmbt)    fsmap_dump; blk "$(fsmap_block "inode $(ino_of "$2") data extent map" -1 "$3")";;
    meta)    fsmap_dump; blk "$(fsmap_block "$2" "$3" "$4")";;
    root)    blockdev --flushbufs /dev/pmem0 2>/dev/null
             v=$(xfs_db -r $XFSDB_LOG -c "$2 $3" -c "p $4" /dev/pmem0 | sed -n 's/.* = //p')
             [ -n "$v" ] && echo "$(( DBASE0 + AGBLOCKS * $3 + v )) exact";;
    free)    fsmap_dump; blk "$(free_block "$2" "$3")";;
    logdev)  eval "b=\$DBASE$2"; echo "$(( b + $3 )) exact";;
    reserve) echo "$(( NSBASE0 + $2 )) $([ $(( NSBASE0 + $2 )) -lt $DBASE0 ] && echo exact || echo outside)";;
    devoff)  echo "$(( DBASE0 + $2 / 4096 )) exact";;
  esac
}
# locate E P ROLE...: the pfn of page P of event E, kept in L_E_P ("PFN HOW"): resolved when first asked, or again
# when the plan says the layout may have changed since (relocate), falling back to what was found before
locate() {
  e=$1; p=$2; shift 2
  r=$(role_pfn "$@")
  if [ -n "$r" ]; then eval "L_${e}_$p=\"\$r\""; fi
}
relocate() { locate "$@"; }

# ---- events
event_begin() { klog; say "EVENT i=$1 n=$2 kind=$3 uptime=$(up)"; kmark "event $1"; }
event_end() {
  sync_mappers "event=$1"
  if klog; then crashed oops; fi
  say "EVENT-END i=$1"
  [ -n "$INJECTOR_DIED" ] && crashed injector-died
}
# page_line E P ROLETEXT: the PAGE line of page P of event E; sets PFN, returns 1 when the role was not found
page_line() {
  eval "l=\$L_$1_$2"
  if [ -z "$l" ]; then say "PAGE p=$2 pfn=none role=$3"; return 1; fi
  set -- $2 "$3" $l
  PFN=$3
  say "PAGE p=$1 pfn=$(printf 0x%x "$PFN") how=$4 role=$2"
}
# poison_inject E P ROLETEXT: debugfs corrupt-pfn from a short-lived helper (current, but it maps nothing)
poison_inject() {
  page_line "$@" || return
  RC=$(daxhelper inject "$PFN")
  say "RC p=$2 rc=${RC:-none}"
  [ -n "$RC" ] || INJECTOR_DIED=1
  sync_mappers "page=$2"
}
# poison_madvise E P ROLETEXT MAPPER GUESTPATH OFF: MADV_HWPOISON by the mapper itself, at its own mapping
poison_madvise() {
  gone $4 && return
  page_line "$1" "$2" "$3" || return
  if ask $4 madvise "$5" "$6" 4096; then say "RC p=$2 madvise $ANS"
  else say "RC p=$2 rc=unknown (mapper $4 died of its SIGBUS in madvise)"; say "DEAD i=$4 madvise"; eval "GONE$4=1"; fi
  sync_mappers "page=$2"
}
remove_device() {
  ( echo "$(cat /sys/bus/nd/devices/namespace0.0/holder)" > /sys/bus/nd/drivers/nd_pmem/unbind ) 2> /tmp/unbind.err
  say "REMOVE rc=$? $(tr '\n' ' ' < /tmp/unbind.err)"
}

[ -f /scen/plan.sh ] || fail "no /scen/plan.sh in the initramfs"
. /scen/plan.sh
finish
