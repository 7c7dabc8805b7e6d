"""How every benchmark writes its rows: one CSV file and a Markdown table, the same formatting.

Rows are dataclass instances or dicts; a value prints as "-" when missing, with `digits`
significant digits when a float, else as str().
"""
from __future__ import annotations

import csv
from dataclasses import asdict, is_dataclass
from pathlib import Path


def cell(value, digits: int = 4) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}g}"
    return str(value)


def columns(row) -> list[str]:
    """The column names of a dataclass row or dict row, in order."""
    return list(asdict(row).keys()) if is_dataclass(row) else list(row.keys())


def _get(row, col: str):
    return getattr(row, col) if is_dataclass(row) else row[col]


def write_csv(path: Path, cols: list[str], rows: list, digits: int = 4) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(cols)
        for r in rows:
            w.writerow([cell(_get(r, c), digits) for c in cols])


def markdown(cols: list[str], rows: list, digits: int = 4) -> list[str]:
    """The lines of a Markdown table: header, rule, one line per row."""
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(cell(_get(r, c), digits) for c in cols) + " |" for r in rows]
    return lines
