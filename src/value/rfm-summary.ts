/**
 * Per-customer repeat-purchase summary (frequency, recency, T, monetary value, and optionally a holdout period)
 * from a transaction log, in the conventions of lifetimes' `summary_data_from_transaction_data` and
 * `calibration_and_holdout_data` (lifetimes 0.11.3, `lifetimes/utils.py`): the input the CLV models take.
 * @module
 */
import type { RepeatData, SpendData } from './clv/types.js';

/** Time unit of the summary; lifetimes' `freq` 'h', 'D', 'W' (pandas' W-SUN: weeks start on Monday) and 'M'. */
export type RfmUnit = 'hours' | 'days' | 'weeks' | 'months';

/**
 * A point in time: an ISO 8601 string (`2024-03-01`, `2024-03-01 14:05`, `2024-03-01T14:05:09.250+02:00`), a
 * `Date`, or whole milliseconds since 1970-01-01 UTC. A string without an offset is read as UTC wall-clock time,
 * never the machine's time zone, so a summary does not depend on where it runs.
 */
export type DateValue = string | number | Date;

export type CustomerId = string | number;

export interface RfmSummaryOptions {
  /** Field (records) or column (columns) holding the customer id: a string or a finite number. */
  customerId: string;
  /** Field or column holding the purchase time (a {@link DateValue}). */
  date: string;
  /** Field or column holding the purchase amount (a finite number; returns may be negative). */
  amount: string;
  unit: RfmUnit;
  /**
   * End of observation. Without `calibrationEnd` it names a period, as in lifetimes' summary: purchases in the
   * period that contains it count (a purchase at 15:00 on the end day counts in days), and T runs to that
   * period's start. With `calibrationEnd` it is an instant: holdout purchases are those at or before it.
   */
  observationEnd: DateValue;
  /**
   * End of the calibration period (an instant, inclusive): when given, frequency/recency/T/monetary value describe
   * purchases up to it, and the holdout columns those after it up to `observationEnd`.
   */
  calibrationEnd?: DateValue;
  /**
   * lifetimes' `freq_multiplier`: recency, T and the holdout duration are divided by it, e.g. unit 'hours' with
   * multiplier 24 gives days at an hour's resolution. Default 1.
   */
  multiplier?: number;
}

/** Rows and customers not in the summary, and why: nothing is dropped without being counted. */
export interface RfmSummaryCounts {
  /** Transactions read. */
  rows: number;
  /** Transactions after the end of observation (left out, as lifetimes does). */
  rowsAfterObservationEnd: number;
  /** Customers in the summary. */
  customers: number;
  /** Customers whose first purchase is after `calibrationEnd` (left out, as lifetimes does). */
  customersOnlyInHoldout: number;
  /** Customers whose every purchase is after the end of observation. */
  customersOnlyAfterObservationEnd: number;
}

/**
 * One entry per customer, in customer order (numeric ids ascending, then string ids in code-unit order). Feeds the
 * purchase models as `RepeatData` and the Gamma–Gamma model as `SpendData`.
 */
export interface RfmSummary extends RepeatData, SpendData {
  customerIds: CustomerId[];
  /** Periods with a purchase, minus one (the first purchase period is not a repeat). */
  frequency: Float64Array;
  /** From the first to the last purchase period's start, in units / multiplier. */
  recency: Float64Array;
  /** From the first purchase period's start to the end period's start, in units / multiplier. */
  T: Float64Array;
  /** Mean total of the repeat periods (first period excluded); 0 when frequency is 0. */
  monetaryValue: Float64Array;
  /** With `calibrationEnd`: holdout periods with a purchase (each counts once). */
  frequencyHoldout?: Float64Array;
  /** With `calibrationEnd`: mean amount of the holdout transactions (not periods, as lifetimes does); 0 if none. */
  monetaryValueHoldout?: Float64Array;
  /** With `calibrationEnd`: periods from the calibration end's to the observation end's, / multiplier. */
  durationHoldout?: Float64Array;
  unit: RfmUnit;
  multiplier: number;
  /** The ends as UTC ISO strings. */
  observationEnd: string;
  calibrationEnd?: string;
  counts: RfmSummaryCounts;
}

/** Transactions as row records, or as columns of equal length. */
export type TransactionInput =
  readonly Readonly<Record<string, unknown>>[] | Readonly<Record<string, ArrayLike<unknown>>>;

const HOUR = 3_600_000;
const DAY = 86_400_000;

/**
 * The ISO 8601 forms accepted, with calendar ranges checked by the pattern (day-of-month against the month is
 * checked after). Written in the syntax JavaScript and RE2 (DuckDB's `regexp_full_match`) share, so the SQL
 * summary accepts exactly the same strings.
 */
export const ISO_DATE_PATTERN =
  '(\\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])' +
  '(?:[T ]([01]\\d|2[0-3]):([0-5]\\d)(?::([0-5]\\d)(?:\\.(\\d{1,9}))?)?(Z|[+-](?:[01]\\d|2[0-3])(?::?[0-5]\\d)?)?)?';
const ISO_DATE = new RegExp(`^${ISO_DATE_PATTERN}$`);

/**
 * Milliseconds since 1970-01-01 UTC of a {@link DateValue}, or NaN when it is not one. Fractions of a
 * millisecond in a string are dropped.
 */
export function parseDateValue(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return Number.isInteger(value) ? value : NaN;
  if (typeof value !== 'string') return NaN;
  const m = ISO_DATE.exec(value.trim());
  if (!m) return NaN;
  const [, y, mo, d, h, mi, s, frac, offset] = m;
  const year = Number(y);
  const month = Number(mo) - 1;
  const day = Number(d);
  const ms = frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0;
  // setUTCFullYear, not Date.UTC, which maps years 0–99 to 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month, day);
  let t = date.getTime() + ((Number(h ?? 0) * 60 + Number(mi ?? 0)) * 60 + Number(s ?? 0)) * 1000 + ms;
  // Rejects 31 April and 29 February 2023, which setUTCFullYear would roll over.
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month || date.getUTCDate() !== day) return NaN;
  if (offset && offset !== 'Z') {
    const sign = offset.startsWith('-') ? -1 : 1;
    const digits = offset.slice(1).replace(':', '');
    t -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0)) * 60_000;
  }
  return t;
}

/** Parses an option's date, or throws naming it. */
export function requireDate(value: DateValue, what: string): number {
  const t = parseDateValue(value);
  if (Number.isNaN(t)) {
    throw new RangeError(
      `${what}: cannot read ${JSON.stringify(value)} as a date (expected ISO 8601, e.g. 2024-03-01 or 2024-03-01T14:05:00Z, a Date, or whole milliseconds)`,
    );
  }
  return t;
}

/**
 * The index of the period holding time `t` (ms): periods are hours, days, weeks starting Monday 00:00 UTC (pandas'
 * 'W' = W-SUN, weeks ending Sunday, as `to_period('W').to_timestamp()` floors them) or calendar months, numbered
 * from the one holding 1970-01-01 (weeks: from Monday 1970-01-05). Differences of indices are the whole units
 * between the periods' starts, which is what lifetimes divides by `np.timedelta64(1, freq)`.
 */
export function periodIndex(t: number, unit: RfmUnit): number {
  switch (unit) {
    case 'hours':
      return Math.floor(t / HOUR);
    case 'days':
      return Math.floor(t / DAY);
    case 'weeks':
      // 1970-01-05, day 4, was a Monday.
      return Math.floor((Math.floor(t / DAY) - 4) / 7);
    case 'months': {
      const d = new Date(t);
      return (d.getUTCFullYear() - 1970) * 12 + d.getUTCMonth();
    }
    default:
      throw new RangeError(`unit must be 'hours', 'days', 'weeks' or 'months', got ${JSON.stringify(unit)}`);
  }
}

/** Validated options, shared by the TypeScript and SQL summaries. */
export interface ResolvedSummaryOptions {
  unit: RfmUnit;
  multiplier: number;
  observationEnd: number;
  calibrationEnd: number | undefined;
}

/** Checks unit, multiplier and the ends once, for both summaries. */
export function resolveSummaryOptions(options: RfmSummaryOptions): ResolvedSummaryOptions {
  const { unit } = options;
  periodIndex(0, unit); // throws on an unknown unit
  const multiplier = options.multiplier ?? 1;
  if (!(Number.isFinite(multiplier) && multiplier > 0)) {
    throw new RangeError(`multiplier must be a finite number > 0, got ${multiplier}`);
  }
  const observationEnd = requireDate(options.observationEnd, 'observationEnd');
  const calibrationEnd =
    options.calibrationEnd === undefined ? undefined : requireDate(options.calibrationEnd, 'calibrationEnd');
  if (calibrationEnd !== undefined && observationEnd < calibrationEnd) {
    throw new RangeError(
      `observationEnd (${new Date(observationEnd).toISOString()}) is before calibrationEnd (${new Date(calibrationEnd).toISOString()})`,
    );
  }
  return { unit, multiplier, observationEnd, calibrationEnd };
}

/** Numbers before strings; numbers ascending, strings in code-unit order. */
export function compareCustomerIds(a: CustomerId, b: CustomerId): number {
  if (typeof a === 'number') return typeof b === 'number' ? a - b : -1;
  if (typeof b === 'number') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Summarises a transaction log per customer, as lifetimes does:
 * - each purchase time is floored to its period (hour, day, Monday-start week or month, in UTC); several
 *   purchases in one period are one purchase whose amount is their sum;
 * - `frequency` = periods with a purchase − 1, `recency` = last − first period, `T` = end − first period (in units,
 *   divided by `multiplier`);
 * - `monetaryValue` = mean total of the repeat periods (the first period's is left out; 0 when frequency is 0);
 * - with `calibrationEnd`: the summary covers purchases at or before it (with its period as the end), and
 *   `frequencyHoldout` counts periods with a purchase after it up to `observationEnd`, `monetaryValueHoldout` is
 *   the mean holdout transaction (lifetimes averages transactions here, not periods), `durationHoldout` =
 *   periods from the calibration end's to the observation end's. Customers first seen in the holdout are left
 *   out and counted, as are transactions after the end of observation.
 *
 * Amounts are summed exactly, as whole millionths (`AMOUNT_SCALE`): each amount is rounded to 10⁻⁶ (half away
 * from zero) and the integers are added, so a sum does not depend on the order of the rows and the SQL summary
 * (`rfmSummarySql`, summing BIGINTs in parallel) gives the same doubles. Amounts must lie within ±10¹²; for
 * money in cents this changes nothing against lifetimes. lifetimes cannot summarise in months with pandas ≥ 2 (it divides by
 * the ambiguous `np.timedelta64(1, 'M')`); here recency and T in months are whole calendar months between the
 * periods' starts, as its holdout duration already is.
 *
 * @example
 * const s = rfmSummary(
 *   [
 *     { id: 'a', at: '2024-01-01 10:00', eur: 10 },
 *     { id: 'a', at: '2024-01-01 18:00', eur: 5 }, // same day: one purchase of 15
 *     { id: 'a', at: '2024-01-08', eur: 20 },
 *   ],
 *   { customerId: 'id', date: 'at', amount: 'eur', unit: 'days', observationEnd: '2024-01-31' },
 * );
 * // s.frequency [1], s.recency [7], s.T [30], s.monetaryValue [20]
 */
export function rfmSummary(transactions: TransactionInput, options: RfmSummaryOptions): RfmSummary {
  const resolved = resolveSummaryOptions(options);
  const { ids, times, amounts } = readTransactions(transactions, options);
  return summarise(ids, times, amounts, resolved);
}

/** Reads and validates the three columns, from records or from columns. */
function readTransactions(
  transactions: TransactionInput,
  options: RfmSummaryOptions,
): { ids: CustomerId[]; times: Float64Array; amounts: Float64Array } {
  const names = { customerId: options.customerId, date: options.date, amount: options.amount };
  for (const [key, name] of Object.entries(names)) {
    if (typeof name !== 'string' || name === '') {
      throw new TypeError(`option ${key} must name a field or column, got ${JSON.stringify(name)}`);
    }
  }
  let n: number;
  let get: (field: string, i: number) => unknown;
  let at: (field: string, i: number) => string;
  if (Array.isArray(transactions)) {
    const rows = transactions as readonly Readonly<Record<string, unknown>>[];
    n = rows.length;
    get = (field, i) => {
      const row = rows[i];
      if (row === null || typeof row !== 'object') {
        throw new TypeError(`transactions[${i}] is not a record: ${JSON.stringify(row)}`);
      }
      return row[field];
    };
    at = (field, i) => `transactions[${i}].${field}`;
  } else if (transactions !== null && typeof transactions === 'object') {
    const cols = transactions as Readonly<Record<string, ArrayLike<unknown>>>;
    const present = Object.keys(cols);
    for (const name of Object.values(names)) {
      if (!Object.hasOwn(cols, name) || cols[name] === null || typeof cols[name]?.length !== 'number') {
        throw new TypeError(
          `transactions have no column ${JSON.stringify(name)} (columns: ${present.map((c) => JSON.stringify(c)).join(', ') || 'none'})`,
        );
      }
    }
    n = cols[names.customerId]!.length;
    for (const name of [names.date, names.amount]) {
      if (cols[name]!.length !== n) {
        throw new RangeError(
          `column ${JSON.stringify(name)} has ${cols[name]!.length} values, ${JSON.stringify(names.customerId)} has ${n}`,
        );
      }
    }
    get = (field, i) => cols[field]![i];
    at = (field, i) => `${field}[${i}]`;
  } else {
    throw new TypeError(
      `transactions must be an array of records or an object of columns, got ${transactions === null ? 'null' : typeof transactions}`,
    );
  }

  const ids = new Array<CustomerId>(n);
  const times = new Float64Array(n);
  const amounts = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const id = get(names.customerId, i);
    if (!(typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id)))) {
      throw new TypeError(
        `${at(names.customerId, i)}: a customer id must be a string or a finite number, got ${describe(id)}`,
      );
    }
    ids[i] = id;
    const raw = get(names.date, i);
    const t = parseDateValue(raw);
    if (Number.isNaN(t)) {
      throw new RangeError(
        `${at(names.date, i)}: cannot read ${describe(raw)} as a date (expected ISO 8601, e.g. 2024-03-01 or 2024-03-01T14:05:00Z, a Date, or whole milliseconds)`,
      );
    }
    times[i] = t;
    const a = get(names.amount, i);
    if (typeof a !== 'number' || !Number.isFinite(a)) {
      throw new TypeError(`${at(names.amount, i)}: an amount must be a finite number, got ${describe(a)}`);
    }
    if (Math.abs(a) > MAX_AMOUNT) {
      throw new RangeError(`${at(names.amount, i)}: an amount must lie within ±${MAX_AMOUNT}, got ${a}`);
    }
    amounts[i] = toUnits(a);
  }
  return { ids, times, amounts };
}

/** Amounts are summed as whole multiples of 1 / AMOUNT_SCALE, exactly (see `rfmSummary`). */
export const AMOUNT_SCALE = 1_000_000;
/** Largest |amount|: its units stay within a signed 64-bit integer, as the SQL summary keeps them. */
export const MAX_AMOUNT = 1e12;

/** An amount in whole units, rounded half away from zero as SQL's `round` does. */
function toUnits(a: number): number {
  const x = a * AMOUNT_SCALE;
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/** A sum of units back in money, divided by a count, in the order of operations the SQL summary uses. */
export function unitsMean(units: bigint, count: number): number {
  return Number(units) / AMOUNT_SCALE / count;
}

function describe(v: unknown): string {
  return v === undefined
    ? 'undefined (missing)'
    : v instanceof Date
      ? `Date(${v.getTime()})`
      : JSON.stringify(v);
}

/**
 * The summary over validated columns (amounts in units). Rows are visited per customer in time order; a customer's rows
 * split into calibration (or all rows up to the end period), holdout and after-the-end, in that time order.
 */
function summarise(
  ids: readonly CustomerId[],
  times: Float64Array,
  amounts: Float64Array,
  { unit, multiplier, observationEnd, calibrationEnd }: ResolvedSummaryOptions,
): RfmSummary {
  const n = ids.length;
  // Customer codes in customer order.
  const codeOf = new Map<CustomerId, number>();
  for (const id of ids) if (!codeOf.has(id)) codeOf.set(id, 0);
  const distinct = [...codeOf.keys()].sort(compareCustomerIds);
  distinct.forEach((id, c) => codeOf.set(id, c));
  const code = new Int32Array(n);
  for (let i = 0; i < n; i++) code[i] = codeOf.get(ids[i]!)!;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => code[a]! - code[b]! || times[a]! - times[b]!);

  const holdout = calibrationEnd !== undefined;
  // Summary without calibration: the end is a period and every row in it counts (lifetimes floors the end and
  // the purchase times before comparing). With calibration: instants, compared unfloored.
  const endPeriod = periodIndex(holdout ? calibrationEnd : observationEnd, unit);
  const obsPeriod = periodIndex(observationEnd, unit);
  const inSummary = holdout
    ? (t: number) => t <= calibrationEnd
    : (t: number) => periodIndex(t, unit) <= endPeriod;

  const m = distinct.length;
  const customerIds: CustomerId[] = [];
  const frequency = new Float64Array(m);
  const recency = new Float64Array(m);
  const T = new Float64Array(m);
  const monetaryValue = new Float64Array(m);
  const frequencyHoldout = new Float64Array(m);
  const monetaryValueHoldout = new Float64Array(m);
  let out = 0;
  let rowsAfter = 0;
  let onlyHoldout = 0;
  let onlyAfter = 0;

  for (let k = 0; k < n;) {
    const c = code[order[k]!]!;
    let periods = 0;
    let first = 0;
    let last = 0;
    let total = 0n;
    let firstTotal = 0n;
    let holdoutPeriods = 0;
    let holdoutLast = 0;
    let holdoutTotal = 0n;
    let holdoutRows = 0;
    let after = 0;
    for (; k < n && code[order[k]!] === c; k++) {
      const i = order[k]!;
      const t = times[i]!;
      const a = BigInt(amounts[i]!);
      if (inSummary(t)) {
        const p = periodIndex(t, unit);
        if (periods === 0 || p !== last) {
          if (periods === 0) first = p;
          periods++;
          last = p;
        }
        total += a;
        if (p === first) firstTotal += a;
      } else if (holdout && t <= observationEnd) {
        const p = periodIndex(t, unit);
        if (holdoutRows === 0 || p !== holdoutLast) holdoutPeriods++;
        holdoutLast = p;
        holdoutTotal += a;
        holdoutRows++;
      } else after++;
    }
    rowsAfter += after;
    if (periods === 0) {
      if (holdoutRows > 0) onlyHoldout++;
      else onlyAfter++;
      continue;
    }
    customerIds.push(distinct[c]!);
    frequency[out] = periods - 1;
    recency[out] = (last - first) / multiplier;
    T[out] = (endPeriod - first) / multiplier;
    monetaryValue[out] = periods > 1 ? unitsMean(total - firstTotal, periods - 1) : 0;
    frequencyHoldout[out] = holdoutPeriods;
    monetaryValueHoldout[out] = holdoutRows > 0 ? unitsMean(holdoutTotal, holdoutRows) : 0;
    out++;
  }

  const result: RfmSummary = {
    customerIds,
    frequency: frequency.slice(0, out),
    recency: recency.slice(0, out),
    T: T.slice(0, out),
    monetaryValue: monetaryValue.slice(0, out),
    unit,
    multiplier,
    observationEnd: new Date(observationEnd).toISOString(),
    counts: {
      rows: n,
      rowsAfterObservationEnd: rowsAfter,
      customers: out,
      customersOnlyInHoldout: onlyHoldout,
      customersOnlyAfterObservationEnd: onlyAfter,
    },
  };
  if (holdout) {
    result.calibrationEnd = new Date(calibrationEnd).toISOString();
    result.frequencyHoldout = frequencyHoldout.slice(0, out);
    result.monetaryValueHoldout = monetaryValueHoldout.slice(0, out);
    result.durationHoldout = new Float64Array(out).fill((obsPeriod - endPeriod) / multiplier);
  }
  return result;
}
