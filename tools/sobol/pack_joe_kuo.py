"""Packs the Joe-Kuo new-joe-kuo-6.21201 Sobol direction numbers into Drift's embedded resource.

Source: scipy's copy of the table, scipy/stats/_sobol_direction_numbers.npz (github.com/scipy/scipy, commit
3dbf660a919b1479cdf30d533176053b428d08d3), which scipy built from https://web.maths.unsw.edu.au/~fkuo/sobol/
new-joe-kuo-6.21201 (S. Joe and F. Y. Kuo, "Constructing Sobol sequences with better two-dimensional
projections", SIAM J. Sci. Comput. 30, 2635-2654, 2008). Arrays: poly[d] = 2a + 2^s + 1 (the primitive
polynomial's bits, degree s), vinit[d, 0:s] = the initial direction integers m_1..m_s. Dimension 0 is the
van der Corput sequence (poly 1, m_1 = 1).

Output format (then raw-deflate compressed): for each of the 21201 dimensions, LEB128 varints
poly, m_1, ..., m_s where s = bit_length(poly) - 1 (s = 0 for dimension 0 is stored as poly 1, m_1 = 1).

usage: /usr/bin/python3 tools/sobol/pack_joe_kuo.py path/to/_sobol_direction_numbers.npz
"""
import sys, zlib
import numpy as np

z = np.load(sys.argv[1])
poly, vinit = z["poly"], z["vinit"]
assert poly.shape == (21201,) and vinit.shape == (21201, 18)
out = bytearray()
def varint(v):
    v = int(v)
    while True:
        b = v & 0x7F
        v >>= 7
        if v:
            out.append(b | 0x80)
        else:
            out.append(b)
            return
for d in range(21201):
    p = int(poly[d])
    s = max(1, p.bit_length() - 1)
    varint(p)
    for k in range(s):
        m = int(vinit[d, k])
        assert m % 2 == 1 and m < (1 << (k + 1)), (d, k, m)
        varint(m)
    assert all(int(x) == 0 for x in vinit[d, s:]), d
c = zlib.compressobj(9, zlib.DEFLATED, -15)
data = c.compress(bytes(out)) + c.flush()
open("src/Drift/Random/Qmc/joe-kuo-6.21201.deflate", "wb").write(data)
print(len(out), "bytes packed,", len(data), "compressed")
