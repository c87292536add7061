// The activity implementations, one factory per concern. The workflow worker (src/worker) registers
// the database and schedule activities; the delivery activity that hands a command to a device runs on
// the gateway holding its socket and lives with it: createGatewayActivities in src/agent-gateway/activities.ts.
export { createDbActivities, type DbActivityDeps } from './db-activities';
export { createScheduleActivities } from './schedule-activities';
