#!/usr/bin/env bash
# Interphase demo: the main job end to end, on a small cell.
#   1. build a Li | Li6PS5Cl | Li cell (~2k atoms)              interphase build-cell
#   2. reactive MD with the default equivariant potential        LAMMPS + pair_style onnx, 2 MPI ranks
#   3. classify local environments and find the growing phases   interphase analyze
#   4. Li penetration into the electrolyte vs time               interphase li-penetration
# and prints a short report. It first runs scripts/setup.sh (idempotent: a no-op once everything
# is built; INTERPHASE_NO_SETUP=1 skips it). See docs/main-job.md.
#
# Usage: bash scripts/demo.sh [--out DIR] [--model FILE.onnx] [--np N] [--temperature K]
#                             [--ps PS] [--eq-ps PS] [--dump-every STEPS] [--min-steps N]
#                             [--device cpu|cuda]
# Every failure prints one line "interphase: <cause>. <fix>." and exits non-zero.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ "${INTERPHASE_NO_SETUP:-0}" != 1 ]; then
  bash "$ROOT/scripts/setup.sh" || exit 1
fi
# shellcheck source=env.sh
source "$ROOT/scripts/env.sh"

OUT="$ROOT/out/demo"
MODEL="${INTERPHASE_MODEL:-$ROOT/models/li-p-s-cl-allegro.f32.onnx}"
NP=2
TEMP=450           # K (bcc Li melts at 454 K)
PROD_PS=0.8        # NVT production (ps); with the equilibration: 1.2 ps of MD at 1 fs (the default model costs ~176 us/atom-step)
EQ_PS=0.4          # NVT equilibration (ps)
DUMP_EVERY=50      # steps between H5MD frames (50 fs)
MIN_STEPS=50       # CG minimisation iterations before the MD
DEVICE=cpu
MIN_MB="${INTERPHASE_DEMO_MIN_MB:-300}"   # free disk space needed in the output directory

while [ $# -gt 0 ]; do
  case "$1" in
    --out) OUT="${2:?--out needs a directory}"; shift 2 ;;
    --model) MODEL="${2:?--model needs a file}"; shift 2 ;;
    --np) NP="${2:?--np needs a number}"; shift 2 ;;
    --temperature) TEMP="${2:?--temperature needs a value in K}"; shift 2 ;;
    --ps) PROD_PS="${2:?--ps needs a value}"; shift 2 ;;
    --eq-ps) EQ_PS="${2:?--eq-ps needs a value}"; shift 2 ;;
    --dump-every) DUMP_EVERY="${2:?--dump-every needs a number}"; shift 2 ;;
    --min-steps) MIN_STEPS="${2:?--min-steps needs a number}"; shift 2 ;;
    --device) DEVICE="${2:?--device needs cpu or cuda}"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1'. See 'bash scripts/demo.sh --help'." ;;
  esac
done
[[ "$NP" =~ ^[1-9][0-9]*$ ]] || die "--np '$NP' is not a positive integer. Use e.g. --np 2."
[[ "$DUMP_EVERY" =~ ^[1-9][0-9]*$ ]] || die "--dump-every '$DUMP_EVERY' is not a positive integer. Use e.g. --dump-every 50."
[[ "$MIN_STEPS" =~ ^[0-9]+$ ]] || die "--min-steps '$MIN_STEPS' is not a non-negative integer. Use e.g. --min-steps 50."
for v in "$TEMP" "$PROD_PS" "$EQ_PS"; do
  [[ "$v" =~ ^[0-9]+([.][0-9]+)?$ ]] || die "'$v' is not a non-negative number (--temperature/--ps/--eq-ps). Use e.g. --ps 2."
done
awk -v t="$TEMP" 'BEGIN{exit !(t >= 1 && t <= 3000)}' || die "--temperature $TEMP K is outside 1..3000 K. The demo is meant for 300-600 K."

# ---- preflight: every missing piece is named with its fix before anything runs ----------------
[ -f "$MODEL" ] || die "model $MODEL not found. Run scripts/setup.sh (it installs the default model) or pass --model FILE.onnx"
[ -x "$INTERPHASE_LMP" ] || die "LAMMPS not found at $INTERPHASE_LMP. Run scripts/setup.sh (it builds LAMMPS)"
"$INTERPHASE_LMP" -h >/dev/null 2>&1 || die "LAMMPS at $INTERPHASE_LMP does not start. Re-run scripts/setup.sh to rebuild it"
[ -f "$INTERPHASE_PLUGIN" ] || die "the pair_style onnx plugin $INTERPHASE_PLUGIN is missing. Run scripts/setup.sh (or scripts/build-plugin.sh)"
command -v mpirun >/dev/null || die "mpirun not found. Run scripts/setup.sh (installs Open MPI)"
[ -x "$INTERPHASE_PYTHON" ] || die "the Python environment $INTERPHASE_PYTHON is missing. Run scripts/setup.sh"
[ -x "$INTERPHASE_CLI" ] || die "the interphase CLI $INTERPHASE_CLI is missing. Run scripts/setup.sh"
mkdir -p "$OUT" 2>/dev/null || die "cannot create the output directory $OUT. Pass a writable --out DIR"
[ -w "$OUT" ] || die "the output directory $OUT is not writable. Pass a writable --out DIR"
OUT="$(cd "$OUT" && pwd)"
avail=$(df -Pm "$OUT" | awk 'NR==2{print $4}')
[ "${avail:-0}" -ge "$MIN_MB" ] || die "only ${avail:-0} MB free under $OUT, the demo needs ${MIN_MB} MB. Free disk space or pass --out DIR on a larger disk"

stage() { echo "== [$1/4] $2" >&2; }
# The last message line of a failed CLI call, without its own "interphase...:" prefix.
inner_error() { grep -v '^\[interphase\]' "$1" | grep -v '^SLF4J' | tail -n1 | sed -E 's/^interphase( [a-z-]+)?: (error: )?//'; }

# ---- 1. structure -----------------------------------------------------------------------------
stage 1 "building the Li | Li6PS5Cl | Li cell"
rm -f "$OUT/cell.data" "$OUT/cell.data.properties"
if ! "$INTERPHASE_CLI" build-cell -o "$OUT/cell.data" --model "$MODEL" > "$OUT/build-cell.txt" 2> "$OUT/build-cell.err"; then
  die "build-cell failed: $(inner_error "$OUT/build-cell.err")"
fi
[ -s "$OUT/cell.data" ] && [ -s "$OUT/cell.data.properties" ] || die "build-cell wrote no cell. See $OUT/build-cell.err"
sed 's/^/   /' "$OUT/build-cell.txt" >&2
natoms=$(awk -F' = ' '$1=="atoms"{print $2}' "$OUT/cell.data.properties")

# ---- 2. MD ------------------------------------------------------------------------------------
eq_steps=$(awk -v p="$EQ_PS" 'BEGIN{printf "%d", p/0.001 + 0.5}')
prod_steps=$(awk -v p="$PROD_PS" 'BEGIN{printf "%d", p/0.001 + 0.5}')
total=$((eq_steps + prod_steps))
stage 2 "LAMMPS: $natoms atoms, minimise ($MIN_STEPS iterations) + $EQ_PS ps NVT equilibration + $PROD_PS ps NVT at $TEMP K, $NP MPI ranks (log: $OUT/log.lammps)"
rm -f "$OUT/traj.h5" "$OUT/log.lammps" "$OUT/screen.txt" "$OUT/final.restart" "$OUT/final.data"
mpirun -np "$NP" "$INTERPHASE_LMP" -in "$ROOT/lammps-inputs/in.interphase" \
  -var data "$OUT/cell.data" -var model "$MODEL" -var plugin "$INTERPHASE_PLUGIN" -var out "$OUT" \
  -var T "$TEMP" -var min_steps "$MIN_STEPS" -var ps_eq "$EQ_PS" -var ps_nve 0 -var ps_prod "$PROD_PS" -var dump_every "$DUMP_EVERY" \
  -var thermo_every "$DUMP_EVERY" -var device "$DEVICE" -var threads 1 \
  -log "$OUT/log.lammps" -screen "$OUT/screen.txt" > "$OUT/mpirun.txt" 2>&1 &
lmp_pid=$!
md_start=$SECONDS
trap 'kill "$lmp_pid" 2>/dev/null || true' INT TERM
last=""
while kill -0 "$lmp_pid" 2>/dev/null; do
  sleep 5
  # last thermo line of the MD (step count since the end of the minimisation)
  now=$(awk '/interphase-stage: nvt-equilibration/{md=1} md && $1 ~ /^[0-9]+$/ && NF==8 {s=$1} END{if (s!="") print s}' "$OUT/log.lammps" 2>/dev/null || true)
  if [ -n "$now" ] && [ "$now" != "$last" ]; then echo "   MD step $now / $total" >&2; last="$now"; fi
done
rc=0; wait "$lmp_pid" || rc=$?
md_seconds=$((SECONDS - md_start))
trap - INT TERM
if [ "$rc" -ne 0 ] || ! grep -q "interphase-stage: done" "$OUT/log.lammps" 2>/dev/null; then
  err=$(grep -h -m1 -E "^ERROR|ERROR on proc|ERROR:" "$OUT/screen.txt" "$OUT/log.lammps" "$OUT/mpirun.txt" 2>/dev/null | head -n1 || true)
  [ -n "$err" ] && die "LAMMPS failed: $err (log: $OUT/log.lammps)"
  if [ "$(df -Pm "$OUT" | awk 'NR==2{print $4}')" -lt 10 ]; then die "LAMMPS stopped: the disk under $OUT is full. Free disk space and re-run"; fi
  die "LAMMPS stopped (exit code $rc) before the end without an error message (killed? out of memory?). See $OUT/mpirun.txt and $OUT/log.lammps"
fi
[ -s "$OUT/traj.h5" ] || die "LAMMPS finished but wrote no trajectory $OUT/traj.h5. See $OUT/log.lammps"
grep -h "interphase-stats" "$OUT/log.lammps" | tail -n1 | sed 's/^/   /' >&2 || true

# ---- 3. phases --------------------------------------------------------------------------------
stage 3 "interphase analyze: local environments -> clusters -> phases (references: a short MD of each reference crystal with the model at $TEMP K, cached after the first run)"
rm -rf "$OUT/analysis"
if ! "$INTERPHASE_CLI" analyze "$OUT/traj.h5" --data "$OUT/cell.data" -o "$OUT/analysis" --quiet --temperature "$TEMP" \
    --model "$MODEL" > "$OUT/analyze.txt" 2> "$OUT/analyze.err"; then
  die "interphase analyze failed: $(inner_error "$OUT/analyze.err")"
fi
for f in report.txt phase_fractions.csv thickness.csv phase_profile.csv; do
  [ -s "$OUT/analysis/$f" ] || die "interphase analyze wrote no $f. See $OUT/analyze.err"
done

# ---- 4. Li penetration ------------------------------------------------------------------------
stage 4 "interphase li-penetration: how far metal Li moved into the electrolyte"
if ! "$INTERPHASE_CLI" li-penetration "$OUT/traj.h5" --cell "$OUT/cell.data.properties" --out "$OUT/analysis" \
    > "$OUT/penetration.txt" 2> "$OUT/penetration.err"; then
  die "interphase li-penetration failed: $(inner_error "$OUT/penetration.err")"
fi
[ -s "$OUT/analysis/li_penetration.csv" ] || die "li-penetration wrote no li_penetration.csv. See $OUT/penetration.err"

# ---- report -----------------------------------------------------------------------------------
"$INTERPHASE_PYTHON" "$ROOT/scripts/demo_report.py" "$OUT" > "$OUT/report.txt" 2> "$OUT/report.err" \
  || die "writing the report failed ($(inner_error "$OUT/report.err")). The raw results are in $OUT/analysis"
echo "wall time: $((SECONDS / 60)) min $((SECONDS % 60)) s (MD $((md_seconds / 60)) min $((md_seconds % 60)) s)" >> "$OUT/report.txt"
cat "$OUT/report.txt"
