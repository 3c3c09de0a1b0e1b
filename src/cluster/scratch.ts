/**
 * Internal: typed arrays carved out of a buffer that an earlier stage no longer needs, so a pipeline of stages
 * (HDBSCAN's MST → hierarchy → condensed tree) reuses memory instead of waiting for V8 to free it.
 * @module
 */

/**
 * Hands out zeroed typed arrays: views of `spare` while it has room, fresh arrays after that (or with no spare).
 * Why: V8 frees a typed array's memory only at a garbage collection, and a synchronous pipeline of large arrays
 * and few objects rarely triggers one, so each stage's dead arrays stay resident under the next stage's. Reusing
 * a dead buffer explicitly keeps the peak down. The caller must own `spare` and stop using its old views.
 *
 * @example
 * const scratch = new Scratch(deadBuffer);
 * const parent = scratch.int32(n); // a view of deadBuffer, zeroed
 * scratch.reset(); // the next stage's arrays start again at the beginning
 */
export class Scratch {
  private offset = 0;

  constructor(private readonly spare: ArrayBufferLike | null = null) {}

  int32(length: number): Int32Array {
    const at = this.take(4 * length);
    return at < 0 ? new Int32Array(length) : new Int32Array(this.spare!, at, length).fill(0);
  }

  float64(length: number): Float64Array {
    const at = this.take(8 * length);
    return at < 0 ? new Float64Array(length) : new Float64Array(this.spare!, at, length).fill(0);
  }

  uint8(length: number): Uint8Array {
    const at = this.take(length);
    return at < 0 ? new Uint8Array(length) : new Uint8Array(this.spare!, at, length).fill(0);
  }

  /** Gives the whole spare buffer back: arrays handed out before must no longer be used. */
  reset(): void {
    this.offset = 0;
  }

  /** Byte offset of `bytes` more in the spare buffer (8-aligned), or −1 when they do not fit. */
  private take(bytes: number): number {
    if (this.spare === null) return -1;
    const at = (this.offset + 7) & ~7;
    if (at + bytes > this.spare.byteLength) return -1;
    this.offset = at + bytes;
    return at;
  }
}
