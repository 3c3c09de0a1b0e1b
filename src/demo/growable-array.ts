/**
 * An append-only typed array that doubles its capacity when full, for building columns of unknown length without
 * falling back to `number[]`.
 * @module
 */

type NumericArray = Int32Array | Float64Array | Uint8Array;

/**
 * Append-only column over a typed array.
 *
 * @example
 * const col = new GrowableArray((n) => new Int32Array(n));
 * col.push(7);
 * col.view(); // Int32Array [7]
 */
export class GrowableArray<T extends NumericArray> {
  private data: T;
  length = 0;

  constructor(
    private readonly allocate: (capacity: number) => T,
    capacity = 1024,
  ) {
    this.data = allocate(Math.max(16, capacity));
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = this.allocate(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  /** Value at `i` (unchecked beyond the typed array's own bounds). */
  at(i: number): number {
    return this.data[i]!;
  }

  /** Overwrites the value at `i`, which must already have been pushed. */
  set(i: number, value: number): void {
    if (i < 0 || i >= this.length) throw new RangeError(`index ${i} is outside 0..${this.length - 1}`);
    this.data[i] = value;
  }

  /** The filled part, as a view that shares memory until the next `push` that grows the array. */
  view(): T {
    return this.data.subarray(0, this.length) as T;
  }
}
