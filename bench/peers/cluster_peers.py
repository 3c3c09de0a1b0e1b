"""Python peers for segmint's clustering benchmark (bench/cluster.ts): fits one algorithm with scikit-learn, the
hdbscan package or kmodes on a data set the harness wrote, writes the labels and prints one JSON line on stdout.

Usage: python3 cluster_peers.py TOOL ALGORITHM DATA_PREFIX LABELS_OUT PARAMS_JSON

TOOL: sklearn | hdbscan | kmodes. ALGORITHM: kmeans | minibatch-kmeans | gaussian-mixture | dbscan | hdbscan |
agglomerative | kprototypes. DATA_PREFIX.json holds rows/cols (and catCols); DATA_PREFIX.f64 the rows × cols
float64 matrix, row-major little-endian; DATA_PREFIX.cat.i32 the categorical codes (k-prototypes). PARAMS_JSON
holds the case's options in segmint's names, the same object segmint's runner gets; each is passed here to the
library under its own name, and every default that matters is spelled out so both sides do the same job.

The report (the last stdout line) has the same shape as bench/cluster-run.ts's: importSeconds (interpreter
start-up excluded), loadSeconds (numpy.fromfile and shaping), fitSeconds (the .fit call alone), rssAfterLoadMB
(VmRSS right after loading), quality (the library's own inertia_, lower_bound_, cost_, n_iter_, …) and options.
"""

import json
import sys
import time

T0 = time.perf_counter()


def rss_mb():
    """Current resident set size in MiB, from /proc (VmRSS); the peak from getrusage where /proc is absent."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load(prefix, with_categorical):
    import numpy as np

    with open(prefix + ".json") as f:
        header = json.load(f)
    rows, cols = header["rows"], header["cols"]
    x = np.fromfile(prefix + ".f64", dtype="<f8").reshape(rows, cols)
    cat = None
    if with_categorical:
        cat = np.fromfile(prefix + ".cat.i32", dtype="<i4").reshape(rows, header["catCols"])
    return x, cat


def sklearn_model(algorithm, p):
    """Returns (unfitted estimator, its options, a function reading its quality figures after the fit)."""
    if algorithm == "kmeans":
        from sklearn.cluster import KMeans

        options = dict(
            n_clusters=p["k"],
            init="k-means++",
            n_init=p["nInit"],
            max_iter=p["maxIter"],
            tol=p["tol"],
            algorithm="lloyd",
            random_state=p["seed"],
        )
        model = KMeans(**options)
        return model, options, lambda m: {"inertia": float(m.inertia_), "iterations": int(m.n_iter_)}
    if algorithm == "minibatch-kmeans":
        from sklearn.cluster import MiniBatchKMeans

        options = dict(
            n_clusters=p["k"],
            init="k-means++",
            batch_size=p["batchSize"],
            n_init=p["nInit"],
            max_iter=p["maxIter"],
            max_no_improvement=p["maxNoImprovement"],
            tol=p["tol"],
            reassignment_ratio=p["reassignmentRatio"],
            random_state=p["seed"],
        )
        model = MiniBatchKMeans(**options)
        return model, options, lambda m: {"inertia": float(m.inertia_), "steps": int(m.n_steps_)}
    if algorithm == "gaussian-mixture":
        from sklearn.mixture import GaussianMixture

        options = dict(
            n_components=p["k"],
            covariance_type=p["covarianceType"],
            n_init=p["nInit"],
            max_iter=p["maxIter"],
            tol=p["tol"],
            reg_covar=p["regCovar"],
            init_params="kmeans",
            random_state=p["seed"],
        )
        model = GaussianMixture(**options)
        return model, options, lambda m: {
            "lowerBound": float(m.lower_bound_),
            "iterations": int(m.n_iter_),
            "converged": bool(m.converged_),
        }
    if algorithm == "dbscan":
        from sklearn.cluster import DBSCAN

        options = dict(eps=p["eps"], min_samples=p["minSamples"])
        model = DBSCAN(**options)
        return model, options, lambda m: {"coreRows": int(len(m.core_sample_indices_))}
    if algorithm == "hdbscan":
        from sklearn.cluster import HDBSCAN

        # scikit-learn's min_samples counts the row itself among its neighbours, the hdbscan package's (and
        # segmint's) does not: k = minSamples + 1 gives the same core distances.
        options = dict(min_cluster_size=p["minClusterSize"], min_samples=p["minSamples"] + 1, copy=False)
        model = HDBSCAN(**options)
        return model, options, lambda m: {}
    if algorithm == "agglomerative":
        from sklearn.cluster import AgglomerativeClustering

        options = dict(n_clusters=p["nClusters"], linkage=p["linkage"])
        model = AgglomerativeClustering(**options)
        return model, options, lambda m: {}
    raise SystemExit(f"scikit-learn peer has no {algorithm}")


def main(argv):
    if len(argv) != 5:
        print(__doc__, file=sys.stderr)
        return 2
    tool, algorithm, prefix, labels_out, params_json = argv
    p = json.loads(params_json)

    started = time.perf_counter()
    import numpy as np

    if tool == "sklearn":
        import sklearn

        library = f"scikit-learn {sklearn.__version__}"
        model, options, quality_of = sklearn_model(algorithm, p)
        fit_args = {}
    elif tool == "hdbscan" and algorithm == "hdbscan":
        import hdbscan

        library = f"hdbscan {package_version('hdbscan')}"
        # The package's defaults: algorithm='best' (Borůvka on a KD-tree here), approx_min_span_tree=True,
        # core_dist_n_jobs=4; min_samples as segmint's (which defaults to minClusterSize, as the package does).
        options = dict(min_cluster_size=p["minClusterSize"], min_samples=p["minSamples"])
        model = hdbscan.HDBSCAN(**options)
        quality_of = lambda m: {}  # noqa: E731
        fit_args = {}
    elif tool == "kmodes" and algorithm == "kprototypes":
        from kmodes.kprototypes import KPrototypes

        library = f"kmodes {package_version('kmodes')}"
        # gamma left to the package: 0.5 × mean std of the numeric columns, segmint's default too.
        options = dict(
            n_clusters=p["k"],
            init="Cao",
            n_init=p["nInit"],
            max_iter=p["maxIter"],
            random_state=p["seed"],
            n_jobs=1,
        )
        model = KPrototypes(**options)
        quality_of = lambda m: {  # noqa: E731
            "cost": float(m.cost_),
            "iterations": int(m.n_iter_),
            "gamma": float(m.gamma),
        }
        fit_args = None  # set after loading: needs the categorical column indices
    else:
        print(f"unknown tool/algorithm: {tool} {algorithm}", file=sys.stderr)
        return 2
    import_seconds = time.perf_counter() - started

    started = time.perf_counter()
    x, cat = load(prefix, algorithm == "kprototypes")
    if algorithm == "kprototypes":
        # kmodes takes one matrix and the indices of its categorical columns; codes as floats keep it numeric.
        n_num = x.shape[1]
        x = np.hstack([x, cat.astype(np.float64)])
        del cat
        fit_args = {"categorical": list(range(n_num, x.shape[1]))}
    load_seconds = time.perf_counter() - started
    rss_after_load = rss_mb()

    # For a run stopped at the time limit, limit - this is a lower bound on the fit time (see bench/cluster.ts).
    print(f"[cluster-run] fit started at {time.perf_counter() - T0:.3f} s", file=sys.stderr, flush=True)
    started = time.perf_counter()
    if algorithm == "gaussian-mixture":
        # GaussianMixture keeps no labels_: its fit() is fit_predict() with the labels dropped, so this costs the same.
        labels = model.fit_predict(x)
    else:
        model.fit(x, **fit_args)
        labels = model.labels_
    fit_seconds = time.perf_counter() - started

    labels = np.ascontiguousarray(labels, dtype="<i4")
    labels.tofile(labels_out)
    report = {
        "tool": tool,
        "library": library,
        "algorithm": algorithm,
        "importSeconds": import_seconds,
        "loadSeconds": load_seconds,
        "fitSeconds": fit_seconds,
        "rssAfterLoadMB": rss_after_load,
        "quality": quality_of(model),
        "options": options,
    }
    print(json.dumps(report), flush=True)
    return 0


def package_version(name):
    from importlib.metadata import version

    return version(name)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
