"""Stability smoke check: 1 ps Langevin MD (600 K, 1 fs) of the 124-atom Li | Li6PS5Cl | Li sandwich
with the packaged model through nequip's ASE calculator; prints T, E_pot/atom and the minimum pair distance.

Usage: python md_check.py [MODEL.nequip.zip]
"""
import sys
import numpy as np, time, common as C
from ase import units
from ase.md.langevin import Langevin
from ase.md.velocitydistribution import MaxwellBoltzmannDistribution
from evaluate import load_calculator
calc = load_calculator(sys.argv[1] if len(sys.argv) > 1 else 'li-p-s-cl-allegro.nequip.zip')
a = C.interface().repeat((1, 1, 1)); a.calc = calc
rng = np.random.default_rng(0)
MaxwellBoltzmannDistribution(a, temperature_K=600, rng=rng)
dyn = Langevin(a, 1.0 * units.fs, temperature_K=600, friction=0.01, rng=rng)
t = time.time()
for k in range(10):
    dyn.run(100)
    d = a.get_all_distances(mic=True); np.fill_diagonal(d, 9)
    print((k + 1) * 100, 'T %.0f K' % a.get_temperature(), 'Epot/at %.3f' % (a.get_potential_energy() / len(a)), 'dmin %.2f' % d.min(), flush=True)
print('wall', time.time() - t)
