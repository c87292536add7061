export { createMetrics, type Metrics } from './metrics';
export { startMetricsServer, type MetricsServer } from './server';
export { watchDatabasePool } from './database';
