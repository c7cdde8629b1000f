#!/usr/bin/env python3
"""Converts a BioNetGen .net file (the flattened reaction network BioNetGen writes) to Drift's .rn format.

Species become S1..Sn (the names Catalyst/ReactionNetworkImporters give them), with the BioNetGen species pattern
kept as a comment; parameters keep their names; each reaction line `i r1,r2 p1,p2 k` becomes `S_r1 + S_r2 -> ..., k`.
Only mass-action reactions whose rate is a parameter or a number are accepted. A reaction with two identical
reactants (`1,1`) is refused: BioNetGen applies a symmetry factor there, which would need care with the .rn
convention c·x(x−1)/2.

Usage:  python3 bench/compare/bng_net_to_rn.py MODEL.net SOURCE-NOTE > MODEL.rn
"""
import re
import sys


def blocks(text):
    out, name = {}, None
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        m = re.match(r"begin (\w+)", line)
        if m:
            name = m.group(1)
            out[name] = []
            continue
        if line.startswith("end "):
            name = None
            continue
        if name and line:
            out[name].append((line, raw))
    return out


def main():
    path, note = sys.argv[1], sys.argv[2]
    b = blocks(open(path).read())
    print(f"# Converted by bench/compare/bng_net_to_rn.py from {note}")
    print("# Mass action with BioNetGen's rate constants (no identical reactant pairs, so c = k).")
    params = {}
    for line, _ in b["parameters"]:
        _, name, value = line.split()[:3]
        params[name] = value
        print(f"param {name} = {value}")
    for line, raw in b["species"]:
        idx, pattern, value = line.split()[:3]
        print(f"species S{idx} = {value}  # {pattern}")
    for line, _ in b["reactions"]:
        parts = line.split()
        _, reactants, products, rate = parts[:4]
        r = [int(x) for x in reactants.split(",") if x != "0"]
        p = [int(x) for x in products.split(",") if x != "0"]
        if len(set(r)) != len(r):
            sys.exit(f"reaction {line!r} has identical reactants; not supported")
        if rate not in params and not re.fullmatch(r"[0-9.eE+-]+", rate):
            sys.exit(f"reaction {line!r} has a non-mass-action rate {rate!r}")
        lhs = " + ".join(f"S{i}" for i in r) or "0"
        rhs = " + ".join(f"S{i}" for i in p) or "0"
        print(f"{lhs} -> {rhs}, {rate}")


if __name__ == "__main__":
    main()
