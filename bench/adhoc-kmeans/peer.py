"""scikit-learn side of bench/adhoc-kmeans/run.mjs: fits one case on a raw float64 file and prints one JSON line."""

import json
import sys
import time

import numpy as np
import sklearn
from sklearn.cluster import KMeans, MiniBatchKMeans

which, path, d, k, n_init, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
X = np.fromfile(path, dtype=np.float64).reshape(-1, d)
if which == "kmeans":
    model = KMeans(n_clusters=k, n_init=n_init, init="k-means++", random_state=seed, algorithm="lloyd")
else:
    model = MiniBatchKMeans(n_clusters=k, batch_size=1024, n_init=n_init, random_state=seed)
cpu, wall = time.process_time(), time.perf_counter()
model.fit(X)
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
steps = int(getattr(model, "n_steps_", 0)) or int(model.n_iter_)
print(json.dumps({"tool": f"sklearn {sklearn.__version__}", "wall": wall, "cpu": cpu, "inertia": float(model.inertia_), "iterations": steps}))
