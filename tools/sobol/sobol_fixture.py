"""Writes the Sobol oracle fixture: unscrambled points of selected dimensions from PyTorch's SobolEngine (its own
implementation of the Joe-Kuo new-joe-kuo-6.21201 table in Gray-code order, 30-bit direction numbers;
scipy.stats.qmc.Sobol(scramble=False) gives the same points, but scipy is not installed on this machine).
Each row: the point index, then for each dimension the integer k with value k / 2^30.

usage: /usr/bin/python3 tools/sobol/sobol_fixture.py
"""
import torch

dims = list(range(16)) + [99, 100, 1110, 1111, 5000, 21199, 21200]
engine = torch.quasirandom.SobolEngine(21201, scramble=False)
first = engine.draw(256, dtype=torch.float64)
engine = torch.quasirandom.SobolEngine(21201, scramble=False)
engine.fast_forward(1000000)
far = engine.draw(8, dtype=torch.float64)
with open("tests/Drift.Tests/Random/Fixtures/sobol-torch.txt", "w") as f:
    f.write("# unscrambled Sobol points (Joe-Kuo 6.21201) from torch " + torch.__version__ + " SobolEngine: index, then k = value * 2^30 per dim\n")
    f.write("# dims " + " ".join(str(d) for d in dims) + "\n")
    for index, points in [(0, first), (1000000, far)]:
        for i in range(points.shape[0]):
            f.write(str(index + i) + " " + " ".join(str(int(round(points[i, d].item() * 2**30))) for d in dims) + "\n")
