#!/usr/bin/env bash
# A long NVT (+ NVE) run of a Li | Li6PS5Cl | Li cell that continues across sessions.
#   The first call builds the cell (interphase build-cell) and starts lammps-inputs/in.long; every
#   later call with the same --out continues from the newest readable restart file, until the run is
#   complete. Each call stops cleanly after --hours (LAMMPS 'timer timeout'), writing a restart.
#   When the run is complete, scripts/long_run_report.py summarises it (DIR/summary.md).
#   --cell FILE: a cell written by 'interphase build-cell' (FILE and FILE.properties) instead of
#   one built with --atoms N. --committee may change between calls: it adds deviation rows only,
#   model 0 alone drives the dynamics.
#   See docs/long-runs.md.
#
# Usage: bash scripts/long-run.sh --out DIR [--atoms N | --cell FILE] [--model M0.onnx] [--committee M1.onnx,...]
#            [--temperature K] [--ps PS] [--nve-ps PS] [--dt PS] [--dump-every N] [--devi-every N] [--thermo-every N]
#            [--np N] [--hours H] [--steps N]
# --hours H: stop cleanly after H hours of wall time; --steps N: after N more steps.
# The physics settings (all but --np and --hours) are fixed by the first call and kept in
# DIR/run.conf; a later call that gives a different value stops with an error (--committee excepted).
# Every failure prints one line "interphase: <cause>. <fix>." and exits non-zero.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=env.sh
source "$ROOT/scripts/env.sh"

OUT=""
NP=2
HOURS=""
STEPS=""
declare -A opt=()
while [ $# -gt 0 ]; do
  case "$1" in
    --out) OUT="${2:?--out needs a directory}"; shift 2 ;;
    --np) NP="${2:?--np needs a number}"; shift 2 ;;
    --hours) HOURS="${2:?--hours needs a number}"; shift 2 ;;
    --steps) STEPS="${2:?--steps needs a number}"; shift 2 ;;
    --atoms) opt[atoms]="${2:?--atoms needs a number}"; shift 2 ;;
    --cell) opt[cell]="${2:?--cell needs a data file}"; shift 2 ;;
    --model) opt[model]="${2:?--model needs a file}"; shift 2 ;;
    --committee) opt[committee]="${2:?--committee needs comma-separated files}"; shift 2 ;;
    --temperature) opt[T]="${2:?--temperature needs a value in K}"; shift 2 ;;
    --ps) opt[ps_nvt]="${2:?--ps needs a value}"; shift 2 ;;
    --nve-ps) opt[ps_nve]="${2:?--nve-ps needs a value}"; shift 2 ;;
    --dt) opt[dt]="${2:?--dt needs a value in ps}"; shift 2 ;;
    --dump-every) opt[dump_every]="${2:?--dump-every needs a number}"; shift 2 ;;
    --devi-every) opt[devi_every]="${2:?--devi-every needs a number}"; shift 2 ;;
    --thermo-every) opt[thermo_every]="${2:?--thermo-every needs a number}"; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1'. See 'bash scripts/long-run.sh --help'." ;;
  esac
done
[ -n "$OUT" ] || die "--out DIR is required (the run's directory; give the same one to continue)."
[[ "$NP" =~ ^[1-9][0-9]*$ ]] || die "--np '$NP' is not a positive integer. Use e.g. --np 2."
[ -z "$STEPS" ] || [[ "$STEPS" =~ ^[1-9][0-9]*$ ]] || die "--steps '$STEPS' is not a positive integer. Use e.g. --steps 10000."
[ -z "$HOURS" ] || [[ "$HOURS" =~ ^[0-9]+([.][0-9]+)?$ ]] || die "--hours '$HOURS' is not a number. Use e.g. --hours 2.5."
mkdir -p "$OUT" 2>/dev/null && [ -w "$OUT" ] || die "cannot write to $OUT. Pass a writable --out DIR."
OUT="$(cd "$OUT" && pwd)"
CONF="$OUT/run.conf"

# Paths: options are relative to the working directory; run.conf stores those inside the repository
# relative to it, so a run's directory can be committed and continued from another clone.
abs_path() { [ -z "$1" ] || { [[ "$1" = /* ]] && echo "$1"; } || echo "$(cd "$(dirname "$1")" 2>/dev/null && pwd)/$(basename "$1")"; }
abs_list() { local out=() p; IFS=',' read -r -a ps <<< "$1"; for p in "${ps[@]}"; do out+=("$(abs_path "$p")"); done; (IFS=','; echo "${out[*]}"); }
from_conf() { local out=() p; IFS=',' read -r -a ps <<< "$1"; for p in "${ps[@]}"; do [[ "$p" = /* ]] && out+=("$p") || out+=("$ROOT/$p"); done; (IFS=','; echo "${out[*]}"); }
to_conf() { local out=() p; IFS=',' read -r -a ps <<< "$1"; for p in "${ps[@]}"; do out+=("${p#"$ROOT/"}"); done; (IFS=','; echo "${out[*]}"); }
for k in model cell committee; do
  if [ -n "${opt[$k]:-}" ]; then opt[$k]="$(abs_list "${opt[$k]}")"; fi
done

# ---- settings: defaults < run.conf (a continuing run) ; a differing option is an error ---------
declare -A cfg=([atoms]=2048 [cell]="" [model]="$ROOT/models/li-p-s-cl-allegro.f32.onnx" [committee]=""
                [T]=600 [ps_nvt]=100 [ps_nve]=0 [dt]=0.001 [dump_every]=500 [devi_every]=100 [thermo_every]=100)
if [ -f "$CONF" ]; then
  while IFS='=' read -r k v; do [ -n "$k" ] && cfg[$k]="$v"; done < "$CONF"
  for k in model cell committee; do
    if [ -n "${cfg[$k]}" ]; then cfg[$k]="$(from_conf "${cfg[$k]}")"; fi
  done
  for k in "${!opt[@]}"; do
    [ "$k" = committee ] && { cfg[committee]="${opt[committee]}"; continue; }
    [ "${opt[$k]}" = "${cfg[$k]}" ] || die "$OUT is a run with $k=${cfg[$k]} (run.conf), not ${opt[$k]}. Drop the option to continue it, or pass a new --out DIR."
  done
else
  for k in "${!opt[@]}"; do cfg[$k]="${opt[$k]}"; done
fi
for k in atoms dump_every devi_every thermo_every; do
  [[ "${cfg[$k]}" =~ ^[1-9][0-9]*$ ]] || die "--${k//_/-} '${cfg[$k]}' is not a positive integer."
done
for k in T ps_nvt ps_nve dt; do
  [[ "${cfg[$k]}" =~ ^[0-9]+([.][0-9]+)?([eE]-?[0-9]+)?$ ]] || die "'${cfg[$k]}' ($k) is not a non-negative number."
done
awk -v t="${cfg[T]}" -v dt="${cfg[dt]}" 'BEGIN{exit !(t >= 1 && t <= 3000 && dt > 0 && dt <= 0.005)}' \
  || die "temperature ${cfg[T]} K or timestep ${cfg[dt]} ps is out of range (1-3000 K, 0 < dt <= 0.005 ps)."
models=("${cfg[model]}")
if [ -n "${cfg[committee]}" ]; then
  IFS=',' read -r -a extra <<< "${cfg[committee]}"
  models+=("${extra[@]}")
fi
for m in "${models[@]}"; do [ -f "$m" ] || die "model $m not found. Pass an existing --model/--committee file."; done
[ -x "$INTERPHASE_LMP" ] && [ -f "$INTERPHASE_PLUGIN" ] || die "LAMMPS or the pair_style onnx plugin is missing. Run scripts/setup.sh."
for k in "${!cfg[@]}"; do
  case "$k" in model|cell|committee) echo "$k=$(to_conf "${cfg[$k]}")" ;; *) echo "$k=${cfg[$k]}" ;; esac
done | sort > "$CONF.tmp" && mv "$CONF.tmp" "$CONF"   # committee: the latest

# ---- the cell (first call only) ------------------------------------------------------------------
if [ ! -s "$OUT/cell.data" ] && [ -n "${cfg[cell]}" ]; then
  [ -f "${cfg[cell]}" ] && [ -f "${cfg[cell]}.properties" ] || die "cell ${cfg[cell]} or its .properties file not found. Write both with 'bin/interphase build-cell -o FILE'."
  cp "${cfg[cell]}.properties" "$OUT/cell.data.properties"
  cp "${cfg[cell]}" "$OUT/cell.data"
elif [ ! -s "$OUT/cell.data" ]; then
  if ! "$INTERPHASE_CLI" build-cell -o "$OUT/cell.data" --atoms "${cfg[atoms]}" --model "${cfg[model]}" \
      > "$OUT/build-cell.txt" 2> "$OUT/build-cell.err"; then
    rm -f "$OUT/cell.data" "$OUT/cell.data.properties"
    die "build-cell failed: $(tail -n1 "$OUT/build-cell.err")"
  fi
fi

# ---- where to continue from: the newest restart file LAMMPS can read ------------------------------
restart_step() {   # prints the step of a restart file, or fails if LAMMPS cannot read it
  printf 'plugin load %s\nread_restart %s\nprint "iph-step $(step)"\n' "$INTERPHASE_PLUGIN" "$1" > "$OUT/.probe.in"
  "$INTERPHASE_LMP" -in "$OUT/.probe.in" -log none -screen "$OUT/.probe.out" >/dev/null 2>&1 || return 1
  sed -n 's/^iph-step \([0-9]*\)$/\1/p' "$OUT/.probe.out" | tail -n1
}
restart=none; start=0
for f in $(ls -t "$OUT"/restart.last "$OUT"/restart.a "$OUT"/restart.b 2>/dev/null); do
  if s=$(restart_step "$f") && [ -n "$s" ]; then
    if [ "$restart" = none ] || [ "$s" -gt "$start" ]; then restart="$f"; start="$s"; fi
  else
    say "restart file $f is unreadable (written when the run was killed?); skipping it"
  fi
done
rm -f "$OUT/.probe.in" "$OUT/.probe.out"
nve_end=$(awk -v a="${cfg[ps_nvt]}" -v b="${cfg[ps_nve]}" -v dt="${cfg[dt]}" 'BEGIN{printf "%d", (a+b)/dt + 0.5}')
if [ "$restart" != none ] && [ "$start" -ge "$nve_end" ]; then
  say "the run in $OUT is complete (step $start of $nve_end)"
  exec "$INTERPHASE_PYTHON" "$ROOT/scripts/long_run_report.py" "$OUT"
fi
seg=$(printf '%09d' "$start")
timeout=off
if [ -n "$HOURS" ]; then
  timeout=$(awk -v h="$HOURS" 'BEGIN{s=int(h*3600); if (s < 1) s = 1; printf "%02d:%02d:%02d", s/3600, (s%3600)/60, s%60}')
fi
natoms=$(awk '$2 == "atoms" {print $1; exit}' "$OUT/cell.data")   # what was built, not what --atoms asked for
say "$OUT: ${natoms}-atom cell, ${cfg[T]} K, ${#models[@]} model(s); from step $start (restart: $(basename "$restart")) to $nve_end; wall budget ${HOURS:-unlimited} h"
rc=0
# LAMMPS reads its input as it goes: run a copy, so that editing lammps-inputs/ cannot change a running job
cp "$ROOT/lammps-inputs/in.long" "$OUT/in.long.$seg"
mpirun -np "$NP" "$INTERPHASE_LMP" -in "$OUT/in.long.$seg" \
  -var out "$OUT" -var data "$OUT/cell.data" -var restart "$restart" -var models "${models[*]}" \
  -var plugin "$INTERPHASE_PLUGIN" -var T "${cfg[T]}" -var dt "${cfg[dt]}" \
  -var ps_nvt "${cfg[ps_nvt]}" -var ps_nve "${cfg[ps_nve]}" -var dump_every "${cfg[dump_every]}" \
  -var devi_every "${cfg[devi_every]}" -var thermo_every "${cfg[thermo_every]}" -var devi_file "$OUT/model_devi.$seg.out" -var dump_file "$OUT/traj.$seg.lammpstrj" -var timeout "$timeout" \
  -var until "$([ -n "$STEPS" ] && echo $((start + STEPS)) || echo -1)" \
  -log "$OUT/log.$seg.lammps" -screen none > "$OUT/mpirun.$seg.txt" 2>&1 || rc=$?
last=$(sed -n 's/^interphase-stage: stopped at step \([0-9]*\) .*/\1/p' "$OUT/log.$seg.lammps" 2>/dev/null | tail -n1)
if [ "$rc" -ne 0 ] || [ -z "$last" ]; then
  err=$(grep -h -m1 -E "^ERROR|ERROR on proc|ERROR:" "$OUT/log.$seg.lammps" "$OUT/mpirun.$seg.txt" 2>/dev/null | head -n1 || true)
  die "LAMMPS stopped (exit code $rc)${err:+: $err}. Fix the cause and rerun the same command to continue from the last restart (log: $OUT/log.$seg.lammps)."
fi
"$INTERPHASE_PYTHON" "$ROOT/scripts/long_run_report.py" "$OUT" || die "the summary of $OUT failed (see above)."
if [ "$last" -lt "$nve_end" ]; then
  say "stopped at step $last of $nve_end (--hours/--steps). Rerun the same command to continue."
fi
