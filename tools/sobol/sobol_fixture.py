"""Writes the Sobol oracle fixture: the first 256 unscrambled points of selected dimensions, from PyTorch's
SobolEngine (its own implementation of the Joe-Kuo new-joe-kuo-6.21201 table with Gray-code order, 30-bit
direction numbers; scipy.stats.qmc.Sobol(scramble=False) gives the same points; scipy is not installed here).
Values are exact dyadic rationals k / 2^30, written as the integer k.

usage: /usr/bin/python3 tools/sobol/sobol_fixture.py
"""
import torch

dims = list(range(16)) + [99, 100, 1110, 1111, 5000, 21199, 21200]
engine = torch.quasirandom.SobolEngine(21201, scramble=False)
points = engine.draw(256, dtype=torch.float64)
with open("tests/Drift.Tests/Random/Fixtures/sobol-torch-256.txt", "w") as f:
    f.write("# first 256 unscrambled Sobol points (Joe-Kuo 6.21201), torch " + torch.__version__ + "; value = k / 2^30\n")
    f.write("# dims " + " ".join(str(d) for d in dims) + "\n")
    for i in range(256):
        f.write(" ".join(str(int(round(points[i, d].item() * 2**30))) for d in dims) + "\n")
