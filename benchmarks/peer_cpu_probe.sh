#!/bin/sh
# Benchmark helper for peer_mliap.py, called by LAMMPS rank 0 via `shell`: appends one line
# "<label> <pid> <utime+stime ticks> <ticks per second>" per lmp rank (children of the mpirun
# that started us) to cpu_probe.txt. utime+stime covers all threads (JVM, ORT, torch) and kernel time.
label="$1"
p=$$
while [ "$p" -gt 1 ]; do                     # walk up to the lmp process (rank 0)
  [ "$(cat /proc/$p/comm 2>/dev/null)" = "lmp" ] && break
  p=$(awk '{print $4}' /proc/$p/stat)
done
[ "$p" -gt 1 ] || { echo "peer_cpu_probe: not started by lmp" >&2; exit 1; }
launcher=$(awk '{print $4}' /proc/$p/stat)   # mpirun
tck=$(getconf CLK_TCK)
for c in $(cat /proc/$launcher/task/*/children); do
  [ "$(cat /proc/$c/comm 2>/dev/null)" = "lmp" ] || continue
  awk -v l="$label" -v c="$c" -v t="$tck" '{ sub(/^.*\) /, ""); print l, c, $12 + $13, t }' /proc/$c/stat
done >> cpu_probe.txt
