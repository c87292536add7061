export { createDbActivities, type DbActivityDeps } from './db-activities';
