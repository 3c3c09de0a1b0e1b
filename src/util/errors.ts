/**
 * Error types that carry how segmint should exit: bad usage or bad input exits 2, anything else 1.
 * @module
 */

/** One problem found in a config, file or argument, with where it is. */
export interface Problem {
  /** Where: a config path (`segmentation.k`), a file and line (`tx.csv:12`), or a flag (`--k`). */
  where: string;
  message: string;
}

/**
 * Bad input from the user (a missing file, an unknown column, an invalid config value). The CLI prints the
 * message on one line and exits 2.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
  readonly problems: Problem[];
  constructor(message: string, options?: { cause?: unknown; problems?: Problem[] }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.problems = options?.problems ?? [];
  }
}

/** Bad command-line usage (unknown flag, missing argument). Exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Throws when reached: makes a `switch` over a union exhaustive at compile time. */
export function assertNever(value: never, what = 'value'): never {
  throw new TypeError(`unexpected ${what}: ${JSON.stringify(value)}`);
}
