# plan for "Two early mappers of one reflinked file", kernel 6.12 (written by DaxViz's GuestTranslator)
load_modules
make_namespace 0 fsdax
make_fs dax=always -d agcount=4,size=268435456 -m reflink=1,rmapbt=1
run mkdir -p /mnt/data
run daxhelper mkfile /mnt/data/a.bin 16384
run daxhelper clone /mnt/data/a.bin /mnt/data/b.bin
sync
file_report /data/a.bin
file_report /data/b.bin
echo 0 > /proc/sys/vm/memory_failure_early_kill
echo 1 > /proc/sys/vm/memory_failure_recovery
start_mapper 1 pa early die /mnt/data/a.bin,0,16384,all,0,0
start_mapper 2 pb1 early die /mnt/data/b.bin,0,16384,all,0,0
start_mapper 3 pb2 early die /mnt/data/b.bin,0,16384,all,0,0
locate 0 0 file /data/a.bin 4096
say "SETUP-END uptime=$(up)"
event_begin 0 1/1 poison
poison_inject 0 0 /data/a.bin+4096
event_end 0
