/**
 * The report's colours: one colour per segment, used by every chart and table, and the diverging scale of the
 * z-score heat map. Both are chosen to stay distinguishable with the common forms of colour blindness.
 * @module
 */

/**
 * Segment colours, in order of assignment. The first six are the Okabe–Ito palette (Okabe & Ito 2008, "Color
 * Universal Design"; Wong 2011, Nature Methods 8:441), which is what most segmentations (k ≤ 6) see. Seven to
 * eleven come from Paul Tol's "muted" scheme (Tol 2021, "Colour schemes", SRON/EPS/TN/09-002) plus a neutral dark
 * grey; Okabe–Ito yellow is last because it is the hardest to see as small points on white.
 */
export const SEGMENT_PALETTE: readonly string[] = [
  '#0072B2', // blue
  '#E69F00', // orange
  '#009E73', // bluish green
  '#CC79A7', // reddish purple
  '#56B4E9', // sky blue
  '#D55E00', // vermillion
  '#332288', // indigo
  '#999933', // olive
  '#882255', // wine
  '#44AA99', // teal
  '#4D4D4D', // dark grey
  '#F0E442', // yellow
];

/**
 * The colour of the segment at `index` (its position in `ReportData.segments`). Past twelve segments colours
 * repeat: beyond that point no palette stays distinguishable, and names and tooltips carry the identity.
 *
 * @example
 * segmentColor(0); // "#0072B2"
 */
/** Colour of segment 0, the customers in no segment (density methods' noise). */
export const NOISE_COLOR = '#9aa0a6';

export function segmentColor(index: number): string {
  const n = SEGMENT_PALETTE.length;
  return SEGMENT_PALETTE[((index % n) + n) % n]!;
}

/** `#rrggbb` → `rgba(r, g, b, alpha)`. */
export function withAlpha(hex: string, alpha: number): string {
  const [r, g, b] = parseHex(hex);
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

/**
 * Diverging stops for z = −2, −1, 0, +1, +2: ColorBrewer PuOr, 5 classes (Brewer, colorbrewer2.org), which is
 * colour-blind safe. Above average is orange ("warmer"), below is purple; beyond ±2σ the colour saturates.
 */
const DIVERGING: readonly (readonly [number, number, number])[] = [
  [0x5e, 0x3c, 0x99],
  [0xb2, 0xab, 0xd2],
  [0xf7, 0xf7, 0xf7],
  [0xfd, 0xb8, 0x63],
  [0xe6, 0x61, 0x01],
];

/** Where the diverging scale saturates, in standard deviations. */
export const Z_SATURATION = 2;

/**
 * Heat-map background for a z-score, linearly interpolated between the PuOr stops; a neutral grey when `z` is
 * not finite.
 *
 * @example
 * divergingColor(0); // "#f7f7f7"
 */
export function divergingColor(z: number): string {
  if (!Number.isFinite(z)) return '#eaeef2';
  const t = ((Math.max(-Z_SATURATION, Math.min(Z_SATURATION, z)) + Z_SATURATION) / (2 * Z_SATURATION)) * 4;
  return interpolate(DIVERGING, t);
}

/** The colour at position `t` (0..stops − 1) along `stops`, linearly interpolated in RGB. */
function interpolate(stops: readonly (readonly [number, number, number])[], t: number): string {
  const i = Math.min(stops.length - 2, Math.floor(t));
  const f = t - i;
  const a = stops[i]!;
  const b = stops[i + 1]!;
  return toHex(a.map((v, k) => v + (b[k]! - v) * f) as [number, number, number]);
}

/** The CSS gradient that matches {@link divergingColor}, for the heat-map legend. */
export function divergingGradientCss(): string {
  return `linear-gradient(to right, ${DIVERGING.map((c) => toHex(c as [number, number, number])).join(', ')})`;
}

/** Sequential stops, light to dark: ColorBrewer Blues, 5 classes (Brewer, colorbrewer2.org). */
const SEQUENTIAL: readonly (readonly [number, number, number])[] = [
  [0xef, 0xf3, 0xff],
  [0xbd, 0xd7, 0xe7],
  [0x6b, 0xae, 0xd6],
  [0x31, 0x82, 0xbd],
  [0x08, 0x51, 0x9c],
];

/**
 * Heat-map background for an amount on 0..1 (e.g. customers relative to the fullest cell), linearly interpolated
 * between the Blues stops; a neutral grey when `t` is not finite. Blue and not a segment colour, so a count is never
 * read as a segment.
 *
 * @example
 * sequentialColor(0); // "#eff3ff"
 */
export function sequentialColor(t: number): string {
  if (!Number.isFinite(t)) return '#eaeef2';
  return interpolate(SEQUENTIAL, Math.max(0, Math.min(1, t)) * (SEQUENTIAL.length - 1));
}

/** The CSS gradient that matches {@link sequentialColor}, for the heat-map legend. */
export function sequentialGradientCss(): string {
  return `linear-gradient(to right, ${SEQUENTIAL.map((c) => toHex(c)).join(', ')})`;
}

/**
 * Dark or white text, whichever reads better on `background`, by WCAG 2 relative luminance
 * (W3C WCAG 2.1, "relative luminance" and "contrast ratio" definitions).
 */
export function readableTextColor(background: string): '#1f2328' | '#ffffff' {
  const [r, g, b] = parseHex(background).map((v) => {
    const c = v / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  // Contrast against white is 1.05 / (L + 0.05); against #1f2328 (L ≈ 0.016) it is (L + 0.05) / 0.066.
  return 1.05 / (luminance + 0.05) > (luminance + 0.05) / 0.066 ? '#ffffff' : '#1f2328';
}

function parseHex(hex: string): [number, number, number] {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new TypeError(`expected a #rrggbb colour, got ${JSON.stringify(hex)}`);
  return [parseInt(m[1]!, 16), parseInt(m[2]!, 16), parseInt(m[3]!, 16)];
}

function toHex(rgb: readonly [number, number, number]): string {
  return `#${rgb.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;
}
