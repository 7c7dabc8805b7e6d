"""LAMMPS input decks used by the pair_style onnx tests and benchmarks."""
from __future__ import annotations

from pathlib import Path

# Per-atom columns of the static dump: positions, forces, per-atom energy, per-atom virial.
STATIC_COLUMNS = ("id type x y z fx fy fz c_pe c_s[1] c_s[2] c_s[3] c_s[4] c_s[5] c_s[6]")
# Thermo columns: energies, and the global pair virial as a pressure tensor (bar).
THERMO_COLUMNS = "step pe ke etotal vol c_pv[1] c_pv[2] c_pv[3] c_pv[4] c_pv[5] c_pv[6]"


def onnx_pair(plugin: Path, model: Path, type_elements: list[str], style_args: str = "") -> str:
    return "\n".join([
        f"plugin load {plugin}",
        f"pair_style onnx {style_args}".rstrip(),
        f"pair_coeff * * {model} {' '.join(type_elements)}",
    ])


def static_and_nve(data_file: Path, pair_block: str, boundary: str = "p p p",
                   after_read: str = "", nve_steps: int = 100, temperature: float = 300.0,
                   processors: str = "", seed: int = 4928459, thermo_every: int = 10) -> str:
    """run 0 -> static.dump (forces, pe/atom, stress/atom) + thermo (pe, virial pressure), then
    `nve_steps` NVE steps at dt = 1 fs from a fixed-seed, rank-independent (loop geom) velocity
    set -> traj.dump with unwrapped positions at the last step."""
    lines = [
        "units metal",
        "atom_style atomic",
        f"boundary {boundary}",
    ]
    if processors:
        lines.append(f"processors {processors}")
    lines += [
        f"read_data {data_file}",
        after_read,
        pair_block,
        "neighbor 1.0 bin",
        "neigh_modify every 1 delay 0 check yes",
        "compute pe all pe/atom",
        "compute s all stress/atom NULL pair",
        "compute pv all pressure NULL virial",
        f"thermo_style custom {THERMO_COLUMNS}",
        "thermo_modify format float %20.15g norm no",
        f"thermo {thermo_every}",
        f"dump d0 all custom 1 static.dump {STATIC_COLUMNS}",
        "dump_modify d0 format float %20.15g sort id",
        "run 0",
        "undump d0",
    ]
    if nve_steps > 0:
        lines += [
            f"velocity all create {temperature} {seed} mom yes rot no dist gaussian loop geom",
            "fix nve all nve",
            "timestep 0.001",
            f"dump d1 all custom {nve_steps} traj.dump id type xu yu zu fx fy fz",
            "dump_modify d1 format float %20.15g sort id",
            f"run {nve_steps}",
        ]
    return "\n".join(line for line in lines if line) + "\n"


def minimal(pair_block: str, data_file: Path | None = None, units: str = "metal",
            boundary: str = "p p p", pre_pair: str = "", run: str = "run 0",
            pre_box: str = "") -> str:
    """Small deck for bad-input tests: read a data file (or make 2 atoms), set the pair style,
    run 0."""
    lines = [f"units {units}", "atom_style atomic", f"boundary {boundary}", pre_box]
    if data_file is not None:
        lines.append(f"read_data {data_file}")
    else:
        lines += ["region box block 0 10 0 10 0 10", "create_box 4 box",
                  "create_atoms 1 single 1 1 1", "create_atoms 3 single 3 1 1",
                  "mass * 10.0"]
    lines += [pre_pair, pair_block, run]
    return "\n".join(line for line in lines if line) + "\n"
