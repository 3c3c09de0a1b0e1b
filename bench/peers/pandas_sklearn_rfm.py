"""Reference peer for segmint's benchmarks: RFM segmentation done the way a competent data scientist would in
pandas + scikit-learn, end to end from the raw file to a segments CSV.

Usage: python3 pandas_sklearn_rfm.py FILE OUTDIR [--silhouette-sample N]

FILE is a transactions file with the UCI Online Retail columns (InvoiceNo, StockCode, Quantity, InvoiceDate,
UnitPrice, CustomerID; others ignored), as .csv, .csv.gz or .parquet. Steps:
  1. read; coerce Quantity/UnitPrice/InvoiceDate (unparseable values become NaN and are dropped)
  2. clean: drop rows without CustomerID, exact duplicate rows, rows with UnitPrice <= 0
  3. RFM per customer: recency = days from last purchase to (max date + 1 day), frequency = distinct purchase
     invoices, monetary = net amount (cancellations, InvoiceNo "C...", are netted against purchases);
     customers with monetary <= 0 or no purchase are dropped (log1p needs positive values)
  4. log1p, StandardScaler
  5. KMeans(n_init=10, random_state=0) for k = 2..10, k picked by silhouette_score on all customers (as sklearn
     computes it by default; --silhouette-sample N passes sample_size=N, random_state=0 instead)
  6. write OUTDIR/segments.csv (CustomerID, recency, frequency, monetary, segment) and OUTDIR/peer.json

Timings of each step go to stderr as they finish, so a run cut short by a time limit shows where it was.
"""

import argparse
import json
import os
import sys
import time

T0 = time.perf_counter()
_last = T0


def log(step, **extra):
    """Prints the time since the previous step to stderr, flushed so a killed run still shows it."""
    global _last
    now = time.perf_counter()
    fields = " ".join(f"{k}={v}" for k, v in extra.items())
    print(f"[peer] {step:<24} {now - _last:8.2f}s  (total {now - T0:8.2f}s) {fields}", file=sys.stderr, flush=True)
    _last = now
    return now


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file")
    parser.add_argument("outdir")
    parser.add_argument("--silhouette-sample", type=int, default=None, metavar="N")
    opts = parser.parse_args(argv)
    path, outdir, sample = opts.file, opts.outdir, opts.silhouette_sample

    import numpy as np
    import pandas as pd
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score
    from sklearn.preprocessing import StandardScaler

    log("import")
    timings = {}

    # 1. Read.
    start = time.perf_counter()
    if path.endswith(".parquet"):
        df = pd.read_parquet(path)
    else:
        df = pd.read_csv(path, dtype={"InvoiceNo": str, "StockCode": str, "CustomerID": str}, low_memory=False)
    rows_read = len(df)
    timings["read"] = log("read", rows=rows_read) - start

    # 2. Clean.
    start = time.perf_counter()
    df["Quantity"] = pd.to_numeric(df["Quantity"], errors="coerce")
    df["UnitPrice"] = pd.to_numeric(df["UnitPrice"], errors="coerce")
    if not pd.api.types.is_datetime64_any_dtype(df["InvoiceDate"]):
        df["InvoiceDate"] = pd.to_datetime(df["InvoiceDate"], format="%Y-%m-%d %H:%M:%S", errors="coerce")
    df["CustomerID"] = pd.to_numeric(df["CustomerID"], errors="coerce")
    df = df.dropna(subset=["CustomerID", "Quantity", "UnitPrice", "InvoiceDate"])
    df = df.drop_duplicates()
    df = df[df["UnitPrice"] > 0]
    df["InvoiceNo"] = df["InvoiceNo"].astype(str)
    df["CustomerID"] = df["CustomerID"].astype("int64")
    df["Amount"] = df["Quantity"] * df["UnitPrice"]
    rows_clean = len(df)
    timings["clean"] = log("clean", rows=rows_clean) - start

    # 3. RFM.
    start = time.perf_counter()
    is_cancel = df["InvoiceNo"].str.startswith("C")
    purchases = df[~is_cancel]
    snapshot = df["InvoiceDate"].max() + pd.Timedelta(days=1)
    rfm = purchases.groupby("CustomerID").agg(last=("InvoiceDate", "max"), frequency=("InvoiceNo", "nunique"))
    rfm["monetary"] = df.groupby("CustomerID")["Amount"].sum()
    rfm["recency"] = (snapshot - rfm["last"]).dt.days
    rfm = rfm[rfm["monetary"] > 0]
    rfm = rfm[["recency", "frequency", "monetary"]]
    timings["rfm"] = log("rfm", customers=len(rfm)) - start

    # 4. Scale.
    start = time.perf_counter()
    X = StandardScaler().fit_transform(np.log1p(rfm.to_numpy(dtype="float64")))
    timings["scale"] = log("scale") - start

    # 5. k sweep.
    best = None
    sweep = []
    kmeans_s = 0.0
    silhouette_s = 0.0
    for k in range(2, 11):
        start = time.perf_counter()
        model = KMeans(n_clusters=k, n_init=10, random_state=0).fit(X)
        kmeans_s += log(f"kmeans k={k}", inertia=round(model.inertia_, 1)) - start
        start = time.perf_counter()
        if sample is None:
            score = silhouette_score(X, model.labels_)
        else:
            score = silhouette_score(X, model.labels_, sample_size=min(sample, len(X)), random_state=0)
        silhouette_s += log(f"silhouette k={k}", score=round(float(score), 4)) - start
        sweep.append({"k": k, "inertia": float(model.inertia_), "silhouette": float(score)})
        if best is None or score > best[0]:
            best = (score, k, model.labels_)
    timings["kmeans"] = kmeans_s
    timings["silhouette"] = silhouette_s

    # 6. Write.
    start = time.perf_counter()
    os.makedirs(outdir, exist_ok=True)
    out = rfm.copy()
    out["segment"] = best[2]
    out.to_csv(os.path.join(outdir, "segments.csv"))
    timings["write"] = log("write") - start
    summary = {
        "rows_read": rows_read,
        "rows_clean": rows_clean,
        "customers": int(len(rfm)),
        "k": best[1],
        "silhouette": float(best[0]),
        "silhouette_sample": sample,
        "sweep": sweep,
        "timings_s": {k: round(v, 3) for k, v in timings.items()},
        "total_s": round(time.perf_counter() - T0, 3),
        "versions": {"python": sys.version.split()[0], "pandas": pd.__version__, "numpy": np.__version__,
                     "sklearn": __import__("sklearn").__version__},
    }
    with open(os.path.join(outdir, "peer.json"), "w") as f:
        json.dump(summary, f, indent=2)
    log("done", k=best[1], customers=len(rfm))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
