/**
 * The data-quality report's shape: for each input, how many rows came in, how many were used, how many were
 * rejected and why (the three always add up), what each column is missing, and what the checks found.
 * @module
 */

export interface ColumnQuality {
  name: string;
  /** Role segmint gave the column (customerId, date…), if any. */
  role?: string;
  /** NULL or blank values. */
  missing: number;
  /** Non-blank values that could not be parsed as the role's type. */
  unparseable?: number;
}

export interface QualityCheck {
  name: string;
  count: number;
  /** What was done: "dropped", "kept", "netted against purchases"… */
  action: string;
}

export interface InputQuality {
  input: 'transactions' | 'customers' | 'events';
  file: string;
  /** Every line of data in the file, including those the reader could not parse. */
  rows: number;
  used: number;
  rejected: number;
  rejectedByReason: Record<string, number>;
  columns: ColumnQuality[];
  checks: QualityCheck[];
  /** How the file was read. */
  detected: Record<string, unknown>;
  dateRange?: { min: string; max: string };
}

export interface QualityReport {
  inputs: InputQuality[];
  /** Customers seen but not segmented, and why. */
  customersExcluded: { reason: string; count: number }[];
}
