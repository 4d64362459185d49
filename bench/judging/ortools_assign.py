#!/usr/bin/env python3
"""OR-Tools peer for the hoithi-judging assignment benchmark.

Reads the instance written by `cargo run --release -p hoithi-judging --example
assign_bench -- --out DIR`, builds its own min-cost-flow model, solves it with
OR-Tools' SimpleMinCostFlow, checks the Rust assignment in DIR/rust-result.txt
against the raw instance (conflicts, capacities, judges per entry, objective
recomputed from scratch) and compares the two objectives.

Models (both exact for this problem):
  explicit  one node per entry, a unit arc to every judge without a conflict
            (entries x judges arcs: for small and medium instances only);
  classes   entries with the same genre, unit and personal conflicts share one
            node; its arc to a judge has capacity = number of entries in it, so
            the flow can always be dealt to distinct judges per entry.
Also, not exact but useful:
  relaxed   one node per genre, conflicts ignored: the graph hoithi-judging
            solves first. Its optimum is a lower bound of the true problem, so a
            valid Rust assignment reaching it is optimal by itself.
Judges reach the sink by one unit arc per load level t = 1..capacity with cost
load_step * (t - 1): the convex load cost as parallel arcs of rising cost.

Usage: python3 ortools_assign.py DIR [--model classes|explicit]
Exit status 0 when the Rust assignment is valid and both objectives are equal.
"""

import argparse
import sys
import time
from collections import defaultdict

import numpy as np
from ortools.graph.python import min_cost_flow

NO_UNIT = 2**32 - 1


def read_instance(path):
    with open(path) as f:
        header = f.readline().split()
        if header != ["hoithi-assign-instance", "1"]:
            sys.exit(f"{path}: not an assignment instance")
        n_entries, n_judges, k, non_expert, load_step = map(int, f.readline().split())
        caps = np.zeros(n_judges, dtype=np.int64)
        judge_unit = np.zeros(n_judges, dtype=np.int64)
        expert = defaultdict(set)  # genre -> judges
        for j in range(n_judges):
            row = list(map(int, f.readline().split()))
            caps[j], judge_unit[j] = row[0], row[1]
            for g in row[3 : 3 + row[2]]:
                expert[g].add(j)
        genre = np.zeros(n_entries, dtype=np.int64)
        unit = np.zeros(n_entries, dtype=np.int64)
        for e in range(n_entries):
            genre[e], unit[e] = map(int, f.readline().split())
        personal = defaultdict(set)
        for _ in range(int(f.readline())):
            e, j = map(int, f.readline().split())
            personal[e].add(j)
    return dict(
        n_entries=n_entries, n_judges=n_judges, k=k, non_expert=non_expert,
        load_step=load_step, caps=caps, judge_unit=judge_unit, expert=expert,
        genre=genre, unit=unit, personal=personal,
    )


def eligible_mask(inst, e_unit, excluded):
    mask = np.ones(inst["n_judges"], dtype=bool)
    if e_unit != NO_UNIT:
        mask &= inst["judge_unit"] != e_unit
    if excluded:
        mask[list(excluded)] = False
    return mask


def cost_row(inst, g):
    row = np.full(inst["n_judges"], inst["non_expert"], dtype=np.int64)
    row[list(inst["expert"].get(g, ()))] = 0
    return row


def build_and_solve(inst, model):
    t0 = time.perf_counter()
    nj, k = inst["n_judges"], inst["k"]
    groups = defaultdict(list)
    if model == "relaxed":
        for e in range(inst["n_entries"]):
            groups[(int(inst["genre"][e]), NO_UNIT, ())].append(e)
    elif model == "classes":
        for e in range(inst["n_entries"]):
            key = (int(inst["genre"][e]), int(inst["unit"][e]),
                   tuple(sorted(inst["personal"].get(e, ()))))
            groups[key].append(e)
    else:
        for e in range(inst["n_entries"]):
            groups[(int(inst["genre"][e]), int(inst["unit"][e]),
                    tuple(sorted(inst["personal"].get(e, ()))), e)].append(e)
    keys = list(groups)
    source, sink = 0, 1
    judge_node0 = 2 + len(keys)
    tails, heads, caps, costs = [], [], [], []
    judges = np.arange(nj, dtype=np.int64)
    rows = {}
    for c, key in enumerate(keys):
        members = len(groups[key])
        tails.append(np.array([source])); heads.append(np.array([2 + c]))
        caps.append(np.array([members * k])); costs.append(np.array([0]))
        mask = eligible_mask(inst, key[1], key[2])
        if key[0] not in rows:
            rows[key[0]] = cost_row(inst, key[0])
        js = judges[mask]
        tails.append(np.full(len(js), 2 + c)); heads.append(judge_node0 + js)
        caps.append(np.full(len(js), members)); costs.append(rows[key[0]][mask])
    total = inst["n_entries"] * k
    for j in range(nj):
        levels = np.arange(min(int(inst["caps"][j]), total), dtype=np.int64)
        tails.append(np.full(len(levels), judge_node0 + j)); heads.append(np.full(len(levels), sink))
        caps.append(np.ones(len(levels), dtype=np.int64)); costs.append(inst["load_step"] * levels)
    smcf = min_cost_flow.SimpleMinCostFlow()
    smcf.add_arcs_with_capacity_and_unit_cost(
        np.concatenate(tails), np.concatenate(heads), np.concatenate(caps), np.concatenate(costs))
    smcf.set_node_supply(source, total)
    smcf.set_node_supply(sink, -total)
    build_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    status = smcf.solve_max_flow_with_min_cost()
    solve_s = time.perf_counter() - t1
    if status != smcf.OPTIMAL:
        sys.exit(f"OR-Tools status {status}")
    return dict(objective=smcf.optimal_cost(), flow=smcf.maximum_flow(), build_s=build_s,
                solve_s=solve_s, nodes=smcf.num_nodes(), arcs=smcf.num_arcs())


def check_rust(inst, path):
    """Validity and objective of the Rust assignment, recomputed from the raw instance."""
    with open(path) as f:
        claimed = int(f.readline().split()[1])
        rust_s = float(f.readline().split()[1])
        load = np.zeros(inst["n_judges"], dtype=np.int64)
        pair_cost = 0
        pairs = 0
        rows = {}
        for e in range(inst["n_entries"]):
            js = [int(x) for x in f.readline().split()]
            if len(set(js)) != len(js):
                sys.exit(f"entry {e}: a judge twice")
            g = int(inst["genre"][e])
            if g not in rows:
                rows[g] = cost_row(inst, g)
            for j in js:
                if inst["unit"][e] != NO_UNIT and inst["judge_unit"][j] == inst["unit"][e]:
                    sys.exit(f"entry {e}: same-unit judge {j}")
                if j in inst["personal"].get(e, ()):
                    sys.exit(f"entry {e}: conflicted judge {j}")
                load[j] += 1
                pair_cost += int(rows[g][j])
            pairs += len(js)
    if np.any(load > inst["caps"]):
        sys.exit("a judge is over capacity")
    objective = pair_cost + int(sum(inst["load_step"] * l * (l - 1) // 2 for l in load.tolist()))
    if objective != claimed:
        sys.exit(f"Rust claims objective {claimed}, recomputed {objective}")
    return dict(objective=objective, pairs=pairs, solve_s=rust_s)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--model", choices=["classes", "explicit", "relaxed"], default="classes")
    args = ap.parse_args()
    inst = read_instance(f"{args.dir}/instance.txt")
    rust = check_rust(inst, f"{args.dir}/rust-result.txt")
    ort = build_and_solve(inst, args.model)
    print(f"ortools model={args.model} nodes={ort['nodes']} arcs={ort['arcs']} flow={ort['flow']}")
    print(f"ortools build_s={ort['build_s']:.3f} solve_s={ort['solve_s']:.3f} objective={ort['objective']}")
    print(f"rust    pairs={rust['pairs']} solve_s={rust['solve_s']:.3f} objective={rust['objective']} (valid)")
    if args.model == "relaxed":
        # A lower bound only: the Rust result can never be below it.
        if rust["pairs"] > ort["flow"] or (
                rust["pairs"] == ort["flow"] and rust["objective"] < ort["objective"]):
            print("BELOW THE BOUND: impossible, a bug somewhere")
            sys.exit(1)
        same = ort["flow"] == rust["pairs"] and ort["objective"] == rust["objective"]
        print("EQUAL (bound reached: optimal)" if same else "ABOVE THE BOUND (relaxation not tight)")
        return
    if ort["flow"] != rust["pairs"] or ort["objective"] != rust["objective"]:
        print("DIFFERENT")
        sys.exit(1)
    print("EQUAL")


if __name__ == "__main__":
    main()
