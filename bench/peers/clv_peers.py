"""Python side of segmint's lifetime-value benchmark (bench/clv.ts): fits one lifetimes model on a data set the
harness wrote, printing one JSON line on stdout.

Usage:
    python3 clv_peers.py MODEL DATA_PREFIX

MODEL: bg-nbd | gamma-gamma | pareto-nbd. DATA_PREFIX.json holds {"n": customers}; DATA_PREFIX.f64 holds the columns
frequency, recency, T and monetary value one after the other (n float64 each, little-endian). Gamma–Gamma is given
the repeat buyers only (lifetimes' documented use); the other models every customer. The report has the same fields
as the segmint child's: library, importSeconds, loadSeconds, fitSeconds (the fit call alone), params,
logLikelihood (lifetimes' mean objective × n, reported as is: for BG/NBD it is in time scaled to max T = 1).
"""

import json
import sys
import time
import warnings


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    model, prefix = argv
    warnings.simplefilter("ignore")

    started = time.perf_counter()
    import lifetimes
    import numpy as np

    import_seconds = time.perf_counter() - started

    started = time.perf_counter()
    with open(prefix + ".json") as f:
        n = json.load(f)["n"]
    cols = np.fromfile(prefix + ".f64", dtype="<f8").reshape(4, n)
    x, rec, T, m = cols
    load_seconds = time.perf_counter() - started

    started = time.perf_counter()
    if model == "bg-nbd":
        f = lifetimes.BetaGeoFitter().fit(x, rec, T)
        count = n
    elif model == "pareto-nbd":
        f = lifetimes.ParetoNBDFitter().fit(x, rec, T)
        count = n
    elif model == "gamma-gamma":
        keep = x > 0
        f = lifetimes.GammaGammaFitter().fit(x[keep], m[keep])
        count = int(keep.sum())
    else:
        print(f"unknown model {model}", file=sys.stderr)
        return 2
    fit_seconds = time.perf_counter() - started
    report = {
        "library": f"lifetimes {lifetimes.__version__}",
        "importSeconds": import_seconds,
        "loadSeconds": load_seconds,
        "fitSeconds": fit_seconds,
        "params": {k: float(v) for k, v in f.params_.items()},
        "logLikelihood": -float(f._negative_log_likelihood_) * count,
    }
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
