/**
 * Demo data: a synthetic retailer's transactions, customers and engagement events with planted segments, for
 * demos, tests and benchmarks.
 * @module
 */
export { DEMO_DEFAULTS, generateDemoData } from './generate-demo-data.js';
export type {
  DemoCounts,
  DemoFiles,
  DemoMissingColumn,
  GenerateDemoDataOptions,
} from './generate-demo-data.js';
export { PLANTED_SEGMENT_IDS, PLANTED_SEGMENTS } from './planted-segments.js';
export type { PlantedSegment, PlantedSegmentId } from './planted-segments.js';
export { DEMO_COUNTRIES } from './geography.js';
export type { DemoCountry } from './geography.js';
export { INTERESTS, buildCatalogue } from './product-catalogue.js';
export type { Interest, ProductCatalogue } from './product-catalogue.js';
export { compareWithTruth } from './compare-with-truth.js';
