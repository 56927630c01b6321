"""The force layout of large views (idmgraph.network.layout): seeded, complete, and faithful to
the graph's structure — groups of densely linked nodes come out apart."""

import networkx as nx
import numpy as np
import pytest

from idmgraph.network.layout import force_layout


def _spread(pos, groups):
    """(mean distance of a node to its group's centre, mean distance between group centres)."""
    points = {k: np.array([pos[n] for n in members]) for k, members in groups.items()}
    centres = {k: p.mean(axis=0) for k, p in points.items()}
    within = np.mean([np.linalg.norm(p - centres[k], axis=1).mean() for k, p in points.items()])
    keys = sorted(centres)
    between = np.mean([np.linalg.norm(centres[a] - centres[b]) for a in keys for b in keys if a < b])
    return within, between


def test_planted_groups_come_out_apart():
    """Ten groups of 150 nodes, dense inside and sparse between: each group is a compact cloud,
    far from the others (by the seeded graph, not by luck: three seeds)."""
    for seed in (1, 2, 3):
        g = nx.planted_partition_graph(10, 150, 0.06, 0.001, seed=seed)
        pos = force_layout(g, seed=seed)
        within, between = _spread(pos, {k: range(150 * k, 150 * (k + 1)) for k in range(10)})
        assert within < 0.35 * between, (seed, within, between)


def test_a_bridge_keeps_two_cliques_apart_and_the_bridge_between():
    g = nx.barbell_graph(40, 1)  # two cliques of 40 joined through one node
    pos = force_layout(g)
    left, right, middle = np.mean([pos[n] for n in range(40)], axis=0), np.mean(
        [pos[n] for n in range(41, 81)], axis=0
    ), np.array(pos[40])
    gap = np.linalg.norm(left - right)
    assert gap > 2 * max(np.linalg.norm(np.array(pos[n]) - left) for n in range(40))
    # the bridge lies between them, nearer the line joining them than either clique's width
    assert np.linalg.norm(middle - (left + right) / 2) < gap / 2


def test_the_same_graph_and_seed_give_the_same_positions():
    g = nx.gnm_random_graph(1500, 6000, seed=5)
    nx.relabel_nodes(g, {n: f"node-{n}" for n in g}, copy=False)
    first, again = force_layout(g, seed=7), force_layout(g, seed=7)
    assert first == again
    assert force_layout(g, seed=8) != first
    assert set(first) == set(g.nodes)
    assert all(np.isfinite(x) and np.isfinite(y) for x, y in first.values())


@pytest.mark.parametrize(
    "g, nodes",
    [
        (nx.Graph(), 0),
        (nx.empty_graph(1), 1),
        (nx.empty_graph(30), 30),  # no edges: repulsion and gravity only
        (nx.Graph([(0, 0), (0, 1)]), 2),  # a self-loop pulls nothing
    ],
)
def test_degenerate_graphs_get_finite_distinct_positions(g, nodes):
    pos = force_layout(g)
    assert len(pos) == nodes
    points = list(pos.values())
    assert all(np.isfinite(x) and np.isfinite(y) for x, y in points)
    assert len(set(points)) == nodes  # no two nodes on one spot
