"""The decision tree benchmark's Python side (bench/tree.ts): generates the data sets, and fits scikit-learn's tree.

    python3 bench/peers/tree_peers.py generate ROWS COLS CLASSES SEED PREFIX
        writes PREFIX.f64 (ROWS × COLS row-major, rounded to float32 as scikit-learn fits on), PREFIX.i32 (labels)
        and PREFIX.test.f64 (10,000 × COLS test points)
    python3 bench/peers/tree_peers.py fit ROWS COLS MAX_DEPTH PREFIX OUT
        fits DecisionTreeClassifier(max_depth=MAX_DEPTH, random_state=0), writes predictions on the test points to
        OUT (int32) and prints one JSON line with the times

Planted structure: each class has a centre in the first half of the features, the rest is noise, and 10% of the
labels are flipped so the tree has to stop somewhere.
"""

import json
import sys
import time

t0 = time.perf_counter()
import numpy as np  # noqa: E402

TEST_ROWS = 10_000


def generate(rows, cols, classes, seed, prefix):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, classes, size=rows).astype(np.int32)
    centres = np.zeros((classes, cols))
    centres[:, : cols // 2] = rng.normal(0, 1, size=(classes, cols // 2))
    X = (centres[y] + rng.normal(0, 1, size=(rows, cols))).astype(np.float32).astype(np.float64)
    flip = rng.random(rows) < 0.1
    y[flip] = rng.integers(0, classes, size=int(flip.sum()))
    Xt = rng.normal(0, 1.3, size=(TEST_ROWS, cols)).astype(np.float32).astype(np.float64)
    X.tofile(f"{prefix}.f64")
    y.tofile(f"{prefix}.i32")
    Xt.tofile(f"{prefix}.test.f64")


def fit(rows, cols, max_depth, prefix, out):
    import sklearn
    from sklearn.tree import DecisionTreeClassifier

    import_s = time.perf_counter() - t0
    t = time.perf_counter()
    X = np.fromfile(f"{prefix}.f64").reshape(rows, cols)
    y = np.fromfile(f"{prefix}.i32", dtype=np.int32)
    Xt = np.fromfile(f"{prefix}.test.f64").reshape(-1, cols)
    load_s = time.perf_counter() - t
    t = time.perf_counter()
    clf = DecisionTreeClassifier(max_depth=max_depth, random_state=0).fit(X, y)
    fit_s = time.perf_counter() - t
    clf.predict(Xt).astype(np.int32).tofile(out)
    print(json.dumps({
        "library": f"scikit-learn {sklearn.__version__}",
        "importSeconds": import_s,
        "loadSeconds": load_s,
        "fitSeconds": fit_s,
        "nodes": int(clf.tree_.node_count),
    }))


if __name__ == "__main__":
    cmd, *args = sys.argv[1:]
    if cmd == "generate":
        generate(int(args[0]), int(args[1]), int(args[2]), int(args[3]), args[4])
    elif cmd == "fit":
        fit(int(args[0]), int(args[1]), int(args[2]), args[3], args[4])
    else:
        raise SystemExit(f"unknown command {cmd}")
