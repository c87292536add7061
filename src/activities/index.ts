export { createDbActivities, type DbActivityDeps } from './db-activities';
export { createScheduleActivities } from './schedule-activities';
