export { detectSource, type ReadOptions } from './detect-source.js';
export { loadRawTable, type RawTable, type RawColumn } from './load-table.js';
export {
  resolveColumns,
  checkAmountRoles,
  normaliseName,
  levenshtein,
  TRANSACTION_ROLES,
  EVENT_ROLES,
  CUSTOMER_ROLES,
  type TransactionRole,
  type EventRole,
} from './column-roles.js';
