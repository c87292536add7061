// Schedule activities the scheduled-run workflow calls (as a local activity) on the workflow worker.
import { startScheduledRun, type ScheduleRunDeps } from '../schedules/start-run';
import type { ScheduleActivities } from '../workflows/definitions';

export function createScheduleActivities(deps: ScheduleRunDeps): ScheduleActivities {
  return {
    startScheduledRun: (scheduleId, runWorkflowId) => startScheduledRun(deps, scheduleId, runWorkflowId),
  };
}
