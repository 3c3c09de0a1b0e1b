/**
 * The demo retailer's product catalogue: about 200 products in 8 categories, with stock codes, descriptions in the
 * upper-case style of a till export, and prices.
 * @module
 */
import type { Random } from '../util/random.js';

/** Interests a customer can state in the survey; the first eight each favour one category. */
export const INTERESTS = [
  'outdoors',
  'fashion',
  'home',
  'cooking',
  'tech',
  'gaming',
  'wellness',
  'crafts',
  'travel',
  'music',
] as const;
export type Interest = (typeof INTERESTS)[number];

interface CategorySpec {
  name: string;
  /** The interest that draws a customer to this category. */
  interest: Interest;
  /** Price range in pence, sampled log-uniformly. */
  minPence: number;
  maxPence: number;
  nouns: readonly string[];
}

const CATEGORY_SPECS: readonly CategorySpec[] = [
  {
    name: 'Home Decor',
    interest: 'home',
    minPence: 195,
    maxPence: 3995,
    nouns: [
      'CANDLE HOLDER',
      'PHOTO FRAME',
      'CUSHION COVER',
      'WALL CLOCK',
      'VASE',
      'DOORMAT',
      'LANTERN',
      'MIRROR',
    ],
  },
  {
    name: 'Kitchen & Dining',
    interest: 'cooking',
    minPence: 125,
    maxPence: 2995,
    nouns: [
      'TEA CUP AND SAUCER',
      'CAKE TIN',
      'LUNCH BOX',
      'APRON',
      'CHOPPING BOARD',
      'MUG',
      'TEAPOT',
      'JAM JAR',
    ],
  },
  {
    name: 'Fashion Accessories',
    interest: 'fashion',
    minPence: 295,
    maxPence: 5995,
    nouns: ['TOTE BAG', 'SCARF', 'PURSE', 'SUNGLASSES', 'UMBRELLA', 'HAIR CLIP', 'WATCH STRAP', 'BEANIE HAT'],
  },
  {
    name: 'Outdoor & Garden',
    interest: 'outdoors',
    minPence: 450,
    maxPence: 11995,
    nouns: [
      'PICNIC BLANKET',
      'WATERING CAN',
      'BIRD FEEDER',
      'PLANTER',
      'CAMPING MUG',
      'SOLAR LIGHT',
      'HAMMOCK',
    ],
  },
  {
    name: 'Toys & Games',
    interest: 'gaming',
    minPence: 165,
    maxPence: 3495,
    nouns: [
      'JIGSAW PUZZLE',
      'PLAYING CARDS',
      'SKIPPING ROPE',
      'BOARD GAME',
      'SPINNING TOP',
      'KITE',
      'DOMINOES',
    ],
  },
  {
    name: 'Stationery & Crafts',
    interest: 'crafts',
    minPence: 45,
    maxPence: 1195,
    nouns: [
      'NOTEBOOK',
      'WRAPPING PAPER',
      'GIFT TAG',
      'PENCIL CASE',
      'STICKER SHEET',
      'RIBBON REEL',
      '30CM/12" RULER',
    ],
  },
  {
    name: 'Beauty & Wellness',
    interest: 'wellness',
    minPence: 295,
    maxPence: 4495,
    nouns: ['HAND CREAM', 'BATH SALTS', 'SCENTED CANDLE', 'YOGA MAT', 'WASH BAG', 'LIP BALM', 'DIFFUSER'],
  },
  {
    name: 'Electronics Accessories',
    interest: 'tech',
    minPence: 795,
    maxPence: 14995,
    nouns: [
      'PHONE CASE',
      'USB CHARGER',
      'EARPHONES',
      'POWER BANK',
      'CABLE ORGANISER',
      'DESK LAMP',
      'SPEAKER',
    ],
  },
];

const MODIFIERS = [
  'RED',
  'BLUE',
  'PINK',
  'IVORY',
  'VINTAGE',
  'RETRO',
  'FLORAL',
  'SPOTTY',
  'STRIPED',
  'WOODLAND',
  'SCANDI',
  'GINGHAM',
  'POLKADOT',
  'MINT',
  'NAVY',
  'RUSTIC',
  'HEART',
  'STAR',
] as const;

/** Pack suffixes; the comma makes the description a quoted CSV field, as in real exports. */
const PACK_SUFFIXES = [', SET OF 2', ', SET OF 3', ', PACK OF 6', ', PACK OF 12'] as const;

/** Products per category (8 × 25 = 200). */
const PRODUCTS_PER_CATEGORY = 25;

/** The catalogue as parallel columns: product `p` is `stockCode[p]`, `description[p]`, … */
export interface ProductCatalogue {
  /** Category names, index = category id. */
  categories: readonly string[];
  /** The interest that favours each category. */
  categoryInterest: readonly Interest[];
  /** First product of category c is `categoryStart[c]`; its products run to `categoryStart[c + 1]`. */
  categoryStart: Int32Array;
  stockCode: readonly string[];
  description: readonly string[];
  category: Int32Array;
  pricePence: Int32Array;
}

/**
 * Builds the catalogue from the generator's stream: codes like the UCI set's ("85123A"), unique descriptions,
 * prices that end in .x5 or .x9 like shelf prices.
 *
 * @example
 * const cat = buildCatalogue(new Random(42));
 * cat.stockCode.length; // 200
 */
export function buildCatalogue(rng: Random): ProductCatalogue {
  const n = CATEGORY_SPECS.length * PRODUCTS_PER_CATEGORY;
  const stockCode: string[] = [];
  const description: string[] = [];
  const category = new Int32Array(n);
  const pricePence = new Int32Array(n);
  const categoryStart = new Int32Array(CATEGORY_SPECS.length + 1);
  const codes = new Set<string>();
  const descriptions = new Set<string>();
  let p = 0;
  for (let c = 0; c < CATEGORY_SPECS.length; c++) {
    const spec = CATEGORY_SPECS[c]!;
    categoryStart[c] = p;
    for (let k = 0; k < PRODUCTS_PER_CATEGORY; k++, p++) {
      let code: string;
      do {
        code = String(10000 + rng.int(90000));
        if (rng.next() < 0.25) code += 'ABCDEFG'[rng.int(7)]!;
      } while (codes.has(code));
      codes.add(code);
      let desc: string;
      do {
        desc = `${MODIFIERS[rng.int(MODIFIERS.length)]!} ${spec.nouns[rng.int(spec.nouns.length)]!}`;
        if (rng.next() < 0.08) desc += PACK_SUFFIXES[rng.int(PACK_SUFFIXES.length)]!;
      } while (descriptions.has(desc));
      descriptions.add(desc);
      stockCode.push(code);
      description.push(desc);
      category[p] = c;
      const logPrice = Math.log(spec.minPence) + rng.next() * Math.log(spec.maxPence / spec.minPence);
      // Shelf prices: round to 10p and end in 5 or 9 (…2.45, …12.99).
      const tenths = Math.max(1, Math.round(Math.exp(logPrice) / 10));
      pricePence[p] = tenths * 10 - (rng.next() < 0.5 ? 5 : 1);
    }
  }
  categoryStart[CATEGORY_SPECS.length] = p;
  return {
    categories: CATEGORY_SPECS.map((s) => s.name),
    categoryInterest: CATEGORY_SPECS.map((s) => s.interest),
    categoryStart,
    stockCode,
    description,
    category,
    pricePence,
  };
}
