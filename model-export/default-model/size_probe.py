"""Cost of candidate Allegro sizes (untrained): CPU time of one energy+forces evaluation and of
one training step (forces loss, double backward) on the 124-atom Li | Li6PS5Cl | Li sandwich.

Usage: python size_probe.py [--threads 1] [--dtype float32]
Prints a table; used to pick the default model's size (models/README.md).
"""
from __future__ import annotations

import argparse
import time

import torch
from nequip.data import AtomicDataDict

import common as C

SIZES = {  # name: (num_layers, l_max, scalar, tensor, mlp width)
    "current": (1, 1, 16, 4, 32),
    "S": (1, 1, 32, 8, 64),
    "M1": (2, 1, 32, 8, 64),
    "M2": (2, 2, 32, 8, 64),
    "L": (2, 2, 64, 16, 128),
}


def build(layers: int, lmax: int, ns: int, nt: int, w: int, dtype: str, zbl: bool):
    from allegro.model import AllegroModel

    kw = dict(seed=1, model_dtype=dtype, type_names=list(C.SPECIES), r_max=5.0, l_max=lmax,
              parity=True,
              radial_chemical_embed={"_target_": "allegro.nn.TwoBodyBesselScalarEmbed",
                                     "num_bessels": 8, "bessel_trainable": False,
                                     "polynomial_cutoff_p": 6},
              radial_chemical_embed_dim=ns, scalar_embed_mlp_hidden_layers_depth=1,
              scalar_embed_mlp_hidden_layers_width=w, num_layers=layers,
              num_scalar_features=ns, num_tensor_features=nt,
              allegro_mlp_hidden_layers_depth=1, allegro_mlp_hidden_layers_width=w,
              readout_mlp_hidden_layers_depth=1, readout_mlp_hidden_layers_width=max(16, w // 2),
              avg_num_neighbors=40.0, per_type_energy_shifts={s: 0.0 for s in C.SPECIES},
              per_type_energy_scales={s: 0.8 for s in C.SPECIES})
    if zbl:
        kw["pair_potential"] = {"_target_": "nequip.nn.pair_potential.ZBL", "units": "metal",
                                "chemical_species": list(C.SPECIES)}
    return AllegroModel(**kw)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--dtype", default="float32")
    ap.add_argument("--sizes", nargs="*", default=list(SIZES))
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    data = C.nequip_graph(C.interface())
    print(f"| size | layers, l_max, scalar, tensor, mlp | params | E+F ms | train step ms |")
    print("|---|---|---|---|---|")
    for name in args.sizes:
        model = build(*SIZES[name], dtype=args.dtype, zbl=True)
        n_par = sum(p.numel() for p in model.parameters())
        d = {k: (v.clone() if torch.is_tensor(v) else v) for k, v in data.items()}
        for _ in range(2):
            model(dict(d))
        t = time.process_time()
        for _ in range(3):
            out = model(dict(d))
        t_ef = (time.process_time() - t) / 3 * 1000
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
        t = time.process_time()
        for _ in range(3):
            out = model(dict(d))
            loss = out[AtomicDataDict.FORCE_KEY].square().mean() + out[AtomicDataDict.TOTAL_ENERGY_KEY].square().sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
        t_tr = (time.process_time() - t) / 3 * 1000
        print(f"| {name} | {SIZES[name]} | {n_par} | {t_ef:.0f} | {t_tr:.0f} |", flush=True)


if __name__ == "__main__":
    main()
