/**
 * Writes a realistic synthetic retail data set — transactions, customers, engagement events and the planted
 * ground truth — so segmint can be demonstrated and tested on data whose right answer is known.
 * @module
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { assertNever } from '../util/errors.js';
import { Random } from '../util/random.js';
import { AtomicTextFile } from './atomic-text-file.js';
import { DEMO_COUNTRIES } from './geography.js';
import { GrowableArray } from './growable-array.js';
import { PLANTED_SEGMENTS } from './planted-segments.js';
import type { PlantedSegment, PlantedSegmentId } from './planted-segments.js';
import { INTERESTS, buildCatalogue } from './product-catalogue.js';
import type { ProductCatalogue } from './product-catalogue.js';

/** Options of {@link generateDemoData}; every field is optional, defaults in {@link DEMO_DEFAULTS}. */
export interface GenerateDemoDataOptions {
  /** Number of customers, 1..1,000,000. */
  customers?: number;
  /** Seed of the generator: the same seed and options give byte-identical files. */
  seed?: number;
  /** Last day of the history, ISO date `YYYY-MM-DD`; transactions cover the ~18 months up to and including it. */
  asOf?: string;
}

/** Defaults merged into {@link GenerateDemoDataOptions}. */
export const DEMO_DEFAULTS: Readonly<Required<GenerateDemoDataOptions>> = {
  customers: 2000,
  seed: 42,
  asOf: '2026-06-30',
};

/** How many rows of each kind were written: the bookkeeping tests and demos can check a cleaner against. */
export interface DemoCounts {
  customers: number;
  products: number;
  /** Data rows in transactions.csv (header excluded): the sum of every line count below. */
  transactionRows: number;
  /** Sale invoices of known customers, and their lines as planted (before any mess was added). */
  saleInvoices: number;
  saleLines: number;
  /** Invoices numbered "C…": returns and cancellations of earlier purchases, with negative Quantity. */
  cancellationInvoices: number;
  cancellationLines: number;
  /** Guest checkouts: invoices and lines with an empty CustomerID. */
  guestInvoices: number;
  guestLines: number;
  /** Extra lines that exactly repeat the line before them. */
  duplicateLines: number;
  /** Extra lines (free gifts) with UnitPrice 0.00, inside sale invoices of known customers. */
  zeroPriceLines: number;
  /** Extra lines whose Quantity is "n/a". */
  badQuantityLines: number;
  /** Extra lines whose UnitPrice carries a currency sign ("£2.95"). */
  badUnitPriceLines: number;
  /** Data rows in events.csv. */
  events: number;
  /** Empty cells per column of customers.csv. */
  missing: Record<DemoMissingColumn, number>;
  /** Customers per planted segment id. */
  segmentSizes: Record<PlantedSegmentId, number>;
}

/** Columns of customers.csv that have empty cells. */
export type DemoMissingColumn =
  'age' | 'gender' | 'income' | 'region' | 'city' | 'channel_preference' | 'price_sensitivity' | 'interests';

/** Paths of the files written, the planted segment definitions and the row bookkeeping. */
export interface DemoFiles {
  transactions: string;
  customers: string;
  events: string;
  /** Ground truth `customer_id,planted_segment`: for evaluation, never an input. */
  truth: string;
  plantedSegments: PlantedSegment[];
  counts: DemoCounts;
}

const DAY = 86400;
/** About 18 months of transactions. */
const HISTORY_DAYS = 547;
/** Engagement events cover the last 6 months, a typical retention window for an event export. */
const EVENT_DAYS = 183;
const FIRST_INVOICE_NO = 500001;
const FIRST_CUSTOMER_ID = 10001;

const CHANNELS = ['email', 'web', 'app', 'sms'] as const;
const GENDERS = ['female', 'male', 'other'] as const;
const EVENT_TYPES = ['email_open', 'email_click', 'web_session', 'page_view', 'app_open'] as const;
const EVENT_CHANNELS = ['email', 'web', 'app'] as const;
const enum Ev {
  Open = 0,
  Click = 1,
  Session = 2,
  PageView = 3,
  AppOpen = 4,
}
const enum Ch {
  Email = 0,
  Web = 1,
  App = 2,
}
const enum InvoiceType {
  Sale = 0,
  Cancellation = 1,
  Guest = 2,
}
const enum Extra {
  ZeroPrice = 0,
  BadQuantity = 1,
  BadUnitPrice = 2,
}

/** Purchase, engagement and attribute tendencies of one planted segment. */
interface Behaviour {
  /** Median order value in pounds, and the sd of its logarithm. */
  orderValue: number;
  orderValueLogSd: number;
  minLines: number;
  maxLines: number;
  /** Probability that an order is later partly or wholly returned. */
  returnRate: number;
  /** Of two candidate products, take the dearer (1), the cheaper (-1) or the first (0). */
  priceLean: -1 | 0 | 1;
  ageMean: number;
  ageSd: number;
  /** Median income in pounds, and the sd of its logarithm. */
  income: number;
  incomeLogSd: number;
  /** Weights of email, web, app, sms. */
  channel: readonly number[];
  /** Weights of price sensitivity 1..5. */
  priceSensitivity: readonly number[];
  /** Weights over INTERESTS. */
  interests: readonly number[];
  /** Expected email opens, web sessions and app opens per 30 days, and the chance an open leads to a click. */
  opensPer30: number;
  clickRate: number;
  sessionsPer30: number;
  appOpensPer30: number;
}

//                       outdoors fashion home cooking tech gaming wellness crafts travel music
const BEHAVIOUR: Record<PlantedSegmentId, Behaviour> = {
  champions: {
    orderValue: 160,
    orderValueLogSd: 0.4,
    minLines: 3,
    maxLines: 8,
    returnRate: 0.04,
    priceLean: 1,
    ageMean: 38,
    ageSd: 9,
    income: 56000,
    incomeLogSd: 0.3,
    channel: [0.15, 0.3, 0.5, 0.05],
    priceSensitivity: [0.4, 0.35, 0.15, 0.07, 0.03],
    interests: [2, 3, 1, 1, 3, 1, 2, 0.5, 2, 1],
    opensPer30: 5,
    clickRate: 0.35,
    sessionsPer30: 4,
    appOpensPer30: 5,
  },
  loyal: {
    orderValue: 60,
    orderValueLogSd: 0.3,
    minLines: 2,
    maxLines: 5,
    returnRate: 0.025,
    priceLean: 0,
    ageMean: 52,
    ageSd: 10,
    income: 42000,
    incomeLogSd: 0.3,
    channel: [0.5, 0.3, 0.15, 0.05],
    priceSensitivity: [0.1, 0.3, 0.35, 0.2, 0.05],
    interests: [1, 1, 3, 3, 0.5, 0.5, 1, 2, 1, 1],
    opensPer30: 4,
    clickRate: 0.2,
    sessionsPer30: 1.5,
    appOpensPer30: 0.6,
  },
  new: {
    orderValue: 45,
    orderValueLogSd: 0.45,
    minLines: 1,
    maxLines: 4,
    returnRate: 0.03,
    priceLean: 0,
    ageMean: 29,
    ageSd: 7,
    income: 31000,
    incomeLogSd: 0.35,
    channel: [0.1, 0.35, 0.45, 0.1],
    priceSensitivity: [0.1, 0.25, 0.35, 0.2, 0.1],
    interests: [1, 3, 1, 1, 2, 2, 2, 0.5, 1, 1.5],
    opensPer30: 3,
    clickRate: 0.3,
    sessionsPer30: 5,
    appOpensPer30: 4,
  },
  at_risk: {
    orderValue: 220,
    orderValueLogSd: 0.35,
    minLines: 3,
    maxLines: 8,
    returnRate: 0.05,
    priceLean: 1,
    ageMean: 46,
    ageSd: 9,
    income: 68000,
    incomeLogSd: 0.3,
    channel: [0.45, 0.35, 0.15, 0.05],
    priceSensitivity: [0.35, 0.35, 0.2, 0.07, 0.03],
    interests: [3, 1, 1, 1, 3, 0.5, 1, 0.5, 2, 1],
    opensPer30: 1.2,
    clickRate: 0.08,
    sessionsPer30: 0.4,
    appOpensPer30: 0.2,
  },
  hibernating: {
    orderValue: 18,
    orderValueLogSd: 0.4,
    minLines: 1,
    maxLines: 3,
    returnRate: 0.02,
    priceLean: -1,
    ageMean: 44,
    ageSd: 15,
    income: 28000,
    incomeLogSd: 0.4,
    channel: [0.6, 0.25, 0.05, 0.1],
    priceSensitivity: [0.02, 0.05, 0.13, 0.4, 0.4],
    interests: [1, 1, 2, 2, 0.5, 1, 1, 3, 0.5, 1],
    opensPer30: 0.4,
    clickRate: 0.05,
    sessionsPer30: 0.15,
    appOpensPer30: 0.05,
  },
};

const WEEKDAY_WEIGHT = [0.7, 1.0, 1.05, 1.0, 1.1, 0.85, 0.5]; // Sunday first
const MONTH_WEIGHT = [0.8, 0.85, 0.95, 0.95, 1.0, 0.95, 0.9, 0.9, 1.05, 1.1, 1.4, 1.25];
/** Purchases by hour of day (6:00..22:00): a shop's working day with a lunchtime peak. */
const PURCHASE_HOUR_WEIGHT = [0.3, 1, 4, 7, 9, 10, 11, 11, 10, 9, 7, 5, 4, 4, 3.5, 2.5, 1];
const PURCHASE_FIRST_HOUR = 6;
/** Engagement by hour of day (0..23): later, with an evening peak. */
const EVENT_HOUR_WEIGHT = [
  0.5, 0.3, 0.2, 0.1, 0.1, 0.2, 0.6, 1.5, 2.5, 3, 3, 3, 3.5, 3, 3, 3, 3, 3.5, 4, 5, 5.5, 5, 3.5, 1.5,
];
/** Quantities above 6 snap to pack sizes, as retail quantities do. */
const PACK_SIZES = [6, 8, 10, 12, 16, 20, 24, 36, 48, 72, 96, 144];

/** Share of empty cells per customers.csv column. */
const MISSING_RATE: Record<DemoMissingColumn, number> = {
  age: 0.03,
  gender: 0.02,
  income: 0.08,
  region: 0.01,
  city: 0.02,
  channel_preference: 0.04,
  price_sensitivity: 0.05,
  interests: 0.06,
};

/**
 * Generates the demo data set into `dir` (created if missing) and returns the paths written. Each file is written
 * under a temporary name and renamed when complete.
 *
 * Files: `transactions.csv` (a till export with returns, guest checkouts, duplicates, zero prices and a few
 * unparseable values, in the amounts reported in `counts`), `customers.csv` (demographics, geography, survey
 * answers, some cells empty), `events.csv` (email, web and app engagement over the last 6 months) and `truth.csv`
 * (each customer's planted segment).
 *
 * @example
 * const files = await generateDemoData('segmint-demo/data', { customers: 2000, seed: 42 });
 * files.transactions; // 'segmint-demo/data/transactions.csv'
 * files.counts.duplicateLines; // 20
 */
export async function generateDemoData(
  dir: string,
  options: GenerateDemoDataOptions = {},
): Promise<DemoFiles> {
  if (typeof dir !== 'string' || dir.length === 0) {
    throw new TypeError(`dir must be a non-empty path, got ${JSON.stringify(dir)}`);
  }
  const o = normaliseOptions(options);
  const sim = simulate(o);
  await mkdir(dir, { recursive: true });
  const paths = {
    transactions: join(dir, 'transactions.csv'),
    customers: join(dir, 'customers.csv'),
    events: join(dir, 'events.csv'),
    truth: join(dir, 'truth.csv'),
  };
  await writeAtomically(paths.transactions, (f) => writeTransactions(f, sim));
  await writeAtomically(paths.customers, (f) => writeCustomers(f, sim));
  await writeAtomically(paths.events, (f) => writeEvents(f, sim));
  await writeAtomically(paths.truth, (f) => writeTruth(f, sim));
  return { ...paths, plantedSegments: PLANTED_SEGMENTS.map((s) => ({ ...s })), counts: sim.counts };
}

interface NormalisedOptions {
  customers: number;
  seed: number;
  /** Days since 1970-01-01 of the last day of history. */
  asOfEpochDay: number;
}

function normaliseOptions(options: GenerateDemoDataOptions): NormalisedOptions {
  const customers = options.customers ?? DEMO_DEFAULTS.customers;
  if (!Number.isInteger(customers) || customers < 1 || customers > 1_000_000) {
    throw new RangeError(`customers must be an integer from 1 to 1,000,000, got ${customers}`);
  }
  const seed = options.seed ?? DEMO_DEFAULTS.seed;
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  const asOf = options.asOf ?? DEMO_DEFAULTS.asOf;
  const m = typeof asOf === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(asOf) : null;
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!m || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== asOf) {
    throw new RangeError(`asOf must be an ISO date like 2026-06-30, got ${JSON.stringify(asOf)}`);
  }
  return { customers, seed, asOfEpochDay: ms / (DAY * 1000) };
}

/** Day index 0..HISTORY_DAYS-1 ↔ calendar, with per-day purchase weights for rejection sampling. */
interface Calendar {
  startEpochDay: number;
  lastDay: number;
  /** Seconds since the epoch at which the history ends (midnight after the as-of day). */
  endSec: number;
  dayWeight: Float64Array;
  maxWeight: number;
  /** `YYYY-MM-DD` of each day index. */
  dayText: string[];
}

function buildCalendar(asOfEpochDay: number): Calendar {
  const startEpochDay = asOfEpochDay - (HISTORY_DAYS - 1);
  const dayWeight = new Float64Array(HISTORY_DAYS);
  const dayText: string[] = [];
  let maxWeight = 0;
  for (let d = 0; d < HISTORY_DAYS; d++) {
    const date = new Date((startEpochDay + d) * DAY * 1000);
    const w = WEEKDAY_WEIGHT[date.getUTCDay()]! * MONTH_WEIGHT[date.getUTCMonth()]!;
    dayWeight[d] = w;
    if (w > maxWeight) maxWeight = w;
    dayText.push(date.toISOString().slice(0, 10));
  }
  return {
    startEpochDay,
    lastDay: HISTORY_DAYS - 1,
    endSec: (asOfEpochDay + 1) * DAY,
    dayWeight,
    maxWeight,
    dayText,
  };
}

/** Everything the writers need, in columns. */
interface Simulation {
  cal: Calendar;
  catalogue: ProductCatalogue;
  productPrefix: string[];
  productPrice: string[];
  // customers
  segment: Uint8Array;
  country: Int32Array;
  customerRows: string[];
  // invoices
  invCustomer: Int32Array;
  invCountry: Int32Array;
  invTime: Float64Array;
  invType: Uint8Array;
  invLineStart: Int32Array;
  invLineCount: Int32Array;
  // lines
  lineProduct: Int32Array;
  lineQty: Int32Array;
  lineDuplicate: Uint8Array;
  extrasByInvoice: Map<number, { product: number; qty: number; kind: Extra }[]>;
  // events
  evCustomer: Int32Array;
  evTime: Float64Array;
  evType: Uint8Array;
  evChannel: Uint8Array;
  counts: DemoCounts;
}

function simulate(o: NormalisedOptions): Simulation {
  const rng = new Random(o.seed);
  const cal = buildCalendar(o.asOfEpochDay);
  const catalogue = buildCatalogue(rng);
  const nProducts = catalogue.stockCode.length;
  const productPrefix = catalogue.stockCode.map(
    (code, p) =>
      `${code},${csvField(catalogue.description[p]!)},${csvField(catalogue.categories[catalogue.category[p]!]!)}`,
  );
  const productPrice = Array.from(catalogue.pricePence, (pence) => (pence / 100).toFixed(2));
  const nCat = catalogue.categories.length;

  // Segment sizes by largest remainder, then a shuffle so ids carry no segment order.
  const n = o.customers;
  const sizes = largestRemainder(
    PLANTED_SEGMENTS.map((s) => s.share),
    n,
  );
  const segment = new Uint8Array(n);
  for (let s = 0, i = 0; s < sizes.length; s++) for (let k = 0; k < sizes[s]!; k++) segment[i++] = s;
  rng.shuffle(segment);

  const invCustomer = new GrowableArray((c) => new Int32Array(c), n * 12);
  const invCountry = new GrowableArray((c) => new Int32Array(c), n * 12);
  const invTime = new GrowableArray((c) => new Float64Array(c), n * 12);
  const invType = new GrowableArray((c) => new Uint8Array(c), n * 12);
  const invLineStart = new GrowableArray((c) => new Int32Array(c), n * 12);
  const invLineCount = new GrowableArray((c) => new Int32Array(c), n * 12);
  const lineProduct = new GrowableArray((c) => new Int32Array(c), n * 50);
  const lineQty = new GrowableArray((c) => new Int32Array(c), n * 50);
  const evCustomer = new GrowableArray((c) => new Int32Array(c), n * 40);
  const evTime = new GrowableArray((c) => new Float64Array(c), n * 40);
  const evType = new GrowableArray((c) => new Uint8Array(c), n * 40);
  const evChannel = new GrowableArray((c) => new Uint8Array(c), n * 40);

  const purchaseHourCum = cumulative(PURCHASE_HOUR_WEIGHT);
  const eventHourCum = cumulative(EVENT_HOUR_WEIGHT);
  const countryCum = cumulative(DEMO_COUNTRIES.map((c) => c.share));
  const genderCum = cumulative([0.52, 0.46, 0.02]);

  const purchaseTime = (day: number): number =>
    (cal.startEpochDay + day) * DAY +
    (PURCHASE_FIRST_HOUR + pick(rng, purchaseHourCum)) * 3600 +
    rng.int(60) * 60 +
    rng.int(60);

  const addInvoice = (customer: number, country: number, time: number, type: InvoiceType): void => {
    invCustomer.push(customer);
    invCountry.push(country);
    invTime.push(time);
    invType.push(type);
    invLineStart.push(lineProduct.length);
    invLineCount.push(0);
  };
  /** Adds `lines` distinct products to the invoice just opened, worth about `value` pounds in all. */
  const fillInvoice = (
    lines: number,
    value: number,
    categoryCum: Float64Array,
    lean: -1 | 0 | 1,
    invoice: number,
  ): void => {
    const start = lineProduct.length;
    for (let l = 0; l < lines; l++) {
      let p = -1;
      for (let attempt = 0; attempt < 20 && p < 0; attempt++) {
        const candidate = pickProduct(rng, catalogue, categoryCum, lean);
        let seen = false;
        for (let j = start; j < lineProduct.length; j++) if (lineProduct.at(j) === candidate) seen = true;
        if (!seen) p = candidate;
      }
      if (p < 0) break;
      const linePence = ((value * 100) / lines) * Math.exp(rng.normal(0, 0.35));
      lineProduct.push(p);
      lineQty.push(packQuantity(linePence / catalogue.pricePence[p]!));
    }
    invLineCount.set(invoice, lineProduct.length - start);
  };

  const customerRows: string[] = [];
  const country = new Int32Array(n);
  const missing: Record<DemoMissingColumn, number> = {
    age: 0,
    gender: 0,
    income: 0,
    region: 0,
    city: 0,
    channel_preference: 0,
    price_sensitivity: 0,
    interests: 0,
  };
  const isMissing = (column: DemoMissingColumn): boolean => {
    const m = rng.next() < MISSING_RATE[column];
    if (m) missing[column]++;
    return m;
  };
  const categoryCum = new Float64Array(nCat);
  const categoryWeight = new Float64Array(nCat);

  for (let c = 0; c < n; c++) {
    const segId = PLANTED_SEGMENTS[segment[c]!]!.id;
    const b = BEHAVIOUR[segId];

    // Interests drive both the survey answer and which categories the customer buys from.
    const interestCount = 1 + pick(rng, cumulative([0.35, 0.4, 0.25]));
    const interests = sampleWeighted(rng, b.interests, interestCount).sort((x, y) => x - y);
    categoryWeight.fill(1);
    for (const i of interests) {
      const interest = INTERESTS[i]!;
      for (let k = 0; k < nCat; k++) {
        const categoryInterest = catalogue.categoryInterest[k];
        if (categoryInterest === interest) categoryWeight[k]! += 4;
        else if (
          interest === 'travel' &&
          (categoryInterest === 'outdoors' || categoryInterest === 'fashion')
        ) {
          categoryWeight[k]! += 2;
        } else if (interest === 'music' && categoryInterest === 'tech') categoryWeight[k]! += 2;
      }
    }
    let acc = 0;
    for (let k = 0; k < nCat; k++) categoryCum[k] = acc += categoryWeight[k]!;

    const ctry = pick(rng, countryCum);
    country[c] = ctry;

    // Orders.
    const days = planOrderDays(segId, rng, cal);
    for (const day of days) {
      const invoice = invCustomer.length;
      addInvoice(c, ctry, purchaseTime(day), InvoiceType.Sale);
      const lines = b.minLines + rng.int(b.maxLines - b.minLines + 1);
      const value = b.orderValue * Math.exp(rng.normal(0, b.orderValueLogSd));
      fillInvoice(lines, value, categoryCum, b.priceLean, invoice);
    }
    const firstDay = days[0]!;

    // Attributes.
    const signupDay =
      segId === 'new' ? Math.max(cal.lastDay - 75, firstDay - rng.int(15)) : firstDay - rng.int(400);
    const ageValue = Math.round(clamp(rng.normal(b.ageMean, b.ageSd), 18, 90));
    const income = Math.round((b.income * Math.exp(rng.normal(0, b.incomeLogSd))) / 500) * 500;
    const geo = DEMO_COUNTRIES[ctry]!;
    const region = geo.regions[rng.int(geo.regions.length)]!;
    const city = region.cities[rng.int(region.cities.length)]!;
    const channel = pick(rng, cumulative(b.channel));
    const sensitivity = 1 + pick(rng, cumulative(b.priceSensitivity));
    const gender = GENDERS[pick(rng, genderCum)]!;
    customerRows.push(
      [
        FIRST_CUSTOMER_ID + c,
        isMissing('age') ? '' : ageValue,
        isMissing('gender') ? '' : gender,
        isMissing('income') ? '' : income,
        csvField(geo.name),
        isMissing('region') ? '' : csvField(region.name),
        isMissing('city') ? '' : csvField(city),
        dateText(cal, signupDay),
        isMissing('channel_preference') ? '' : CHANNELS[channel]!,
        isMissing('price_sensitivity') ? '' : sensitivity,
        isMissing('interests') ? '' : interests.map((i) => INTERESTS[i]!).join(';'),
      ].join(',') + '\n',
    );

    // Engagement over the event window, after sign-up; a per-customer multiplier blurs the segments.
    const windowStart = Math.max(cal.lastDay - EVENT_DAYS + 1, signupDay);
    const windowDays = cal.lastDay - windowStart + 1;
    if (windowDays <= 0) continue;
    const engagement = Math.exp(rng.normal(0, 0.5)) * (windowDays / 30);
    const usesApp = rng.next() < (CHANNELS[channel] === 'app' ? 0.95 : 0.35);
    const eventTime = (): number =>
      (cal.startEpochDay + windowStart + rng.int(windowDays)) * DAY +
      pick(rng, eventHourCum) * 3600 +
      rng.int(3600);
    const addEvent = (time: number, type: Ev, ch: Ch): void => {
      evCustomer.push(c);
      evTime.push(Math.min(time, cal.endSec - 1));
      evType.push(type);
      evChannel.push(ch);
    };
    const opens = poisson(rng, b.opensPer30 * engagement);
    for (let k = 0; k < opens; k++) {
      const t = eventTime();
      addEvent(t, Ev.Open, Ch.Email);
      if (rng.next() < b.clickRate) addEvent(t + 30 + rng.int(3 * 3600), Ev.Click, Ch.Email);
    }
    const sessions = poisson(rng, b.sessionsPer30 * engagement);
    for (let k = 0; k < sessions; k++) {
      let t = eventTime();
      addEvent(t, Ev.Session, Ch.Web);
      const views = 1 + rng.int(4);
      for (let v = 0; v < views; v++) addEvent((t += 20 + rng.int(300)), Ev.PageView, Ch.Web);
    }
    const appOpens = usesApp ? poisson(rng, b.appOpensPer30 * engagement) : 0;
    for (let k = 0; k < appOpens; k++) {
      let t = eventTime();
      addEvent(t, Ev.AppOpen, Ch.App);
      const views = rng.int(3);
      for (let v = 0; v < views; v++) addEvent((t += 10 + rng.int(120)), Ev.PageView, Ch.App);
    }
  }
  const saleInvoices = invCustomer.length;
  const saleLines = lineProduct.length;

  // Returns: some orders come back 1–20 days later, wholly (a cancelled order) or a line or two in part.
  const lastDayStartSec = (cal.startEpochDay + cal.lastDay) * DAY;
  for (let inv = 0; inv < saleInvoices; inv++) {
    const c = invCustomer.at(inv);
    if (rng.next() >= BEHAVIOUR[PLANTED_SEGMENTS[segment[c]!]!.id].returnRate) continue;
    const t0 = invTime.at(inv);
    const day0 = Math.floor(t0 / DAY) - cal.startEpochDay;
    const day = Math.min(cal.lastDay, day0 + 1 + rng.int(20));
    if (day <= day0 || t0 >= lastDayStartSec) continue;
    const start = invLineStart.at(inv);
    const count = invLineCount.at(inv);
    const cancel = invCustomer.length;
    addInvoice(c, invCountry.at(inv), purchaseTime(day), InvoiceType.Cancellation);
    const returned: number[] = [];
    if (rng.next() < 0.2) {
      for (let l = 0; l < count; l++) returned.push(start + l);
    } else {
      const k = count >= 3 && rng.next() < 0.3 ? 2 : 1;
      for (const l of rng.sampleIndices(count, Math.min(k, count))) returned.push(start + l);
    }
    for (const line of returned) {
      const q = lineQty.at(line);
      lineProduct.push(lineProduct.at(line));
      lineQty.push(-(returned.length === count ? q : Math.max(1, Math.ceil(rng.next() * q))));
    }
    invLineCount.set(cancel, returned.length);
  }
  const cancellationInvoices = invCustomer.length - saleInvoices;
  const cancellationLines = lineProduct.length - saleLines;

  // Guest checkouts: no CustomerID, anywhere in the history.
  const guestInvoices = Math.max(1, Math.round(n * 0.04));
  const uniformCum = cumulative(Array.from({ length: nCat }, () => 1));
  for (let g = 0; g < guestInvoices; g++) {
    const invoice = invCustomer.length;
    addInvoice(
      -1,
      pick(rng, countryCum),
      purchaseTime(sampleDay(rng, cal, 0, cal.lastDay)),
      InvoiceType.Guest,
    );
    fillInvoice(1 + rng.int(4), 30 * Math.exp(rng.normal(0, 0.5)), uniformCum, 0, invoice);
  }
  const guestLines = lineProduct.length - saleLines - cancellationLines;

  // Mess in known amounts: exact duplicate lines, free-gift lines at 0.00, and lines with unparseable values.
  const lineDuplicate = new Uint8Array(lineProduct.length);
  const duplicates = rng.sampleIndices(saleLines, Math.max(1, Math.round(n * 0.01)));
  for (const line of duplicates) lineDuplicate[line] = 1;
  const kinds: Extra[] = [];
  const perKind = Math.max(1, Math.round(n / 1000));
  for (let k = 0; k < Math.max(1, Math.round(n * 0.005)); k++) kinds.push(Extra.ZeroPrice);
  for (let k = 0; k < perKind; k++) kinds.push(Extra.BadQuantity, Extra.BadUnitPrice);
  rng.shuffle(kinds);
  const extrasByInvoice = new Map<number, { product: number; qty: number; kind: Extra }[]>();
  const extraInvoices = rng.sampleIndices(saleInvoices, kinds.length);
  const extraCount = [0, 0, 0];
  extraInvoices.forEach((inv, k) => {
    const kind = kinds[k]!;
    const start = invLineStart.at(inv);
    const count = invLineCount.at(inv);
    let product: number;
    let clash: boolean;
    do {
      product = rng.int(nProducts);
      clash = false;
      for (let l = start; l < start + count; l++) if (lineProduct.at(l) === product) clash = true;
    } while (clash);
    extrasByInvoice.set(inv, [{ product, qty: 1 + rng.int(12), kind }]);
    extraCount[kind]!++;
  });

  const lines = {
    sale: saleLines,
    cancellation: cancellationLines,
    guest: guestLines,
    duplicate: duplicates.length,
    zero: extraCount[Extra.ZeroPrice]!,
    badQuantity: extraCount[Extra.BadQuantity]!,
    badUnitPrice: extraCount[Extra.BadUnitPrice]!,
  };
  const segmentSizes = Object.fromEntries(PLANTED_SEGMENTS.map((s, i) => [s.id, sizes[i]!])) as Record<
    PlantedSegmentId,
    number
  >;
  return {
    cal,
    catalogue,
    productPrefix,
    productPrice,
    segment,
    country,
    customerRows,
    invCustomer: invCustomer.view(),
    invCountry: invCountry.view(),
    invTime: invTime.view(),
    invType: invType.view(),
    invLineStart: invLineStart.view(),
    invLineCount: invLineCount.view(),
    lineProduct: lineProduct.view(),
    lineQty: lineQty.view(),
    lineDuplicate,
    extrasByInvoice,
    evCustomer: evCustomer.view(),
    evTime: evTime.view(),
    evType: evType.view(),
    evChannel: evChannel.view(),
    counts: {
      customers: n,
      products: nProducts,
      transactionRows: Object.values(lines).reduce((a, b) => a + b, 0),
      saleInvoices,
      saleLines,
      cancellationInvoices,
      cancellationLines,
      guestInvoices,
      guestLines,
      duplicateLines: lines.duplicate,
      zeroPriceLines: lines.zero,
      badQuantityLines: lines.badQuantity,
      badUnitPriceLines: lines.badUnitPrice,
      events: evCustomer.length,
      missing,
      segmentSizes,
    },
  };
}

/** Day indices (ascending) of one customer's orders, following the segment's rhythm. */
function planOrderDays(seg: PlantedSegmentId, rng: Random, cal: Calendar): number[] {
  const last = cal.lastDay;
  const days: number[] = [];
  switch (seg) {
    case 'champions': {
      const recency = Math.min(50, Math.floor(-10 * Math.log(1 - rng.next())));
      const lastOrder = nudgeDay(rng, cal, last - recency, last - 55, last);
      const first = Math.max(0, last - 300 - rng.int(HISTORY_DAYS - 300));
      const orders = 14 + rng.int(29);
      days.push(lastOrder);
      for (let k = 1; k < orders; k++) days.push(sampleDay(rng, cal, first, lastOrder));
      break;
    }
    case 'loyal': {
      // Monthly: the gap is the customer's own habit, each order a few days either side of it.
      const lastOrder = nudgeDay(rng, cal, last - rng.int(45), last - 50, last);
      const gap = 30 + rng.normal(0, 3);
      const orders = 6 + rng.int(12);
      days.push(lastOrder);
      for (let k = 1; k < orders; k++) {
        const target = Math.round(lastOrder - k * gap + rng.normal(0, 4));
        if (target < 0) break;
        days.push(nudgeDay(rng, cal, target, 0, lastOrder));
      }
      break;
    }
    case 'new': {
      const first = last - rng.int(60);
      days.push(nudgeDay(rng, cal, first, last - 59, last));
      if (rng.next() < 0.3) days.push(sampleDay(rng, cal, days[0]!, last));
      break;
    }
    case 'at_risk': {
      const lastOrder = nudgeDay(rng, cal, last - 150 - rng.int(216), last - 365, last - 150);
      const first = Math.max(0, lastOrder - 120 - rng.int(240));
      const orders = 5 + rng.int(12);
      days.push(lastOrder);
      for (let k = 1; k < orders; k++) days.push(sampleDay(rng, cal, first, lastOrder));
      break;
    }
    case 'hibernating': {
      const lastOrder = nudgeDay(rng, cal, last - 200 - rng.int(last - 200), 0, last - 200);
      const first = Math.max(0, lastOrder - rng.int(90));
      const orders = 1 + pick(rng, HIBERNATING_ORDERS_CUM);
      days.push(lastOrder);
      for (let k = 1; k < orders; k++) days.push(sampleDay(rng, cal, first, lastOrder));
      break;
    }
    default:
      assertNever(seg, 'planted segment');
  }
  return days.sort((a, b) => a - b);
}

const HIBERNATING_ORDERS_CUM = cumulative([0.55, 0.3, 0.15]);

/** A day in [lo, hi], drawn with the calendar's weekday and season weights (rejection sampling). */
function sampleDay(rng: Random, cal: Calendar, lo: number, hi: number): number {
  for (;;) {
    const d = lo + rng.int(hi - lo + 1);
    if (rng.next() * cal.maxWeight < cal.dayWeight[d]!) return d;
  }
}

/** A day within ±3 of `target` (kept inside [lo, hi]) that the calendar weights accept. */
function nudgeDay(rng: Random, cal: Calendar, target: number, lo: number, hi: number): number {
  const t = clamp(target, lo, hi);
  for (let attempt = 0; attempt < 12; attempt++) {
    const d = clamp(t + rng.int(7) - 3, lo, hi);
    if (rng.next() * cal.maxWeight < cal.dayWeight[d]!) return d;
  }
  return t;
}

function pickProduct(
  rng: Random,
  cat: ProductCatalogue,
  categoryCum: Float64Array,
  lean: -1 | 0 | 1,
): number {
  const c = pick(rng, categoryCum);
  const start = cat.categoryStart[c]!;
  const size = cat.categoryStart[c + 1]! - start;
  const p = start + rng.int(size);
  if (lean === 0) return p;
  const q = start + rng.int(size);
  return lean * (cat.pricePence[q]! - cat.pricePence[p]!) > 0 ? q : p;
}

/** Rounds a wanted quantity; above 6 to the nearest pack size. */
function packQuantity(wanted: number): number {
  if (wanted < 6.5) return Math.max(1, Math.round(wanted));
  let best = PACK_SIZES[0]!;
  for (const s of PACK_SIZES) if (Math.abs(s - wanted) < Math.abs(best - wanted)) best = s;
  return best;
}

/** Cumulative sums of weights, for {@link pick}. */
function cumulative(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let acc = 0;
  for (let i = 0; i < weights.length; i++) out[i] = acc += weights[i]!;
  return out;
}

/** Index drawn with probability proportional to its weight, given cumulative weights. */
function pick(rng: Random, cum: Float64Array): number {
  const u = rng.next() * cum[cum.length - 1]!;
  let i = 0;
  while (i < cum.length - 1 && u >= cum[i]!) i++;
  return i;
}

/** `k` distinct indices drawn with probability proportional to weight, without replacement. */
function sampleWeighted(rng: Random, weights: readonly number[], k: number): number[] {
  const w = weights.slice();
  const out: number[] = [];
  for (let j = 0; j < k; j++) {
    const i = pick(rng, cumulative(w));
    out.push(i);
    w[i] = 0;
  }
  return out;
}

/** Poisson deviate: Knuth's product of uniforms for small means, a rounded normal above 30. */
function poisson(rng: Random, lambda: number): number {
  if (lambda <= 0) return 0;
  if (lambda > 30) return Math.max(0, Math.round(rng.normal(lambda, Math.sqrt(lambda))));
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = rng.next();
  while (p > limit) {
    k++;
    p *= rng.next();
  }
  return k;
}

function largestRemainder(shares: readonly number[], total: number): number[] {
  const sum = shares.reduce((a, b) => a + b, 0);
  const exact = shares.map((s) => (s / sum) * total);
  const out = exact.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact
    .map((e, i) => [e - Math.floor(e), i] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0; k++, left--) out[order[k % order.length]![1]]!++;
  return out;
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/** Quotes a CSV field when it holds a comma, quote or line break (RFC 4180). */
function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));

/** `YYYY-MM-DD` of a day index (which may precede the history). */
function dateText(cal: Calendar, day: number): string {
  return cal.dayText[day] ?? new Date((cal.startEpochDay + day) * DAY * 1000).toISOString().slice(0, 10);
}

/** `YYYY-MM-DD HH:MM:SS` of seconds since the epoch, in UTC (the files carry no time zone). */
function timestampText(cal: Calendar, sec: number): string {
  const epochDay = Math.floor(sec / DAY);
  let s = sec - epochDay * DAY;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  return `${dateText(cal, epochDay - cal.startEpochDay)} ${TWO_DIGITS[h]!}:${TWO_DIGITS[m]!}:${TWO_DIGITS[s - m * 60]!}`;
}

/** Indices 0..n-1 ordered by time, ties by index, so the order is the same on every run. */
function orderByTime(time: Float64Array): Int32Array {
  const n = time.length;
  const order = new Int32Array(n);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const t = time[i]!;
    if (t < min) min = t;
    if (t > max) max = t;
  }
  // Fast path: pack (whole-second time offset, index) into one exactly representable double and use the native
  // numeric sort — measured ~4× faster than the comparator sort on 2.5M events. Plain version below.
  const span = 2 ** Math.max(1, Math.ceil(Math.log2(n + 1)));
  if (n > 0 && (max - min + 1) * span < 2 ** 53 && time.every(Number.isInteger)) {
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) keys[i] = (time[i]! - min) * span + i;
    keys.sort();
    for (let i = 0; i < n; i++) order[i] = keys[i]! % span;
    return order;
  }
  for (let i = 0; i < n; i++) order[i] = i;
  return order.sort((a, b) => time[a]! - time[b]! || a - b);
}

async function writeAtomically(path: string, write: (f: AtomicTextFile) => Promise<void>): Promise<void> {
  const file = await AtomicTextFile.create(path);
  try {
    await write(file);
    await file.commit();
  } catch (e) {
    await file.abort();
    throw new Error(`could not write ${path}: ${(e as Error).message}`, { cause: e });
  }
}

async function writeTransactions(f: AtomicTextFile, sim: Simulation): Promise<void> {
  f.add('InvoiceNo,StockCode,Description,Category,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n');
  const customerSuffix = (c: number, country: number): string =>
    `${c < 0 ? '' : FIRST_CUSTOMER_ID + c},${csvField(DEMO_COUNTRIES[country]!.name)}\n`;
  const order = orderByTime(sim.invTime);
  for (let rank = 0; rank < order.length; rank++) {
    const inv = order[rank]!;
    const invoiceNo = `${sim.invType[inv] === InvoiceType.Cancellation ? 'C' : ''}${FIRST_INVOICE_NO + rank}`;
    const when = timestampText(sim.cal, sim.invTime[inv]!);
    const suffix = customerSuffix(sim.invCustomer[inv]!, sim.invCountry[inv]!);
    const start = sim.invLineStart[inv]!;
    const end = start + sim.invLineCount[inv]!;
    for (let l = start; l < end; l++) {
      const p = sim.lineProduct[l]!;
      const row = `${invoiceNo},${sim.productPrefix[p]!},${sim.lineQty[l]!},${when},${sim.productPrice[p]!},${suffix}`;
      f.add(row);
      if (sim.lineDuplicate[l] === 1) f.add(row);
    }
    for (const extra of sim.extrasByInvoice.get(inv) ?? []) {
      const p = extra.product;
      let qty = String(extra.qty);
      let price = sim.productPrice[p]!;
      switch (extra.kind) {
        case Extra.ZeroPrice:
          price = '0.00';
          break;
        case Extra.BadQuantity:
          qty = 'n/a';
          break;
        case Extra.BadUnitPrice:
          price = `£${price}`;
          break;
        default:
          assertNever(extra.kind, 'extra line kind');
      }
      f.add(`${invoiceNo},${sim.productPrefix[p]!},${qty},${when},${price},${suffix}`);
    }
    await f.flushIfFull();
  }
}

async function writeCustomers(f: AtomicTextFile, sim: Simulation): Promise<void> {
  f.add(
    'customer_id,age,gender,income,country,region,city,signup_date,channel_preference,price_sensitivity,interests\n',
  );
  for (const row of sim.customerRows) {
    f.add(row);
    await f.flushIfFull();
  }
}

async function writeEvents(f: AtomicTextFile, sim: Simulation): Promise<void> {
  f.add('customer_id,timestamp,event_type,channel\n');
  const order = orderByTime(sim.evTime);
  for (let k = 0; k < order.length; k++) {
    const e = order[k]!;
    f.add(
      `${FIRST_CUSTOMER_ID + sim.evCustomer[e]!},${timestampText(sim.cal, sim.evTime[e]!)},${EVENT_TYPES[sim.evType[e]!]!},${EVENT_CHANNELS[sim.evChannel[e]!]!}\n`,
    );
    if ((k & 4095) === 0) await f.flushIfFull();
  }
}

async function writeTruth(f: AtomicTextFile, sim: Simulation): Promise<void> {
  f.add('customer_id,planted_segment\n');
  for (let c = 0; c < sim.segment.length; c++) {
    f.add(`${FIRST_CUSTOMER_ID + c},${PLANTED_SEGMENTS[sim.segment[c]!]!.name}\n`);
    if ((c & 4095) === 0) await f.flushIfFull();
  }
}
