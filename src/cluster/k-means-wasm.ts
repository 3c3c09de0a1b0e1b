/**
 * WebAssembly SIMD versions of k-means' densest loops — Hamerly's and Elkan's scans over all centroids, Hamerly's
 * bounded pass with its rescans, Lloyd's assignment and k-means++ scoring — generated per (d, k, trials) like
 * `k-means-generated.ts`.
 * Two centroids (or candidates) share one f64x2 register, lane by lane, and each lane sums its squared differences
 * in scikit-learn's grouping (`groupedDistanceKernel`): results are bit-identical to the JavaScript kernels, only
 * about twice as fast (measured on 1M rows: the full scan at d = 20, k = 20 in 200 ms against 380 ms; at d = 10,
 * k = 8 in 83 ms against 123 ms). The data live in one `WebAssembly.Memory` the workspace allocates (shared with
 * the worker threads); arguments are byte offsets into it. Every module is built from integers and flags only.
 * Internal: trusts its offsets.
 * @module
 */

// The WebAssembly JS API as used here: segmint's TypeScript libraries (ES2023, Node types) do not declare it.
declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace WebAssembly {
    class Memory {
      constructor(descriptor: { initial: number; maximum?: number; shared?: boolean });
      readonly buffer: ArrayBuffer;
    }
    class Module {
      constructor(bytes: Uint8Array);
    }
    class Instance {
      constructor(module: Module, imports: Record<string, Record<string, unknown>>);
      readonly exports: Record<string, unknown>;
    }
    function validate(bytes: Uint8Array): boolean;
  }
}

// ---- A minimal WebAssembly binary writer: just the opcodes these kernels use. ----

const I32 = 0x7f;
const F64 = 0x7c;
const V128 = 0x7b;

function uleb(v: number): number[] {
  const out: number[] = [];
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
  return out;
}

function sleb(v: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const name = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (ch) => ch.charCodeAt(0))];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];

/** One function body under construction: typed locals after the parameters, and the instruction bytes. */
class Fn {
  readonly code: number[] = [];
  private readonly localTypes: number[] = [];

  constructor(
    readonly params: number[],
    readonly result: number | null,
  ) {}

  local(type: number): number {
    this.localTypes.push(type);
    return this.params.length + this.localTypes.length - 1;
  }

  emit(...bytes: number[]): this {
    for (const b of bytes) this.code.push(b);
    return this;
  }

  get(i: number): this {
    return this.emit(0x20, ...uleb(i));
  }
  set(i: number): this {
    return this.emit(0x21, ...uleb(i));
  }
  tee(i: number): this {
    return this.emit(0x22, ...uleb(i));
  }
  i32(v: number): this {
    return this.emit(0x41, ...sleb(v));
  }
  f64(v: number): this {
    return this.emit(0x44, ...new Uint8Array(new Float64Array([v]).buffer));
  }
  /** f64.load from the address on the stack plus `offset` bytes. */
  loadF64(offset = 0): this {
    return this.emit(0x2b, 3, ...uleb(offset));
  }
  storeF64(offset = 0): this {
    return this.emit(0x39, 3, ...uleb(offset));
  }
  loadI32(offset = 0): this {
    return this.emit(0x28, 2, ...uleb(offset));
  }
  storeI32(offset = 0): this {
    return this.emit(0x36, 2, ...uleb(offset));
  }
  loadV128(offset = 0): this {
    return this.emit(0xfd, 0x00, 4, ...uleb(offset));
  }
  /** The address `base + index · size` (both locals), left on the stack. */
  addr(base: number, index: number, size: number): this {
    return this.get(base).get(index).i32(size).emit(0x6c, 0x6a);
  }
  /** Local bytes: i32 entries grouped as the binary format wants (count, type). */
  body(): number[] {
    const groups: number[][] = [];
    for (const t of this.localTypes) {
      const last = groups[groups.length - 1];
      if (last !== undefined && last[1] === t) last[0]!++;
      else groups.push([1, t]);
    }
    const locals = vec(groups.map(([count, type]) => [...uleb(count!), type!]));
    const all = [...locals, ...this.code, 0x0b];
    return [...uleb(all.length), ...all];
  }
}

// Opcodes, named.
const OP = {
  i32Add: 0x6a,
  i32Mul: 0x6c,
  i32LtS: 0x48,
  i32Eq: 0x46,
  i32Eqz: 0x45,
  i32Or: 0x72,
  i32Shl: 0x74,
  i32ShrU: 0x76,
  f64Add: 0xa0,
  f64Sub: 0xa1,
  f64Mul: 0xa2,
  f64Lt: 0x63,
  f64Le: 0x65,
  f64Gt: 0x64,
  f64Sqrt: 0x9f,
  select: 0x1b,
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  if: [0x04, 0x40],
  else: 0x05,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  f64x2Splat: [0xfd, 0x14],
  f64x2Lane: (lane: number) => [0xfd, 0x21, lane],
  f64x2Add: [0xfd, 0xf0, 0x01],
  f64x2Sub: [0xfd, 0xf1, 0x01],
  f64x2Mul: [0xfd, 0xf2, 0x01],
} as const;

// ---- Shared pieces of the kernels. ----

/** Splats coordinate t of the row at byte address `xp` into v128 locals, one per coordinate. */
function splatRow(f: Fn, xp: number, d: number, rowLocals: number[]): void {
  for (let t = 0; t < d; t++)
    f.get(xp)
      .loadF64(8 * t)
      .emit(...OP.f64x2Splat)
      .set(rowLocals[t]!);
}

/**
 * Leaves on the stack the f64x2 squared distances from the splatted row to the pair of rows stored interleaved at
 * `pairBase + pair·d·16` (lane l = row 2·pair + l), each lane summed in scikit-learn's grouping.
 */
function pairDistance(f: Fn, row: number[], pairBase: number, pair: number, d: number, tmp: number): void {
  const sq = (t: number): void => {
    f.get(row[t]!)
      .get(pairBase)
      .loadV128(16 * (pair * d + t))
      .emit(...OP.f64x2Sub);
    f.tee(tmp)
      .get(tmp)
      .emit(...OP.f64x2Mul);
  };
  const groups = Math.floor(d / 4);
  let first = true;
  for (let g = 0; g < groups; g++) {
    const t = 4 * g;
    sq(t);
    sq(t + 1);
    f.emit(...OP.f64x2Add);
    sq(t + 2);
    f.emit(...OP.f64x2Add);
    sq(t + 3);
    f.emit(...OP.f64x2Add);
    if (!first) f.emit(...OP.f64x2Add);
    first = false;
  }
  for (let t = 4 * groups; t < d; t++) {
    sq(t);
    if (!first) f.emit(...OP.f64x2Add);
    first = false;
  }
}

/** Scalar squared distance (grouped order) between the rows at byte addresses `xp` and `cp`, left on the stack. */
function scalarDistance(f: Fn, xp: number, cp: number, d: number, e: number): void {
  const sq = (t: number): void => {
    f.get(xp)
      .loadF64(8 * t)
      .get(cp)
      .loadF64(8 * t)
      .emit(OP.f64Sub)
      .tee(e)
      .get(e)
      .emit(OP.f64Mul);
  };
  const groups = Math.floor(d / 4);
  let first = true;
  for (let g = 0; g < groups; g++) {
    const t = 4 * g;
    sq(t);
    sq(t + 1);
    f.emit(OP.f64Add);
    sq(t + 2);
    f.emit(OP.f64Add);
    sq(t + 3);
    f.emit(OP.f64Add);
    if (!first) f.emit(OP.f64Add);
    first = false;
  }
  for (let t = 4 * groups; t < d; t++) {
    sq(t);
    if (!first) f.emit(OP.f64Add);
    first = false;
  }
}

/**
 * Nearest (`best`, squared `d1`) and second-nearest (`d2`) of k centroids (pairs at `cp`) for the splatted row;
 * ties → lowest index, with the comparisons of the plain loop, made branch-free with `select`.
 */
function scanPairs(f: Fn, L: ScanLocals, k: number, d: number): void {
  f.f64(Infinity).set(L.d1).f64(Infinity).set(L.d2).i32(0).set(L.best);
  for (let pair = 0; pair < Math.ceil(k / 2); pair++) {
    pairDistance(f, L.row, L.cp, pair, d, L.tmp);
    f.set(L.acc);
    for (let lane = 0; lane < 2 && 2 * pair + lane < k; lane++) {
      const j = 2 * pair + lane;
      f.get(L.acc)
        .emit(...OP.f64x2Lane(lane))
        .set(L.s);
      // d2 = s < d1 ? d1 : (s < d2 ? s : d2)
      f.get(L.d1).get(L.s).get(L.d2).get(L.s).get(L.d2).emit(OP.f64Lt, OP.select);
      f.get(L.s).get(L.d1).emit(OP.f64Lt, OP.select).set(L.d2);
      // best = s < d1 ? j : best; d1 = s < d1 ? s : d1
      f.i32(j).get(L.best).get(L.s).get(L.d1).emit(OP.f64Lt, OP.select).set(L.best);
      f.get(L.s).get(L.d1).get(L.s).get(L.d1).emit(OP.f64Lt, OP.select).set(L.d1);
    }
  }
}

interface ScanLocals {
  cp: number;
  row: number[];
  tmp: number;
  acc: number;
  s: number;
  d1: number;
  d2: number;
  best: number;
}

function scanLocals(f: Fn, cp: number, d: number): ScanLocals {
  return {
    cp,
    row: Array.from({ length: d }, () => f.local(V128)),
    tmp: f.local(V128),
    acc: f.local(V128),
    s: f.local(F64),
    d1: f.local(F64),
    d2: f.local(F64),
    best: f.local(I32),
  };
}

/** `for (i = i0; i < i1; i++) { body }` around `body`. */
function rowLoop(f: Fn, i: number, i0: number, i1: number, body: () => void): void {
  f.get(i0).set(i);
  f.emit(...OP.block, ...OP.loop);
  f.get(i).get(i1).emit(OP.i32LtS, OP.i32Eqz, OP.brIf, 1);
  body();
  f.get(i).i32(1).emit(OP.i32Add).set(i);
  f.emit(OP.br, 0, OP.end, OP.end);
}

// ---- The kernels. ----

/** hscan(x, cp, labels, upper, lower, i0, i1): Hamerly's first assignment. */
function hamerlyScan(d: number, k: number): Fn {
  const f = new Fn([I32, I32, I32, I32, I32, I32, I32], null);
  const [x, cp, labels, upper, lower, i0, i1] = [0, 1, 2, 3, 4, 5, 6];
  const i = f.local(I32);
  const xp = f.local(I32);
  const L = scanLocals(f, cp, d);
  rowLoop(f, i, i0, i1, () => {
    f.addr(x, i, 8 * d).set(xp);
    splatRow(f, xp, d, L.row);
    scanPairs(f, L, k, d);
    f.addr(labels, i, 4).get(L.best).storeI32();
    f.addr(upper, i, 8).get(L.d1).emit(OP.f64Sqrt).storeF64();
    f.addr(lower, i, 8).get(L.d2).emit(OP.f64Sqrt).storeF64();
  });
  return f;
}

/**
 * hbound(x, c, cp, labels, upper, lower, half, shift, changedBits, changedFrom, i0, i1, max1, max2, argMax) → m:
 * Hamerly's bounded assignment, as `hamerlyBounded` in `k-means-kernels.ts`.
 */
function hamerlyBounded(d: number, k: number): Fn {
  const f = new Fn([I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, F64, F64, I32], I32);
  const [x, c, cp, labels, upper, lower, half, shift, bits, from, i0, i1, max1, max2, argMax] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
  ];
  const i = f.local(I32);
  const xp = f.local(I32);
  const a = f.local(I32);
  const m = f.local(I32);
  const ub = f.local(F64);
  const lo = f.local(F64);
  const bound = f.local(F64);
  const u = f.local(F64);
  const e = f.local(F64);
  const ca = f.local(I32);
  const bit = f.local(I32);
  const L = scanLocals(f, cp, d);
  f.i32(0).set(m);
  rowLoop(f, i, i0, i1, () => {
    f.emit(...OP.block); // skip target: br 0 from inside leaves the row
    f.addr(labels, i, 4).loadI32().set(a);
    f.addr(upper, i, 8).loadF64().addr(shift, a, 8).loadF64().emit(OP.f64Add).set(ub);
    // lo = lower[i] − (a === argMax ? max2 : max1)
    f.addr(lower, i, 8)
      .loadF64()
      .get(max2)
      .get(max1)
      .get(a)
      .get(argMax)
      .emit(OP.i32Eq, OP.select, OP.f64Sub)
      .set(lo);
    // bound = lo > half[a] ? lo : half[a]
    f.get(lo)
      .addr(half, a, 8)
      .loadF64()
      .get(lo)
      .addr(half, a, 8)
      .loadF64()
      .emit(OP.f64Gt, OP.select)
      .set(bound);
    f.get(ub)
      .get(bound)
      .emit(OP.f64Le, ...OP.if);
    f.addr(upper, i, 8).get(ub).storeF64().addr(lower, i, 8).get(lo).storeF64().emit(OP.br, 1, OP.end);
    f.addr(x, i, 8 * d)
      .set(xp)
      .addr(c, a, 8 * d)
      .set(ca);
    scalarDistance(f, xp, ca, d, e);
    f.emit(OP.f64Sqrt).set(u);
    f.get(u)
      .get(bound)
      .emit(OP.f64Le, ...OP.if);
    f.addr(upper, i, 8).get(u).storeF64().addr(lower, i, 8).get(lo).storeF64().emit(OP.br, 1, OP.end);
    splatRow(f, xp, d, L.row);
    scanPairs(f, L, k, d);
    f.addr(upper, i, 8).get(L.d1).emit(OP.f64Sqrt).storeF64();
    f.addr(lower, i, 8).get(L.d2).emit(OP.f64Sqrt).storeF64();
    f.get(L.best)
      .get(a)
      .emit(0x47, ...OP.if); // i32.ne
    f.addr(labels, i, 4).get(L.best).storeI32();
    // changedBits[i >> 5] |= 1 << i (i32.shl takes its count mod 32); changedFrom[i0 + m] = a; m++
    f.get(bits).get(i).i32(5).emit(OP.i32ShrU).i32(4).emit(OP.i32Mul, OP.i32Add).tee(bit);
    f.get(bit).loadI32().i32(1).get(i).emit(OP.i32Shl, OP.i32Or).storeI32();
    f.get(from).get(i0).get(m).emit(OP.i32Add).i32(4).emit(OP.i32Mul, OP.i32Add).get(a).storeI32();
    f.get(m).i32(1).emit(OP.i32Add).set(m);
    f.emit(OP.end);
    f.emit(OP.end); // block
  });
  f.get(m);
  return f;
}

/** escan(x, cp, labels, upper, lower, i0, i1): Elkan's first assignment (k lower bounds per row). */
function elkanScan(d: number, k: number): Fn {
  const f = new Fn([I32, I32, I32, I32, I32, I32, I32], null);
  const [x, cp, labels, upper, lower, i0, i1] = [0, 1, 2, 3, 4, 5, 6];
  const i = f.local(I32);
  const xp = f.local(I32);
  const lp = f.local(I32);
  const dj = f.local(F64);
  const L = scanLocals(f, cp, d);
  rowLoop(f, i, i0, i1, () => {
    f.addr(x, i, 8 * d)
      .set(xp)
      .addr(lower, i, 8 * k)
      .set(lp);
    splatRow(f, xp, d, L.row);
    f.f64(Infinity).set(L.d1).i32(0).set(L.best);
    for (let pair = 0; pair < Math.ceil(k / 2); pair++) {
      pairDistance(f, L.row, cp, pair, d, L.tmp);
      f.set(L.acc);
      for (let lane = 0; lane < 2 && 2 * pair + lane < k; lane++) {
        const j = 2 * pair + lane;
        f.get(L.acc)
          .emit(...OP.f64x2Lane(lane), OP.f64Sqrt)
          .set(dj);
        f.get(lp)
          .get(dj)
          .storeF64(8 * j);
        f.i32(j).get(L.best).get(dj).get(L.d1).emit(OP.f64Lt, OP.select).set(L.best);
        f.get(dj).get(L.d1).get(dj).get(L.d1).emit(OP.f64Lt, OP.select).set(L.d1);
      }
    }
    f.addr(labels, i, 4).get(L.best).storeI32();
    f.addr(upper, i, 8).get(L.d1).storeF64();
  });
  return f;
}

/**
 * score(x, w, closest, nearest, cp, cc, i0, i1, pot): k-means++ scoring of `trials` candidates (pairs at cp), as
 * the generated `scoreKernel`; `w` is ignored unless the module was built weighted.
 */
function score(d: number, trials: number, weighted: boolean): Fn {
  const f = new Fn([I32, I32, I32, I32, I32, I32, I32, I32, I32], null);
  const [x, w, closest, nearest, cp, cc, i0, i1, pot] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const i = f.local(I32);
  const xp = f.local(I32);
  const ci = f.local(F64);
  const far = f.local(F64);
  const wi = f.local(F64);
  const ao = f.local(I32);
  const s = f.local(F64);
  const p = Array.from({ length: trials }, () => f.local(F64));
  const open = Array.from({ length: trials }, () => f.local(I32));
  const row = Array.from({ length: d }, () => f.local(V128));
  const tmp = f.local(V128);
  const acc = f.local(V128);
  const mass = (): void => {
    if (weighted) f.get(wi).emit(OP.f64Mul);
  };
  for (const pq of p) f.f64(0).set(pq);
  rowLoop(f, i, i0, i1, () => {
    f.emit(...OP.block);
    f.addr(closest, i, 8).loadF64().tee(ci).f64(4).emit(OP.f64Mul).set(far);
    f.addr(nearest, i, 4)
      .loadI32()
      .i32(8 * trials)
      .emit(OP.i32Mul)
      .get(cc)
      .emit(OP.i32Add)
      .set(ao);
    if (weighted) f.addr(w, i, 8).loadF64().set(wi);
    for (let q = 0; q < trials; q++)
      f.get(ao)
        .loadF64(8 * q)
        .get(far)
        .emit(OP.f64Lt)
        .set(open[q]!);
    // No candidate open: every potential takes w·D².
    f.get(open[0]!);
    for (let q = 1; q < trials; q++) f.get(open[q]!).emit(OP.i32Or);
    f.emit(OP.i32Eqz, ...OP.if);
    for (let q = 0; q < trials; q++) {
      f.get(p[q]!).get(ci);
      mass();
      f.emit(OP.f64Add).set(p[q]!);
    }
    f.emit(OP.br, 1, OP.end);
    f.addr(x, i, 8 * d).set(xp);
    splatRow(f, xp, d, row);
    for (let pair = 0; pair < Math.ceil(trials / 2); pair++) {
      const q0 = 2 * pair;
      const lanes = Math.min(2, trials - q0);
      // Compute the pair only if one of its candidates is open.
      f.get(open[q0]!);
      if (lanes === 2) f.get(open[q0 + 1]!).emit(OP.i32Or);
      f.emit(...OP.if);
      pairDistance(f, row, cp, pair, d, tmp);
      f.set(acc);
      f.emit(OP.end);
      for (let lane = 0; lane < lanes; lane++) {
        const q = q0 + lane;
        f.get(open[q]!).emit(...OP.if);
        f.get(acc)
          .emit(...OP.f64x2Lane(lane))
          .set(s);
        // p += w · (s < ci ? s : ci)
        f.get(p[q]!).get(s).get(ci).get(s).get(ci).emit(OP.f64Lt, OP.select);
        mass();
        f.emit(OP.f64Add).set(p[q]!);
        f.emit(OP.else);
        f.get(p[q]!).get(ci);
        mass();
        f.emit(OP.f64Add).set(p[q]!);
        f.emit(OP.end);
      }
    }
    f.emit(OP.end); // block
  });
  for (let q = 0; q < trials; q++)
    f.get(pot)
      .get(p[q]!)
      .storeF64(8 * q);
  return f;
}

/**
 * fold(x, closest, nearest, y, wcc, centre, i0, i1): folds k-means++'s winner `y` into `closest` / `nearest`, as the
 * generated `foldKernel`: where wcc[nearest[i]] < 4·closest[i] and ‖x − y‖² (scalar, grouped) is smaller.
 */
function fold(d: number): Fn {
  const f = new Fn([I32, I32, I32, I32, I32, I32, I32, I32], null);
  const [x, closest, nearest, y, wcc, centre, i0, i1] = [0, 1, 2, 3, 4, 5, 6, 7];
  const i = f.local(I32);
  const xp = f.local(I32);
  const ci = f.local(F64);
  const s = f.local(F64);
  const e = f.local(F64);
  rowLoop(f, i, i0, i1, () => {
    // if (wcc[nearest[i]] < 4·ci)
    f.addr(nearest, i, 4).loadI32().i32(8).emit(OP.i32Mul).get(wcc).emit(OP.i32Add).loadF64();
    f.addr(closest, i, 8)
      .loadF64()
      .tee(ci)
      .f64(4)
      .emit(OP.f64Mul, OP.f64Lt, ...OP.if);
    f.addr(x, i, 8 * d).set(xp);
    scalarDistance(f, xp, y, d, e);
    f.tee(s)
      .get(ci)
      .emit(OP.f64Lt, ...OP.if);
    f.addr(closest, i, 8).get(s).storeF64();
    f.addr(nearest, i, 4).get(centre).storeI32();
    f.emit(OP.end, OP.end);
  });
  return f;
}

/**
 * lloyd(x, cp, cNorm, labels, i0, i1) → changed: Lloyd's assignment by ‖c‖² − 2x·c, each lane's dot product summed
 * in coordinate order as `lloydAssign` in `k-means-kernels.ts` does (so the labels are the same); ties → lowest index.
 */
function lloydAssign(d: number, k: number): Fn {
  const f = new Fn([I32, I32, I32, I32, I32, I32], I32);
  const [x, cp, cNorm, labels, i0, i1] = [0, 1, 2, 3, 4, 5];
  const i = f.local(I32);
  const xp = f.local(I32);
  const changed = f.local(I32);
  const old = f.local(I32);
  const L = scanLocals(f, cp, d);
  f.i32(0).set(changed);
  rowLoop(f, i, i0, i1, () => {
    f.addr(x, i, 8 * d).set(xp);
    splatRow(f, xp, d, L.row);
    f.f64(Infinity).set(L.d1).i32(0).set(L.best);
    for (let pair = 0; pair < Math.ceil(k / 2); pair++) {
      for (let t = 0; t < d; t++) {
        f.get(L.row[t]!)
          .get(cp)
          .loadV128(16 * (pair * d + t))
          .emit(...OP.f64x2Mul);
        if (t > 0) f.emit(...OP.f64x2Add);
      }
      f.set(L.acc);
      for (let lane = 0; lane < 2 && 2 * pair + lane < k; lane++) {
        const j = 2 * pair + lane;
        // s = cNorm[j] − 2 · dot
        f.get(cNorm)
          .loadF64(8 * j)
          .f64(2)
          .get(L.acc)
          .emit(...OP.f64x2Lane(lane), OP.f64Mul, OP.f64Sub)
          .set(L.s);
        f.i32(j).get(L.best).get(L.s).get(L.d1).emit(OP.f64Lt, OP.select).set(L.best);
        f.get(L.s).get(L.d1).get(L.s).get(L.d1).emit(OP.f64Lt, OP.select).set(L.d1);
      }
    }
    f.addr(labels, i, 4).loadI32().set(old);
    f.get(old)
      .get(L.best)
      .emit(0x47, ...OP.if);
    f.addr(labels, i, 4).get(L.best).storeI32();
    f.get(changed).i32(1).emit(OP.i32Add).set(changed);
    f.emit(OP.end);
  });
  f.get(changed);
  return f;
}

// ---- Modules. ----

/** The wasm kernels for one workspace configuration, bound to one memory; arguments are byte offsets. */
export interface WasmKernels {
  lloydAssign(x: number, cp: number, cNorm: number, labels: number, i0: number, i1: number): number;
  hamerlyScan(
    x: number,
    cp: number,
    labels: number,
    upper: number,
    lower: number,
    i0: number,
    i1: number,
  ): void;
  hamerlyBounded(
    x: number,
    c: number,
    cp: number,
    labels: number,
    upper: number,
    lower: number,
    half: number,
    shift: number,
    changedBits: number,
    changedFrom: number,
    i0: number,
    i1: number,
    max1: number,
    max2: number,
    argMax: number,
  ): number;
  elkanScan(
    x: number,
    cp: number,
    labels: number,
    upper: number,
    lower: number,
    i0: number,
    i1: number,
  ): void;
  score(
    x: number,
    w: number,
    closest: number,
    nearest: number,
    cp: number,
    cc: number,
    i0: number,
    i1: number,
    pot: number,
  ): void;
  fold(
    x: number,
    closest: number,
    nearest: number,
    y: number,
    wcc: number,
    centre: number,
    i0: number,
    i1: number,
  ): void;
}

/** Largest d the wasm kernels are generated for (the row is kept in d v128 locals). */
export const WASM_MAX_DIM = 64;

const modules = new Map<string, WebAssembly.Module>();

/** Whether this runtime has WebAssembly SIMD (probed once with a one-instruction module). */
export const WASM_SIMD = ((): boolean => {
  try {
    const f = new Fn([], null);
    f.f64(0)
      .emit(...OP.f64x2Splat)
      .emit(0x1a); // drop
    return WebAssembly.validate(new Uint8Array(assemble([['probe', f]], false)));
  } catch {
    return false;
  }
})();

/** The module bytes: one function type per function, the memory imported as env.memory. */
function assemble(fns: [string, Fn][], sharedMemory: boolean, pages = 1): number[] {
  const types = fns.map(([, f]) => [
    0x60,
    ...vec(f.params.map((t) => [t])),
    ...vec(f.result === null ? [] : [[f.result]]),
  ]);
  const memoryType = sharedMemory ? [0x03, ...uleb(pages), ...uleb(pages)] : [0x00, ...uleb(0)];
  return [
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, vec(types)),
    ...section(2, vec([[...name('env'), ...name('memory'), 0x02, ...memoryType]])),
    ...section(3, vec(fns.map((_, t) => uleb(t)))),
    ...section(7, vec(fns.map(([n], t) => [...name(n), 0x00, ...uleb(t)]))),
    ...section(10, vec(fns.map(([, f]) => f.body()))),
  ];
}

/**
 * Compiles (once per thread and configuration) and instantiates the kernels over `memory`. `pages` is the memory's
 * fixed size, which a shared memory's import type must state.
 */
export function wasmKernels(
  memory: WebAssembly.Memory,
  shared: boolean,
  pages: number,
  d: number,
  k: number,
  trials: number,
  weighted: boolean,
): WasmKernels {
  const key = `${shared ? pages : 'own'}:${d}:${k}:${trials}:${weighted}`;
  let mod = modules.get(key);
  if (mod === undefined) {
    const bytes = assemble(
      [
        ['hamerlyScan', hamerlyScan(d, k)],
        ['hamerlyBounded', hamerlyBounded(d, k)],
        ['elkanScan', elkanScan(d, k)],
        ['score', score(d, trials, weighted)],
        ['fold', fold(d)],
        ['lloydAssign', lloydAssign(d, k)],
      ],
      shared,
      pages,
    );
    mod = new WebAssembly.Module(new Uint8Array(bytes));
    modules.set(key, mod);
  }
  return new WebAssembly.Instance(mod, { env: { memory } }).exports as unknown as WasmKernels;
}

/**
 * Writes the k × d rows of `src` into `out` in pair-interleaved order — `out[(p·d + t)·2 + l]` = row 2p + l,
 * coordinate t — repeating the last row into the spare lane when k is odd.
 */
export function interleavePairs(src: Float64Array, k: number, d: number, out: Float64Array): void {
  for (let j = 0; j < 2 * Math.ceil(k / 2); j++) {
    const from = Math.min(j, k - 1) * d;
    const base = (j >> 1) * d * 2 + (j & 1);
    for (let t = 0; t < d; t++) out[base + 2 * t] = src[from + t]!;
  }
}
