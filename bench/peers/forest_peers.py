"""Python side of segmint's random forest benchmark (bench/forest.ts): writes the data set, and times scikit-learn's
RandomForestClassifier on it, printing one JSON line on stdout.

Usage:
    python3 forest_peers.py generate DATA_PREFIX TRAIN_ROWS TEST_ROWS COLS CLASSES SEED
    python3 forest_peers.py fit DATA_PREFIX PARAMS_JSON

generate writes DATA_PREFIX.{train,test}.f64 (rows × COLS float64, row-major little-endian), .{train,test}.i32 (the
planted classes, int32) and .json (the sizes): classes with sizes weighted 1..CLASSES, Gaussian centres
N(0, 0.6²) per coordinate, unit noise, and 5 % of labels replaced at random, so trees grow deep.

fit trains RandomForestClassifier(n_jobs=-1) with PARAMS_JSON's options in segmint's names (nEstimators, seed)
and reports importSeconds, loadSeconds, fitSeconds, predictSeconds, testAccuracy, library.
"""

import json
import sys
import time


def generate(prefix, n_train, n_test, cols, classes, seed):
    import numpy as np

    rng = np.random.default_rng(seed)
    centres = rng.normal(0, 0.6, (classes, cols))
    weights = np.arange(1, classes + 1, dtype=np.float64)
    n = n_train + n_test
    y = rng.choice(classes, size=n, p=weights / weights.sum())
    x = centres[y] + rng.standard_normal((n, cols))
    flip = rng.random(n) < 0.05
    y[flip] = rng.integers(0, classes, flip.sum())
    for part, sl in (("train", slice(0, n_train)), ("test", slice(n_train, n))):
        x[sl].astype("<f8").tofile(f"{prefix}.{part}.f64")
        y[sl].astype("<i4").tofile(f"{prefix}.{part}.i32")
    with open(prefix + ".json", "w") as f:
        json.dump({"train": n_train, "test": n_test, "cols": cols, "classes": classes, "seed": seed}, f)


def main(argv):
    if len(argv) == 7 and argv[0] == "generate":
        generate(argv[1], *map(int, argv[2:]))
        return 0
    if len(argv) != 3 or argv[0] != "fit":
        print(__doc__, file=sys.stderr)
        return 2
    prefix, p = argv[1], json.loads(argv[2])
    started = time.perf_counter()
    import numpy as np
    import sklearn
    from sklearn.ensemble import RandomForestClassifier

    import_seconds = time.perf_counter() - started
    started = time.perf_counter()
    with open(prefix + ".json") as f:
        h = json.load(f)
    xtr = np.fromfile(prefix + ".train.f64", dtype="<f8").reshape(h["train"], h["cols"])
    ytr = np.fromfile(prefix + ".train.i32", dtype="<i4")
    xte = np.fromfile(prefix + ".test.f64", dtype="<f8").reshape(h["test"], h["cols"])
    yte = np.fromfile(prefix + ".test.i32", dtype="<i4")
    load_seconds = time.perf_counter() - started
    model = RandomForestClassifier(n_estimators=p["nEstimators"], random_state=p["seed"], n_jobs=-1)
    started = time.perf_counter()
    model.fit(xtr, ytr)
    fit_seconds = time.perf_counter() - started
    started = time.perf_counter()
    pred = model.predict(xte)
    predict_seconds = time.perf_counter() - started
    report = {
        "library": f"scikit-learn {sklearn.__version__}",
        "importSeconds": import_seconds,
        "loadSeconds": load_seconds,
        "fitSeconds": fit_seconds,
        "predictSeconds": predict_seconds,
        "testAccuracy": float(np.mean(pred == yte)),
    }
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
