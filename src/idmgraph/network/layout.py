"""Positions for large views, computed once in Python: a force layout whose repulsion between
all pairs is computed on a grid (a particle-mesh method), so that an iteration costs about the
nodes plus the edges plus a fast Fourier transform, not the square of the nodes.

The model is ForceAtlas2's (Jacomy et al. 2014, PLoS ONE 9(6): e98679): nodes repel in
proportion to the product of their masses (degree + 1) over their distance, edges pull in
proportion to their length, and a weak gravity keeps components together. Its all-pairs
repulsion is the sum of the mass density convolved with the kernel r/|r|^2; the density is
spread on a grid by cloud-in-cell weights, convolved by FFT, and the field read back at each
node the same way (as FIt-SNE does for t-SNE, Linderman et al. 2019, Nature Methods 16:243).
Steps are capped by a temperature that cools linearly.

Seeded: the same graph gives the same positions on every machine that has the same numpy.
"""

from __future__ import annotations

import networkx as nx
import numpy as np

__all__ = ["force_layout"]


def force_layout(
    g: nx.Graph,
    seed: int = 42,
    iterations: int = 300,
    grid: int = 128,
    weight: str | None = "weight",
) -> dict[object, tuple[float, float]]:
    """Positions (x, y) of every node of g, in units where a typical edge is about 1 long."""
    nodes = sorted(g.nodes, key=str)
    n = len(nodes)
    if n == 0:
        return {}
    if n == 1:
        return {nodes[0]: (0.0, 0.0)}
    index = {v: i for i, v in enumerate(nodes)}
    pairs = [
        (index[u], index[v], float(d.get(weight, 1.0)) if weight else 1.0)
        for u, v, d in g.edges(data=True)
        if u != v  # a self-loop pulls nothing
    ]
    src = np.array([p[0] for p in pairs], dtype=np.intp)
    dst = np.array([p[1] for p in pairs], dtype=np.intp)
    wts = np.array([p[2] for p in pairs], dtype=float)
    if len(wts):
        wts = wts / wts.mean()  # the pull of an edge of average weight is its length
    mass = np.bincount(np.concatenate([src, dst]), minlength=n).astype(float) + 1.0

    rng = np.random.default_rng(seed)
    spread = np.sqrt(n)
    pos = rng.uniform(-spread, spread, size=(n, 2))
    kernel_x, kernel_y = _kernels(grid)
    repulsion, gravity = 1.0, 1.0 / spread
    start = spread / 4  # the largest step, cooling to nothing
    for it in range(iterations):
        force = repulsion * mass[:, None] * _field(pos, mass, grid, kernel_x, kernel_y)
        if len(wts):
            delta = pos[dst] - pos[src]  # each edge pulls its ends together, by its length
            pull = wts[:, None] * delta
            np.add.at(force, src, pull)
            np.add.at(force, dst, -pull)
        force -= gravity * mass[:, None] * pos
        step = np.linalg.norm(force, axis=1)
        temperature = start * (1 - it / iterations) + 1e-3
        scale = np.minimum(1.0, temperature / np.maximum(step, 1e-12))
        pos += force * scale[:, None]
    pos -= pos.mean(axis=0)
    return {v: (float(pos[i, 0]), float(pos[i, 1])) for i, v in enumerate(nodes)}


def _kernels(grid: int) -> tuple[np.ndarray, np.ndarray]:
    """The FFT of the repulsion kernel r/|r|^2 (x and y) on a (2 grid)^2 periodic grid, in cell
    units: zero padding makes the circular convolution the plain one over the grid."""
    size = 2 * grid
    offsets = np.fft.fftfreq(size, d=1.0 / size)  # 0, 1, ..., grid - 1, -grid, ..., -1
    dx, dy = np.meshgrid(offsets, offsets, indexing="ij")
    r2 = dx * dx + dy * dy
    r2[0, 0] = np.inf  # no force of a cell on itself
    return np.fft.rfft2(dx / r2), np.fft.rfft2(dy / r2)


def _field(pos: np.ndarray, mass: np.ndarray, grid: int, kernel_x, kernel_y) -> np.ndarray:
    """The repulsion field at each node: the sum over all nodes of mass * r/|r|^2, on the grid."""
    low = pos.min(axis=0)
    extent = float(np.max(pos.max(axis=0) - low)) or 1.0
    cell = extent / (grid - 1.001)
    at = (pos - low) / cell  # grid coordinates, within [0, grid - 1)
    base = np.floor(at).astype(np.intp)
    frac = at - base
    corners = [(0, 0), (1, 0), (0, 1), (1, 1)]
    weights = [
        (1 - frac[:, 0]) * (1 - frac[:, 1]),
        frac[:, 0] * (1 - frac[:, 1]),
        (1 - frac[:, 0]) * frac[:, 1],
        frac[:, 0] * frac[:, 1],
    ]
    size = 2 * grid
    density = np.zeros((size, size))
    for (cx, cy), w in zip(corners, weights):
        np.add.at(density, (base[:, 0] + cx, base[:, 1] + cy), mass * w)
    spectrum = np.fft.rfft2(density)
    field_x = np.fft.irfft2(spectrum * kernel_x, s=(size, size))
    field_y = np.fft.irfft2(spectrum * kernel_y, s=(size, size))
    out = np.zeros_like(pos)
    for (cx, cy), w in zip(corners, weights):
        ix, iy = base[:, 0] + cx, base[:, 1] + cy
        out[:, 0] += w * field_x[ix, iy]
        out[:, 1] += w * field_y[ix, iy]
    # the kernel was in cell units: a force 1/r in cells is 1/(r cell) in the layout's units
    return out / cell
