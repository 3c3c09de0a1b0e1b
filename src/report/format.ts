/**
 * How a figure reads to a person in the report: thousands separators, percentages, money, dates and z-scores.
 * @module
 */

/** Shown wherever a value is missing or not a finite number. */
export const MISSING = '—';

/** Formatters bound to one locale and currency; every method returns {@link MISSING} for non-finite input. */
export interface ReportFormat {
  readonly locale: string;
  /** ISO 4217 code when the currency is one Intl knows, else null (a symbol like "£" is then prefixed by hand). */
  readonly currencyCode: string | null;
  /** 12345 → "12,345". */
  int(n: number): string;
  /** 0.2461 → "24.6%"; tiny non-zero shares read "<0.1%" rather than a misleading "0.0%". */
  pct(fraction: number): string;
  /** 8911407.2 → "£8,911,407" (whole units: the report is about proportions, not pennies). */
  money(n: number): string;
  /** 8911407.2 → "£8.9M"; values under 10,000 are written out in full. */
  moneyCompact(n: number): string;
  /** A feature mean in its own units, with precision chosen by magnitude: 1234.5 → "1,235", 3.456 → "3.46". */
  value(n: number): string;
  /** A fixed number of decimals, for figures compared side by side: fixed(0.6812, 2) → "0.68". */
  fixed(n: number, digits: number): string;
  /** A z-score: 1.234 → "+1.2σ", −0.44 → "−0.4σ". */
  z(n: number): string;
  /** "2011-12-09" → "9 Dec 2011" (read as a calendar date, no time-zone shift). */
  date(iso: string): string;
  /** "2011-12-09" → "Dec 2011": axis ticks of a time series. */
  month(iso: string): string;
  /** "2026-03-01T10:22:05Z" → "1 Mar 2026, 10:22 UTC" (always UTC, so the same report reads the same anywhere). */
  dateTime(iso: string): string;
}

const ISO_CURRENCY = /^[A-Za-z]{3}$/;
const ISO_DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Builds the formatters for one report.
 *
 * @param locale BCP 47 tag for separators and month names, e.g. `en-GB`.
 * @param currency An ISO 4217 code (`GBP`) or a symbol (`£`); omitted means plain numbers.
 * @example
 * const f = createFormat('en-US', 'GBP');
 * f.money(8911407.2); // "£8,911,407"
 * f.pct(0.2461); // "24.6%"
 */
export function createFormat(locale: string, currency?: string): ReportFormat {
  const intFmt = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const pctFmt = new Intl.NumberFormat(locale, {
    style: 'percent',
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  });
  const zFmt = new Intl.NumberFormat(locale, {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
    signDisplay: 'exceptZero',
  });
  const compactFmt = new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 });
  const byMagnitude = [
    new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 2 }), // ≥ 1e6
    intFmt, // ≥ 100
    new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }), // ≥ 10
    new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }), // ≥ 1
    new Intl.NumberFormat(locale, { maximumSignificantDigits: 2 }), // < 1
  ] as const;
  const dateFmt = new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
  const monthFmt = new Intl.DateTimeFormat(locale, { month: 'short', year: 'numeric', timeZone: 'UTC' });
  const dateTimeFmt = new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: 'UTC',
  });

  const fixedFmts = new Map<number, Intl.NumberFormat>();

  let currencyCode: string | null = null;
  let moneyFmt: Intl.NumberFormat | null = null;
  let moneyCompactFmt: Intl.NumberFormat | null = null;
  if (currency !== undefined && ISO_CURRENCY.test(currency)) {
    try {
      const code = currency.toUpperCase();
      moneyFmt = new Intl.NumberFormat(locale, {
        style: 'currency',
        currency: code,
        maximumFractionDigits: 0,
      });
      moneyCompactFmt = new Intl.NumberFormat(locale, {
        style: 'currency',
        currency: code,
        notation: 'compact',
        maximumFractionDigits: 1,
      });
      currencyCode = code;
    } catch {
      // Not a code Intl knows (e.g. "PTS"): fall through and show it as a prefix like a symbol.
    }
  }
  const symbol =
    currencyCode === null && currency !== undefined && currency.trim() !== '' ? currency.trim() : '';
  const withSymbol = (n: number, body: (abs: number) => string): string => {
    const text = body(Math.abs(n));
    const sign = n < 0 && text !== intFmt.format(0) ? '-' : '';
    return symbol === '' ? sign + text : `${sign}${symbol}${symbol.length > 1 ? ' ' : ''}${text}`;
  };

  return {
    locale,
    currencyCode,
    int: (n) => (Number.isFinite(n) ? intFmt.format(n) : MISSING),
    pct: (f) => {
      if (!Number.isFinite(f)) return MISSING;
      if (f !== 0 && Math.abs(f) < 0.0005) return `${f < 0 ? '>-' : '<'}${pctFmt.format(0.001)}`;
      return pctFmt.format(f);
    },
    money: (n) => {
      if (!Number.isFinite(n)) return MISSING;
      return moneyFmt !== null ? moneyFmt.format(n) : withSymbol(n, (a) => intFmt.format(a));
    },
    moneyCompact: (n) => {
      if (!Number.isFinite(n)) return MISSING;
      if (Math.abs(n) < 10_000) return moneyFmt !== null ? moneyFmt.format(n) : withSymbol(n, intFmt.format);
      return moneyCompactFmt !== null ? moneyCompactFmt.format(n) : withSymbol(n, compactFmt.format);
    },
    value: (n) => {
      if (!Number.isFinite(n)) return MISSING;
      const a = Math.abs(n);
      const fmt =
        a >= 1e6
          ? byMagnitude[0]
          : a >= 100
            ? byMagnitude[1]
            : a >= 10
              ? byMagnitude[2]
              : a >= 1
                ? byMagnitude[3]
                : byMagnitude[4];
      return fmt.format(n);
    },
    fixed: (n, digits) => {
      if (!Number.isFinite(n)) return MISSING;
      let f = fixedFmts.get(digits);
      if (f === undefined) {
        f = new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits });
        fixedFmts.set(digits, f);
      }
      return f.format(n);
    },
    z: (n) => (Number.isFinite(n) ? `${zFmt.format(n).replace('-', '\u2212')}σ` : MISSING),
    date: (iso) => {
      const t = calendarTime(iso);
      return Number.isFinite(t) ? dateFmt.format(t) : iso;
    },
    month: (iso) => {
      const t = calendarTime(iso);
      return Number.isFinite(t) ? monthFmt.format(t) : iso;
    },
    dateTime: (iso) => {
      const t = Date.parse(iso);
      return Number.isFinite(t) ? `${dateTimeFmt.format(t)} UTC` : iso;
    },
  };
}

/** Milliseconds of an ISO date (read as a UTC calendar date, no time-zone shift) or timestamp; NaN if unreadable. */
function calendarTime(iso: string): number {
  const m = ISO_DATE_ONLY.exec(iso);
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Date.parse(iso);
}
