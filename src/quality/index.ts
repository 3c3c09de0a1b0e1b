export {
  cleanTransactions,
  TX_REJECT_REASONS,
  CLEAN_TX_COLUMNS,
  type CleanTransactionsResult,
} from './clean-transactions.js';
export { cleanCustomers, type CleanCustomersResult, type CustomerAttribute } from './clean-customers.js';
export { cleanEvents, type CleanEventsResult } from './clean-events.js';
export { detectDateFormat, DATE_FORMATS, type DetectedDateFormat } from './date-format.js';
export type { QualityReport, InputQuality, QualityCheck, ColumnQuality } from './quality-report.js';
