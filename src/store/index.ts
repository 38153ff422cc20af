export { type BatchTuning, BatchWriter, type BatchWriterOptions } from './batch-writer.js';
export {
  type JournalOptions,
  openJournaledStore,
  type ReplayableStore,
  type ReplayReport,
} from './journaled-store.js';
export { displayPrefix, generateSecret, hashSecret, SECRET_PREFIX } from './key-secrets.js';
export { DEFAULT_STORE_URL, type OpenStoreOptions, openStore } from './open-store.js';
export { DEFAULT_POSTGRES_SCHEMA, openPostgresStore, type PostgresStoreOptions } from './postgres-store.js';
export {
  REPORT_DIMENSIONS,
  type ReportDimension,
  type ReportRow,
  type ReportTotals,
  type UsageReport,
} from './report-sql.js';
export { type RetentionOptions, startRetention } from './retention.js';
export { DEFAULT_SQLITE_PATH, openSqliteStore, type SqliteStoreOptions } from './sqlite-store.js';
export { redactUrl, StoreError, type StoreErrorCode } from './store-error.js';
export { writeStoreLogToStderr } from './store-logger.js';
export * from './types.js';
