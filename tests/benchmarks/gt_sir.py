#!/usr/bin/python3
"""graph-tool's discrete-time SIR on a given edge list, for bench_sir.

usage: gt_sir.py EDGES.bin N BETA GAMMA DT SECONDS SEED

EDGES.bin holds the undirected edges as pairs of little-endian uint32. The
model is graph-tool's SIRState (Debian's python3-graph-tool), synchronous
updates, with per-step probabilities 1 - exp(-rate * DT) for the rates BETA
(per tie per day) and GAMMA (per day), 10 initial infectives, iterated
until nobody is infectious or SECONDS of wall time have passed (fine steps
take very long: the rate is measured on what ran). Prints one line:
    build_s sim_s infections recoveries steps done
with events = infections + recoveries (the same count as bench_sir's).
"""
import sys
import time

import numpy as np
import graph_tool.all as gt


def main():
    path, n, beta, gamma, dt, budget, seed = sys.argv[1:8]
    n, beta, gamma, dt, budget, seed = int(n), float(beta), float(gamma), float(dt), \
        float(budget), int(seed)
    gt.seed_rng(seed)
    np.random.seed(seed)
    t0 = time.perf_counter()
    edges = np.fromfile(path, dtype="<u4").reshape(-1, 2)
    g = gt.Graph(directed=False)
    g.add_vertex(n)
    g.add_edge_list(edges)
    build = time.perf_counter() - t0
    s = g.new_vertex_property("int32_t")
    s.a[:] = 0
    s.a[np.random.choice(n, 10, replace=False)] = 1
    state = gt.SIRState(g, beta=1 - np.exp(-beta * dt), gamma=1 - np.exp(-gamma * dt), s=s)
    # Only the time inside iterate_sync counts (the check for the end is
    # numpy's, not graph-tool's).
    sim = 0.0
    steps = 0
    done = 0
    chunk = 16
    while sim < budget:
        t0 = time.perf_counter()
        state.iterate_sync(niter=chunk)
        sim += time.perf_counter() - t0
        steps += chunk
        if not (state.get_state().a == 1).any():
            done = 1
            break
    a = state.get_state().a
    infected_ever = int((a != 0).sum())
    recovered = int((a == 2).sum())
    print(f"{build:.6f} {sim:.6f} {infected_ever - 10} {recovered} {steps} {done}")


if __name__ == "__main__":
    main()
