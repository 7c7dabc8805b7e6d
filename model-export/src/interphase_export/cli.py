"""`interphase-export MODEL -o model.onnx [--dtype float64|float32] [--check-structures FILE ...]`."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import Callable, Optional, Sequence

from .errors import CheckFailed, ExportError

TOLERANCE = {"float64": 1e-10, "float32": 1e-4}


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="interphase-export",
        description="Export a nequip Allegro/NequIP model (.ckpt or .nequip.zip) to the Interphase ONNX contract v1 "
        "and check it against nequip's own calculator.",
    )
    p.add_argument(
        "model",
        help="nequip checkpoint (.ckpt) or package (.nequip.zip); or sevennet:NAME for a SevenNet model shipped with sevenn (e.g. sevennet:7net-0)",
    )
    p.add_argument("-o", "--output", help="output ONNX file (written only if the check passes)")
    p.add_argument(
        "--contract",
        choices=["1", "2"],
        default="1",
        help="1 (default): one graph of energies and edge forces; 2: a message-passing model as one graph per layer "
        "(MODEL.layerK[.vjp].onnx and MODEL.readout.onnx next to the output), so LAMMPS exchanges node features "
        "between layers and needs a ghost shell of r_max only (docs/model-contract.md)",
    )
    p.add_argument("--dtype", choices=["float64", "float32"], default="float64", help="float type of the graph (default float64)")
    p.add_argument(
        "--check-structures",
        nargs="+",
        default=[],
        metavar="FILE",
        help="extra ASE-readable structure files (extxyz, LAMMPS data with Masses comments, ...) to check on",
    )
    p.add_argument("--tolerance", type=float, default=None, help="max abs deviation allowed in eV, eV/A (default 1e-10 float64, 1e-4 float32)")
    p.add_argument(
        "--no-latent",
        action="store_true",
        help="leave out the optional node_latent output (per-atom latent features for 'interphase analyze --latent')",
    )
    p.add_argument(
        "--stamp-memory",
        action="store_true",
        help="MODEL is an exported .onnx file: measure ONNX Runtime's peak memory per edge and write it into the "
        "file's metadata (interphase.activation_bytes_per_edge, read by pair_style onnx to size its chunks); "
        "exports do this themselves",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    return p


def _read_structures(paths: Sequence[str], species: Sequence[str]) -> dict:
    import ase.io

    out = {}
    for p in paths:
        path = Path(p)
        if not path.is_file():
            raise ExportError(f"check structure file {p} does not exist: pass an ASE-readable structure file")
        try:
            if path.suffix == ".data":
                frames = [_read_lammps_data(path)]
            else:
                frames = ase.io.read(str(path), index=":")
        except ExportError:
            raise
        except Exception as exc:
            raise ExportError(f"cannot read check structure {p} ({type(exc).__name__}): pass an ASE-readable file (e.g. extxyz)") from exc
        for k, atoms in enumerate(frames):
            missing = sorted(set(atoms.get_chemical_symbols()) - set(species))
            if missing:
                raise ExportError(f"check structure {p} contains {missing}, which the model (species {' '.join(species)}) does not know")
            out[f"{path.name}[{k}]" if len(frames) > 1 else path.name] = atoms
    return out


def _read_lammps_data(path: Path):
    """LAMMPS data file (atom_style atomic) whose Masses lines carry '# Element' comments."""
    import ase.io

    names = {}
    in_masses = False
    for line in path.read_text().splitlines():
        if line.strip().startswith("Masses"):
            in_masses = True
            continue
        if in_masses:
            if not line.strip():
                if names:
                    break
                continue
            head, _, comment = line.partition("#")
            if not head.split() or not head.split()[0].isdigit():
                break
            if not comment.strip():
                raise ExportError(f"{path}: Masses line '{line.strip()}' has no '# Element' comment naming the species")
            names[int(head.split()[0])] = comment.split()[0]
    atoms = ase.io.read(str(path), format="lammps-data", atom_style="atomic")
    types = atoms.get_array("type") if "type" in atoms.arrays else atoms.numbers
    atoms.set_chemical_symbols([names[int(t)] for t in types])
    return atoms


def export(
    model_path: str,
    output: str,
    dtype: str = "float64",
    check_files: Sequence[str] = (),
    tolerance: Optional[float] = None,
    log: Callable[[str], None] = print,
    latent: bool = True,
) -> list:
    """Export, check, and atomically move the result to `output`. Returns the check comparisons."""
    import torch

    from . import adapters, check, graph, memory, structures

    out_path = Path(output)
    if out_path.is_dir():
        raise ExportError(f"output {output} is a directory: pass a file name such as model.onnx")
    if not out_path.parent.exists():
        raise ExportError(f"output folder {out_path.parent} does not exist: create it first")
    model, info = adapters.load(model_path)
    if tolerance is not None:
        tol = tolerance
    elif info.model_dtype == torch.float32:  # a float32 model is the reference: float32-level agreement
        tol = TOLERANCE["float32"]
    else:
        tol = TOLERANCE[dtype]
    log(
        f"loaded {info.architecture} model: species {' '.join(info.species)}, r_max {info.r_max} A, hops {info.hops}"
        + (", per-edge-type cutoffs" if info.per_edge_type_cutoff else "")
    )
    sample = structures.check_structures(info.species, info.r_max)
    sample.update(_read_structures(check_files, info.species))

    fd, tmp_name = tempfile.mkstemp(prefix=".interphase-export-", suffix=".onnx.tmp", dir=str(out_path.parent))
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        torch_dtype = {"float64": torch.float64, "float32": torch.float32}[dtype]
        proto = graph.to_onnx(model, info, torch_dtype, tmp, latent=latent)
        ops = graph.count_ops(proto)
        scatters = ops.get("ScatterElements", 0) + ops.get("ScatterND", 0)
        log(f"exported {dtype} graph: {len(proto.graph.node)} nodes ({scatters} scatter nodes), opset {graph.OPSET}")
        results = check.run_check(tmp, model_path, sample)
        for r in results:
            log(
                f"  check {r.structure:<24s} N={r.natoms:<4d} |dE|={r.d_energy:.2e} max|de_i|={r.d_energies:.2e} "
                f"max|dF|={r.d_forces:.2e} max|dW|={r.d_virial:.2e}"
            )
        worst = max(results, key=lambda r: r.worst)
        if not worst.worst <= tol:  # also catches NaN
            raise CheckFailed(
                f"export check failed: ONNX Runtime differs from nequip by {worst.worst:.3e} on '{worst.structure}' "
                f"(tolerance {tol:.0e}); no model written - report this model/operator combination"
            )
        if any(o.name == graph.LATENT_OUTPUT for o in proto.graph.output):
            d_latent, scale = check.latent_deviation(tmp, model, info, sample)
            log(f"  check node_latent ({graph.read_metadata(tmp).get('interphase.node_latent')} features) "
                f"max|d|={d_latent:.2e} (features up to {scale:.2e})")
            if not d_latent <= tol * max(1.0, scale):
                raise CheckFailed(
                    f"export check failed: node_latent differs from the nequip model by {d_latent:.3e} "
                    f"(tolerance {tol:.0e} x {max(1.0, scale):.2e}); no model written - export with --no-latent or report this model"
                )
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        per_edge = memory.stamp(tmp)
        log(f"  ONNX Runtime peak memory {per_edge:g} bytes per edge ({memory.KEY})")
        os.replace(tmp, out_path)
        log(f"wrote {out_path} (check passed: max deviation {worst.worst:.2e} <= {tol:.0e})")
        return results
    finally:
        if tmp.exists():
            tmp.unlink()


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    log = (lambda *a, **k: None) if args.quiet else (lambda msg: print(msg, flush=True))
    try:
        if args.stamp_memory:
            from . import memory

            path = Path(args.model)
            if path.suffix != ".onnx" or not path.is_file():
                raise ExportError(f"--stamp-memory needs an exported .onnx file, not {args.model}")
            log(f"{path}: {memory.stamp(path):g} bytes per edge written as {memory.KEY}")
            return 0
        if not args.output:
            raise ExportError("no output file: give -o OUTPUT.onnx")
        if args.contract == "2":
            from . import layered

            layered.export(args.model, args.output, args.dtype, args.check_structures, args.tolerance, log=log)
        else:
            export(args.model, args.output, args.dtype, args.check_structures, args.tolerance, log=log,
                   latent=not args.no_latent)
    except ExportError as exc:
        print(f"interphase-export: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interphase-export: interrupted; no model written", file=sys.stderr)
        return 130
    except MemoryError:
        print("interphase-export: error: out of memory while exporting; close other jobs and retry", file=sys.stderr)
        return 1
    except Exception as exc:  # an unforeseen failure: still one line, no traceback
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
        print(f"interphase-export: error: unexpected {type(exc).__name__}: {first} (please report with the model file)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
