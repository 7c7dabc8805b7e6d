"""Short text report of a main-job run (scripts/demo.sh): MD summary, phases, interphase thickness, Li penetration.

Usage: python scripts/demo_report.py OUT_DIR
Reads OUT_DIR/log.lammps, OUT_DIR/cell.data.properties and the CSV files that `interphase analyze` and
`interphase li-penetration` wrote into OUT_DIR/analysis. Standard library only.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

METAL, ELECTROLYTE = "Li", "Li6PS5Cl"


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as f:
        return list(csv.DictReader(f))


def read_properties(path: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in path.read_text().splitlines():
        if "=" in line and not line.lstrip().startswith("#"):
            k, v = line.split("=", 1)
            out[k.strip()] = v.strip()
    return out


def thermo_blocks(log: Path) -> list[tuple[str, list[list[float]]]]:
    """Thermo rows of each run in a LAMMPS log, labelled by the preceding 'interphase-stage:' line; a run
    still going (or killed) when the log was read is the last block."""
    blocks: list[tuple[str, list[list[float]]]] = []
    stage, rows, header = "minimise", None, None
    for line in log.read_text(errors="replace").splitlines():
        s = line.strip()
        if s.startswith("interphase-stage:"):
            stage = s.split()[1]
        elif s.startswith("Step") and "Temp" in s:
            header, rows = s.split(), []
        elif s.startswith("Loop time") and rows is not None:
            blocks.append((stage, rows))
            rows = None
        elif rows is not None and header and len(s.split()) == len(header):
            try:
                rows.append([float(x) for x in s.split()])
            except ValueError:
                pass
    if rows:
        blocks.append((stage, rows))
    return blocks


def sample(rows: list, n: int = 8) -> list:
    if len(rows) <= n:
        return rows
    idx = sorted({round(i * (len(rows) - 1) / (n - 1)) for i in range(n)})
    return [rows[i] for i in idx]


def main(out: Path) -> int:
    ana = out / "analysis"
    props = read_properties(out / "cell.data.properties")
    lines = ["", "=" * 72, "Interphase demo report", "=" * 72]
    lines.append(f"cell: {props.get('atoms')} atoms, {float(props['lx']):.2f} x {float(props['ly']):.2f} x "
                 f"{float(props['lz']):.2f} A; "
                 f"Li metal z {float(props['metal_zlo']):.1f}-{float(props['metal_zhi']):.1f} A, "
                 f"Li6PS5Cl z {float(props['electrolyte_zlo']):.1f}-{float(props['electrolyte_zhi']):.1f} A")
    md = [(st, r) for st, r in thermo_blocks(out / "log.lammps") if st.startswith("nvt")]
    if md:
        temps = [row[2] for st, r in md if st == "nvt-production" for row in r[1:]]
        t_end = md[-1][1][-1][1]
        lines.append(f"MD: {t_end:.2f} ps simulated; mean T in production {sum(temps) / max(len(temps), 1):.0f} K")

    fr = read_csv(ana / "phase_fractions.csv")
    phases = [c for c in fr[0].keys() if c not in ("frame", "step", "time", "atoms")]
    first, last = fr[0], fr[-1]
    lines.append("")
    lines.append("Phases (fraction of atoms, first frame -> last frame):")
    for p in phases:
        a, b = float(first[p]), float(last[p])
        if max(a, b) < 0.005:
            continue
        tag = ""
        if p not in (METAL, ELECTROLYTE, "unassigned", "interface") and b > a:
            tag = "  <- grows in the interphase"
        lines.append(f"  {p:<18s} {100 * a:6.1f} % -> {100 * b:6.1f} %{tag}")
    grown = [p for p in phases if p not in (METAL, ELECTROLYTE, "unassigned", "interface") and float(last[p]) > float(first[p])
             and float(last[p]) >= 0.005]
    lines.append("  new phases found: " + (", ".join(grown) if grown else "none above 0.5 % of atoms yet"))

    th = read_csv(ana / "thickness.csv")
    lines.append("")
    lines.append("Interphase thickness (z extent of atoms that are neither Li metal nor argyrodite):")
    lines.append(f"  {'time_ps':>8s} {'thickness_A':>12s}")
    for r in sample(th):
        lines.append(f"  {float(r['time']):8.3f} {float(r['thickness_A']):12.2f}")

    pen = read_csv(ana / "li_penetration.csv")
    lines.append("")
    lines.append("Li penetration (depth of metal Li beyond the as-built metal surfaces, A; "
                 "'crossed' = past the mid-gap interface plane):")
    lines.append(f"  {'time_ps':>8s} {'max':>7s} {'p99':>7s} {'p95':>7s} {'crossed':>8s}")
    for r in sample(pen):
        lines.append(f"  {float(r['time_ps']):8.3f} {float(r['max_depth_A']):7.2f} {float(r['p99_depth_A']):7.2f} "
                     f"{float(r['p95_depth_A']):7.2f} {int(r['crossed']):8d}")

    plots = sorted(p.name for p in ana.glob("*.png"))
    lines.append("")
    lines.append(f"plots in {ana}: " + (", ".join(plots) if plots else "none"))
    lines.append(f"full analysis report: {ana / 'report.txt'}")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: demo_report.py OUT_DIR", file=sys.stderr)
        sys.exit(2)
    try:
        sys.exit(main(Path(sys.argv[1])))
    except (OSError, KeyError, ValueError, IndexError) as e:
        print(f"interphase: cannot write the demo report ({type(e).__name__}: {e}). "
              f"Check the files in {sys.argv[1]}/analysis.", file=sys.stderr)
        sys.exit(1)
