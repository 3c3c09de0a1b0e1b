"""Python side of segmint's metrics benchmark (bench/metrics.ts): writes the data sets, and times scikit-learn's
clustering metrics on them, printing one JSON line on stdout.

Usage:
    python3 metrics_peers.py generate DATA_PREFIX ROWS COLS CLUSTERS SEED
    python3 metrics_peers.py METRIC DATA_PREFIX PARAMS_JSON

generate writes DATA_PREFIX.f64 (ROWS × COLS float64, row-major little-endian), DATA_PREFIX.i32 (the planted
labels, int32) and DATA_PREFIX.json (rows, cols, clusters, seed): Gaussian blobs with centres uniform in
[−5, 5]^COLS, per-cluster scales in [1, 2.5] and sizes weighted 1..CLUSTERS, in random order.

METRIC: silhouette | calinski-harabasz | davies-bouldin. PARAMS_JSON holds the case's options in segmint's names
(sampleSize, seed); they are passed to scikit-learn under its own (sample_size, random_state). The report has the
same fields as the segmint child's: importSeconds, loadSeconds (numpy.fromfile), callSeconds (the metric call
alone), value, library.
"""

import json
import sys
import time


def generate(prefix, rows, cols, clusters, seed):
    import numpy as np

    rng = np.random.default_rng(seed)
    centres = rng.uniform(-5, 5, (clusters, cols))
    scales = rng.uniform(1, 2.5, clusters)
    weights = np.arange(1, clusters + 1, dtype=np.float64)
    labels = rng.choice(clusters, size=rows, p=weights / weights.sum()).astype("<i4")
    with open(prefix + ".f64", "wb") as f:
        block = 1_000_000  # written in blocks so 5M rows × 10 never need a second copy in memory
        for start in range(0, rows, block):
            lab = labels[start : start + block]
            x = centres[lab] + rng.standard_normal((len(lab), cols)) * scales[lab, None]
            x.astype("<f8").tofile(f)
    labels.tofile(prefix + ".i32")
    with open(prefix + ".json", "w") as f:
        json.dump({"rows": rows, "cols": cols, "clusters": clusters, "seed": seed}, f)


def main(argv):
    if len(argv) >= 1 and argv[0] == "generate" and len(argv) == 6:
        generate(argv[1], *map(int, argv[2:]))
        return 0
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    metric, prefix, params_json = argv
    p = json.loads(params_json)

    started = time.perf_counter()
    import numpy as np
    import sklearn
    from sklearn import metrics

    import_seconds = time.perf_counter() - started

    started = time.perf_counter()
    with open(prefix + ".json") as f:
        header = json.load(f)
    x = np.fromfile(prefix + ".f64", dtype="<f8").reshape(header["rows"], header["cols"])
    labels = np.fromfile(prefix + ".i32", dtype="<i4")
    load_seconds = time.perf_counter() - started

    started = time.perf_counter()
    if metric == "silhouette":
        if "sampleSize" in p:
            value = metrics.silhouette_score(x, labels, sample_size=p["sampleSize"], random_state=p.get("seed", 0))
        else:
            value = metrics.silhouette_score(x, labels)
    elif metric == "calinski-harabasz":
        value = metrics.calinski_harabasz_score(x, labels)
    elif metric == "davies-bouldin":
        value = metrics.davies_bouldin_score(x, labels)
    else:
        print(f"unknown metric {metric}", file=sys.stderr)
        return 2
    call_seconds = time.perf_counter() - started
    report = {
        "library": f"scikit-learn {sklearn.__version__}",
        "importSeconds": import_seconds,
        "loadSeconds": load_seconds,
        "callSeconds": call_seconds,
        "value": float(value),
    }
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
