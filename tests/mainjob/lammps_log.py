"""Parsing of what LAMMPS itself wrote: thermo blocks of log.lammps and the build-cell side file."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ThermoBlock:
    """Thermo output of one `run`/`minimize`, labelled by the preceding 'interphase-stage:' line."""
    stage: str
    columns: list[str]
    rows: list[list[float]]
    natoms: int          # from "Loop time of ... with N atoms"

    def col(self, name: str) -> list[float]:
        i = self.columns.index(name)
        return [r[i] for r in self.rows]


def thermo_blocks(log_text: str) -> list[ThermoBlock]:
    blocks: list[ThermoBlock] = []
    stage, header, rows = "minimise", None, None
    for line in log_text.splitlines():
        s = line.strip()
        if s.startswith("interphase-stage:"):
            stage = s.split()[1]
        elif s.startswith("Step ") and "Temp" in s:
            header, rows = s.split(), []
        elif s.startswith("Loop time of") and rows is not None:
            natoms = int(s.split(" with ")[1].split()[0])
            blocks.append(ThermoBlock(stage, header, rows, natoms))
            header, rows = None, None
        elif rows is not None and len(s.split()) == len(header):
            try:
                rows.append([float(x) for x in s.split()])
            except ValueError:
                pass
    return blocks


def read_properties(path: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in Path(path).read_text().splitlines():
        if "=" in line and not line.lstrip().startswith("#"):
            k, v = line.split("=", 1)
            out[k.strip()] = v.strip()
    return out


def data_file_atoms(path: Path) -> int:
    """Atom count in the header of a LAMMPS data file."""
    for line in Path(path).read_text().splitlines()[:20]:
        parts = line.split()
        if len(parts) == 2 and parts[1] == "atoms":
            return int(parts[0])
    raise ValueError(f"{path}: no 'N atoms' header line")
