"""Writes the benchmark's data sets (blobs like bench/cluster.ts: centres in [-5, 5]^d, scales 1-2.5) as raw float64."""

import sys

import numpy as np

n, d, c, seed, path = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
rng = np.random.default_rng(seed)
centres = rng.uniform(-5, 5, (c, d))
scale = rng.uniform(1, 2.5, c)[:, None] * rng.uniform(0.6, 1.4, (c, d))
labels = rng.integers(0, c, n)
(centres[labels] + rng.standard_normal((n, d)) * scale[labels]).astype(np.float64).tofile(path)
