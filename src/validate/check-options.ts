/**
 * Validation of the numeric options of `src/validate`'s public functions, with the offending value in the message.
 * @module
 */

export function checkInteger(value: unknown, name: string, min: number, max = Infinity): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Infinity ? `≥ ${min}` : `in [${min}, ${max}]`;
    throw new RangeError(`${name} must be an integer ${range}, got ${String(value)}`);
  }
  return value;
}

/** A number strictly between 0 and 1. */
export function checkFraction(value: unknown, name: string): number {
  if (typeof value !== 'number' || !(value > 0 && value < 1)) {
    throw new RangeError(`${name} must be a number strictly between 0 and 1, got ${String(value)}`);
  }
  return value;
}

export function checkSeed(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new RangeError(`seed must be a finite number, got ${String(value)}`);
  }
  return value;
}

/** `options` must be an object (possibly empty). */
export function checkOptionsObject(options: unknown, what: string): void {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`${what} options must be an object, got ${String(options)}`);
  }
}
