// The API's shapes, inferred from the server's own zod schemas (types only: nothing of the server
// enters the bundle), so the console cannot drift from what the API answers.
import type { z } from '@hono/zod-openapi';
import type { batchSchema, executionSchema } from '../../api/schemas/batch';
import type { deviceSchema } from '../../api/schemas/device';
import type { groupSchema, groupWithDevicesSchema } from '../../api/schemas/group';
import type { runSchema, scheduleSchema } from '../../api/schemas/schedule';
import type { userSchema } from '../../api/schemas/user';
import type { OutcomeGroupsJson } from '../../api/schemas/outcome';
import type { AuditEntryJson } from '../../api/routes/audit/routes';
import type { previewSchema } from '../../api/routes/targets/routes';
import type { sessionSchema } from '../server/session-routes';
import type { settingsSchema } from '../server/settings';
import type { batchRequestSchema } from '../../domain/batch';
import type { createScheduleSchema } from '../../domain/schedule';
import type { DeviceState } from '../../db/queries/batch-events';
import type { ExecutionEventData, OutputEventData } from '../../domain/batch-events';

export type Device = z.infer<typeof deviceSchema>;
export type Group = z.infer<typeof groupSchema>;
export type GroupWithDevices = z.infer<typeof groupWithDevicesSchema>;
export type Batch = z.infer<typeof batchSchema>;
export type Execution = z.infer<typeof executionSchema>;
export type Schedule = z.infer<typeof scheduleSchema>;
export type ScheduleRun = z.infer<typeof runSchema>;
export type User = z.infer<typeof userSchema>;
export type AuditEntry = AuditEntryJson;
export type TargetsPreview = z.infer<typeof previewSchema>;
export type Session = z.infer<typeof sessionSchema>;
export type Settings = z.infer<typeof settingsSchema>;
/** The body of POST /v1/batches as a client writes it (defaults may be left out). */
export type BatchRequest = z.input<typeof batchRequestSchema>;
export type ScheduleRequest = z.input<typeof createScheduleSchema>;
export type DeviceRow = DeviceState;
export type OutcomeGroups = OutcomeGroupsJson;
export type ExecutionEvent = ExecutionEventData & { at?: string };
export type OutputEvent = OutputEventData & { at?: string };
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
/** `counts`, `end` and the head of `snapshot` on the live stream. */
export interface BatchHead {
  batch: Batch;
  progress: number;
}
