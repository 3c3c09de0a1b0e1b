/**
 * Maps a file's columns to the roles segmint needs (customer id, date, amount…), from the user's mapping or by
 * recognising common names, and explains a missing column with the columns found and the closest match.
 * @module
 */
import { InputError } from '../util/errors.js';

/** Roles a transactions file can fill. */
export const TRANSACTION_ROLES = [
  'customerId',
  'invoiceId',
  'date',
  'quantity',
  'unitPrice',
  'amount',
  'product',
  'country',
] as const;
export type TransactionRole = (typeof TRANSACTION_ROLES)[number];
export const EVENT_ROLES = ['customerId', 'timestamp', 'type'] as const;
export type EventRole = (typeof EVENT_ROLES)[number];
export const CUSTOMER_ROLES = ['customerId'] as const;

/** Normalised names (lower case, no spaces/underscores/dashes/dots) recognised for each role, best first. */
const KNOWN: Record<string, string[]> = {
  customerId: [
    'customerid',
    'customer',
    'custid',
    'customerno',
    'customernumber',
    'clientid',
    'client',
    'userid',
    'memberid',
    'accountid',
    'buyerid',
    'shopperid',
    'id',
  ],
  invoiceId: [
    'invoiceno',
    'invoice',
    'invoiceid',
    'invoicenumber',
    'orderid',
    'order',
    'orderno',
    'ordernumber',
    'transactionid',
    'receiptid',
    'receipt',
    'basketid',
  ],
  date: [
    'invoicedate',
    'orderdate',
    'transactiondate',
    'purchasedate',
    'date',
    'datetime',
    'timestamp',
    'createdat',
    'time',
    'saledate',
  ],
  quantity: ['quantity', 'qty', 'units', 'count', 'itemcount'],
  unitPrice: ['unitprice', 'price', 'itemprice', 'priceeach', 'unitcost'],
  amount: [
    'amount',
    'linetotal',
    'total',
    'totalprice',
    'totalamount',
    'revenue',
    'sales',
    'value',
    'ordervalue',
    'spend',
    'netamount',
  ],
  product: ['stockcode', 'productid', 'product', 'sku', 'itemid', 'item', 'productcode', 'articleid'],
  country: ['country', 'countrycode', 'nation'],
  timestamp: ['timestamp', 'eventtime', 'eventdate', 'date', 'datetime', 'time', 'occurredat', 'createdat'],
  type: ['eventtype', 'type', 'event', 'eventname', 'action', 'activity'],
};

/** Roles a file must have; `amount` may instead come from quantity × unitPrice. */
export function normaliseName(s: string): string {
  return s.toLowerCase().replace(/[\s_\-.()]/g, '');
}

export interface ResolveOptions {
  /** File label in messages, e.g. "transactions file data/tx.csv". */
  label: string;
  /** User mapping role → column name. */
  mapping: Partial<Record<string, string>>;
  /** Roles that must be found. */
  required: readonly string[];
  /** Roles looked for but optional. */
  optional: readonly string[];
  /** Config path prefix for hints, e.g. "transactions.columns". */
  configPath: string;
}

/** Resolves roles to actual column names. Throws one InputError listing every problem. */
export function resolveColumns(
  columns: readonly string[],
  o: ResolveOptions,
): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  const problems: string[] = [];
  const byNorm = new Map<string, string>();
  for (const c of columns) if (!byNorm.has(normaliseName(c))) byNorm.set(normaliseName(c), c);
  const taken = new Set<string>();
  for (const role of [...o.required, ...o.optional]) {
    const given = o.mapping[role];
    if (given !== undefined) {
      const exact = columns.includes(given) ? given : byNorm.get(normaliseName(given));
      if (!exact) {
        problems.push(
          `${o.configPath}.${role} names column "${given}", which is not there${closest(given, columns)}`,
        );
      } else {
        out[role] = exact;
        taken.add(exact);
      }
      continue;
    }
    const found = (KNOWN[role] ?? []).map((k) => byNorm.get(k)).find((c) => c !== undefined && !taken.has(c));
    if (found) {
      out[role] = found;
      taken.add(found);
    } else if (o.required.includes(role)) {
      problems.push(
        `no ${describeRole(role)} column${closestForRole(role, columns)}; map it with ${o.configPath}.${role} in the config or --columns ${role}=NAME`,
      );
    }
  }
  if (problems.length > 0) {
    const found = columns.length <= 30 ? columns.join(', ') : `${columns.slice(0, 30).join(', ')}, …`;
    let hint = '';
    if (columns.length === 1 && /[,;\t|]/.test(columns[0]!)) {
      hint = ` (only one column was found: is the delimiter right? try --delimiter '${columns[0]!.match(/[,;\t|]/)![0]!.replace('\t', '\\t')}')`;
    }
    throw new InputError(`${o.label}: ${problems.join('; ')}. Columns found: ${found}${hint}`, {
      problems: problems.map((message) => ({ where: o.label, message })),
    });
  }
  return out;
}

function describeRole(role: string): string {
  return role.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`).replace('unit price', 'unit price');
}

function closestForRole(role: string, columns: readonly string[]): string {
  const names = KNOWN[role] ?? [role];
  let best: { col: string; d: number } | undefined;
  for (const c of columns) {
    for (const k of names) {
      const d = levenshtein(normaliseName(c), k) / Math.max(k.length, 1);
      if (!best || d < best.d) best = { col: c, d };
    }
  }
  return best && best.d <= 0.5 ? ` (closest match: "${best.col}")` : '';
}

function closest(name: string, columns: readonly string[]): string {
  let best: { col: string; d: number } | undefined;
  for (const c of columns) {
    const d = levenshtein(normaliseName(c), normaliseName(name));
    if (!best || d < best.d) best = { col: c, d };
  }
  return best ? ` (closest match: "${best.col}")` : '';
}

/** Edit distance (Wagner–Fischer, two rows). */
export function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let cur = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]!;
}

/** Throws unless transactions can give an amount: `amount`, or both `quantity` and `unitPrice`. */
export function checkAmountRoles(
  roles: Record<string, string | undefined>,
  label: string,
  columns: readonly string[],
): void {
  if (roles['amount'] || (roles['quantity'] && roles['unitPrice'])) return;
  const missing = roles['quantity']
    ? 'unit price'
    : roles['unitPrice']
      ? 'quantity'
      : 'quantity and unit price';
  throw new InputError(
    `${label}: no amount column, and no ${missing} to compute it from${closestForRole('amount', columns)}; ` +
      `map one with transactions.columns.amount (or quantity and unitPrice) or --columns amount=NAME. Columns found: ${columns.join(', ')}`,
  );
}
