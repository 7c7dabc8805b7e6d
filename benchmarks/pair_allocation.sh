#!/usr/bin/env bash
# Java heap allocation of pair_style onnx in MD: GC log + JFR.
#
# Runs the Morse contract model (tests/models/morse_f64.onnx) on the Li6PS5Cl cell replicated
# 3x3x2 (936 atoms): WARM warm-up steps, then a fresh pair_style instance and STEPS (default
# 500) measured NVE steps, inside the LAMMPS process's JVM started with
#   -Xlog:gc (one line per collection, wall-clock decorated)
#   a JFR recording (profile settings: jdk.ObjectAllocationSample with stack traces;
#   jdk.ThreadAllocationStatistics every second), dumped with jcmd at the end (LAMMPS exits
#   without shutting the JVM down, so JFR would never write it on its own).
# Reports to results/pair-allocation.md:
#   - GCs during the measured steps (steady state) and in total;
#   - heap bytes per step from the C5 stats line (ThreadMXBean deltas inside compute);
#   - heap bytes per step of the LAMMPS thread from jdk.ThreadAllocationStatistics;
#   - where the sampled allocations come from (top frames of jdk.ObjectAllocationSample),
#     split into ONNX Runtime's Java API (ai.onnxruntime.*) and the bridge (org.interphase.*).
#
# Usage: bash benchmarks/pair_allocation.sh [STEPS=500] [WARM=50]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
STEPS="${1:-500}"
WARM="${2:-50}"
[ -x "$INTERPHASE_LMP" ] || { echo "pair_allocation: LAMMPS not found at $INTERPHASE_LMP: run scripts/setup.sh" >&2; exit 1; }
[ -f "$INTERPHASE_PLUGIN" ] || { echo "pair_allocation: plugin not found at $INTERPHASE_PLUGIN: run scripts/build-plugin.sh" >&2; exit 1; }
command -v jcmd >/dev/null && command -v jfr >/dev/null || { echo "pair_allocation: jcmd/jfr not on PATH: set JAVA_HOME to a JDK >= 22" >&2; exit 1; }
data="$INTERPHASE_SHARED/data/Li6PS5Cl_conventional.data"
[ -f "$data" ] || { echo "pair_allocation: $data missing: set INTERPHASE_SHARED" >&2; exit 1; }
model="$PWD/tests/models/morse_f64.onnx"
work="${WORKDIR:-$PWD/results/runs/pair-allocation}"
rm -rf "$work"
mkdir -p "$work" results
cat >"$work/in.alloc" <<DECK
units metal
atom_style atomic
boundary p p p
read_data $data
replicate 3 3 2
plugin load $INTERPHASE_PLUGIN
pair_style onnx
pair_coeff * * $model Li P S Cl
neighbor 1.0 bin
neigh_modify every 1 delay 0 check yes
velocity all create 300.0 87287 mom yes rot no dist gaussian loop geom
fix nve all nve
timestep 0.001
thermo 100
run $WARM
pair_style onnx
pair_coeff * * $model Li P S Cl
shell "date -u +%Y-%m-%dT%H:%M:%S.%N > t_start"
run $STEPS
shell "date -u +%Y-%m-%dT%H:%M:%S.%N > t_end"
shell "jcmd \$PPID JFR.dump filename=$work/alloc.jfr > jcmd.log 2>&1"
DECK
# Small fixed TLABs: jdk.ObjectAllocationSample is taken on TLAB refills, and at a few hundred
# bytes per step the default (adaptive, MB-sized) TLAB of the LAMMPS thread would not refill
# during the whole run. This changes where allocations are sampled, not how many bytes.
export INTERPHASE_JVM_OPTS="-Xlog:gc:file=$work/gc.log:utctime -XX:+StartAttachListener -XX:TLABSize=2048 -XX:-ResizeTLAB -XX:StartFlightRecording:settings=profile,jdk.ThreadAllocationStatistics#period=1s"
echo "[pair_allocation] 936 atoms, $WARM warm-up + $STEPS measured steps (JVM: $INTERPHASE_JVM_OPTS)" >&2
( cd "$work" && nice -n 10 "$INTERPHASE_LMP" -in in.alloc -log log.lammps -screen none ) \
  || { echo "pair_allocation: LAMMPS failed; see $work/log.lammps" >&2; exit 1; }
[ -s "$work/alloc.jfr" ] || { echo "pair_allocation: no JFR dump ($work/jcmd.log: $(head -c 300 "$work/jcmd.log" 2>/dev/null))" >&2; exit 1; }
jfr print --json --stack-depth 64 --events jdk.ObjectAllocationSample,jdk.ThreadAllocationStatistics,jdk.GarbageCollection \
  "$work/alloc.jfr" >"$work/alloc.json"
trap 'rm -f "$work/alloc.json"' EXIT
"$INTERPHASE_PYTHON" - "$work" "$STEPS" "$WARM" <<'PY'
import datetime as dt
import json
import re
import sys
from collections import Counter
from pathlib import Path

work, steps, warm = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])


def ts(s: str) -> dt.datetime:
    """ISO time (date -u, JFR, -Xlog utctime) -> aware UTC datetime (microseconds)."""
    s = s.strip().replace("Z", "+00:00")
    m = re.match(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?([+-]\d\d:?\d\d)?", s)
    frac = (m.group(2) or "0")[:6].ljust(6, "0")
    tz = (m.group(3) or "+00:00")
    if ":" not in tz:
        tz = tz[:3] + ":" + tz[3:]
    return dt.datetime.fromisoformat(f"{m.group(1)}.{frac}{tz}")


t0 = ts((work / "t_start").read_text())
t1 = ts((work / "t_end").read_text())
log = (work / "log.lammps").read_text()
stats = re.findall(r"^interphase-stats: .*$", log, re.M)[-1]
kv = dict(re.findall(r"(\w+)=([^\s]+)", stats))
loop = [float(x) for x in re.findall(r"^Loop time of ([\d.eE+-]+)", log, re.M)][-1]

gc_lines = [line for line in (work / "gc.log").read_text().splitlines() if re.search(r"\bGC\(\d+\)", line)]
gc_times = [ts(line[1:line.index("]")]) for line in gc_lines]
gc_steady = [line for line, t in zip(gc_lines, gc_times) if t0 <= t <= t1]

events = json.loads((work / "alloc.json").read_text())["recording"]["events"]


def start(e):
    return ts(e["values"]["startTime"])


# the LAMMPS main thread runs every compute() upcall: it is the thread named "main" (the
# thread that created the JVM) or the one whose samples carry Upcalls.compute frames
samples = [e for e in events if e["type"] == "jdk.ObjectAllocationSample"]
def frames(e):
    st = e["values"].get("stackTrace") or {}
    return [(f["method"]["type"]["name"] + "." + f["method"]["name"]).replace("/", ".")
            for f in st.get("frames", [])]
compute_threads = Counter(e["values"]["eventThread"]["javaName"] for e in samples
                          if any("Upcalls.compute" in f for f in frames(e)))
lammps_thread = compute_threads.most_common(1)[0][0] if compute_threads else "main"

steady = [e for e in samples if t0 <= start(e) <= t1 and e["values"]["eventThread"]["javaName"] == lammps_thread]
by_origin = Counter()
by_top = Counter()
for e in steady:
    w = e["values"]["weight"]
    fr = frames(e)
    origin = "other"
    for f in fr:
        if f.startswith("java.lang.invoke.MethodHandle.customize"):
            origin = "JDK: one-time MethodHandle customization (FFM upcall invoked 127 times)"
            break
        if f.startswith("ai.onnxruntime."):
            origin = "ONNX Runtime Java API (ai.onnxruntime.*)"
            break
        if f.startswith("org.interphase."):
            origin = "bridge (org.interphase.*)"
            break
    by_origin[origin] += w
    cls = e["values"]["objectClass"]["name"].replace("/", ".")
    top = next((f for f in fr if not f.startswith(("java.", "jdk.", "sun."))), fr[0] if fr else "?")
    by_top[(cls, top)] += w

tas = sorted((start(e), e["values"]["allocated"]) for e in events
             if e["type"] == "jdk.ThreadAllocationStatistics"
             and (e["values"].get("thread") or {}).get("javaName") == lammps_thread)
inside = [(t, a) for t, a in tas if t0 <= t <= t1]
tas_per_step = None
tas_note = "fewer than two jdk.ThreadAllocationStatistics samples inside the measured run"
if len(inside) >= 2:
    # first and last samples inside the run; steps between them estimated from the elapsed time
    (ta, aa), (tb, ab) = inside[0], inside[-1]
    nsteps = steps * (tb - ta).total_seconds() / (t1 - t0).total_seconds()
    tas_per_step = (ab - aa) / nsteps
    tas_note = (f"{ab - aa} bytes between samples {(tb - ta).total_seconds():.1f} s apart "
                f"(~{nsteps:.0f} steps) inside the run")

calls = float(kv["calls"])
stats_bps = float(kv["heap_bytes_per_call"])
sampled = sum(by_origin.values())
lines = [
    "# pair_style onnx: Java heap allocation in MD",
    "",
    f"Generated by `benchmarks/pair_allocation.sh {steps} {warm}` on {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M UTC}.",
    f"Morse contract model (tests/models/morse_f64.onnx), Li6PS5Cl cell replicated 3x3x2 = 936 atoms, 300 K NVE, "
    f"dt 1 fs, 1 MPI rank; {warm} warm-up steps, then a fresh pair_style instance and {steps} measured steps "
    f"({loop / steps * 1e3:.2f} ms/step). JVM: -Xlog:gc, JFR profile settings with "
    f"jdk.ThreadAllocationStatistics every 1 s, dumped by jcmd after the run.",
    "",
    "| quantity | value | source |",
    "|---|---|---|",
    f"| GCs during the {steps} measured steps | {len(gc_steady)} | -Xlog:gc lines between the run's start and end |",
    f"| GCs in the whole process | {len(gc_lines)} | -Xlog:gc (JVM start, ONNX Runtime/model load, warm-up) |",
    f"| heap bytes per step (compute upcall) | {stats_bps:.0f} | C5 stats line heap_bytes_per_call (calls={int(calls)}, first 5 excluded) |",
    f"| heap bytes per step (LAMMPS thread, whole step) | {'%.0f' % tas_per_step if tas_per_step is not None else 'n/a'} | jdk.ThreadAllocationStatistics, {tas_note} |",
    f"| sampled heap bytes per step (LAMMPS thread) | {sampled / steps:.0f} | sum of jdk.ObjectAllocationSample weights in the measured window ({len(steady)} samples; a statistical estimate) |",
    "",
    "Sampled allocation by origin (jdk.ObjectAllocationSample weights, measured window, LAMMPS thread):",
    "",
    "| origin | bytes per step | share |",
    "|---|---|---|",
]
for origin, w in by_origin.most_common():
    lines.append(f"| {origin} | {w / steps:.0f} | {100 * w / max(sampled, 1):.0f}% |")
lines += ["", "Top allocation sites (object class, first non-JDK frame):", "", "| class | site | bytes per step |", "|---|---|---|"]
for (cls, top), w in by_top.most_common(12):
    lines.append(f"| {cls} | {top} | {w / steps:.0f} |")
ort = by_origin.get("ONNX Runtime Java API (ai.onnxruntime.*)", 0) / steps
bridge = by_origin.get("bridge (org.interphase.*)", 0) / steps
bridge_sites = sorted({top for (cls, top), w in by_top.items() if top.startswith("org.interphase.")})
lines += [
    "",
    "## Reading",
    "",
    f"- **GC**: {len(gc_steady)} collections during the {steps} measured steps ({len(gc_lines)} in the whole "
    f"process). At ~{stats_bps:.0f} bytes per step the young generation fills only after "
    f"thousands of steps or more, so steady-state MD runs with (almost) no GC pauses.",
    f"- **ONNX Runtime's Java API** allocates ~{ort:.0f} bytes per `OrtSession.run(inputs, pinnedOutputs)` "
    "(sampled), even with every input and output tensor reused: per call it iterates the input "
    "and output maps (HashMap entry iterators), builds the String[]/long[] name and handle arrays "
    "and the OnnxValue[] it hands to JNI (the native side returns a boolean[] of ownership flags), "
    "and wraps the outputs in a new `OrtSession.Result` (a LinkedHashMap with one entry per "
    "output, plus an ArrayList). No tensor data is copied to the heap (outputs are pinned to the "
    "bridge's direct buffers). This is what the C5 `heap_bytes_per_call` "
    f"({stats_bps:.0f} bytes) measures, since the bridge itself allocates nothing per step.",
    f"- **The bridge** (org.interphase.*): ~{bridge:.0f} bytes per step on average, all of it at bucket "
    f"changes (reallocs={kv['reallocs']} in this run: new off-heap buffers and OnnxTensors "
    f"over them; sites: {', '.join(bridge_sites) or 'none sampled'}); steps without a bucket change "
    "allocate nothing in the graph build, NaN check or tally.",
    "- **JDK**: a one-time MethodHandle customization of the FFM upcall (the JDK compiles a "
    "specialised LambdaForm after 127 invocations), when it falls inside the measured window.",
    "- The whole-step figure (jdk.ThreadAllocationStatistics) also contains the few calls outside "
    "compute (stats upcall, JFR itself) and the one-time costs above.",
]
out = Path("results/pair-allocation.md")
out.write_text("\n".join(lines) + "\n")
print(out.read_text())
print(f"[pair_allocation] stats line: {stats}", file=sys.stderr)
PY
