// The relational model. Migrations in drizzle/ are generated from this file by drizzle-kit.
import { type SQL, sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  bigserial,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { DeviceFacts } from '../protocol/v1/messages';
import type { Role } from '../domain/roles';
import type { BatchRequest, StoredStrategy, StoredTargets } from '../domain/batch';
import type { OverlapPolicy, ScheduleSpecInput } from '../domain/schedule-spec';
import type { BatchEventType } from '../domain/batch-events';
import type { BatchPurpose, BatchStatus, ExecutionStatus, StepStatus } from '../domain/status';
import type { StoredAction } from '../domain/work';
import type { OutcomeNormalization } from '../domain/outcome';
import type { ActionType, StepMode } from '../protocol/v1/action';

/**
 * Outcome keys: md5 of status, exit code and both outputs, compared as they are (exact), with runs of
 * white space folded (whitespace), or also with runs of digits folded (digits, so uptimes and PIDs do not
 * split groups). Stored generated columns: PostgreSQL computes them as each row is written, so grouping
 * a batch's devices by outcome reads an index, never the outputs. The rules match src/domain/outcome.ts.
 */
function outcomeKey(normalize: OutcomeNormalization): SQL {
  const fold = (col: string): string => {
    const ws = `btrim(regexp_replace(coalesce(${col}, ''), '\\s+', ' ', 'g'))`;
    if (normalize === 'none') return `coalesce(${col}, '')`;
    return normalize === 'whitespace' ? ws : `regexp_replace(${ws}, '[0-9]+', '0', 'g')`;
  };
  return sql.raw(
    `md5(status || E'\\x1f' || coalesce(exit_code::text, '') || E'\\x1f' || ${fold('stdout')} || E'\\x1f' || ${fold('stderr')})`,
  );
}

/** PostgreSQL bytea; node-postgres answers a Buffer, PGlite a Uint8Array: both become a Buffer. */
const bytea = customType<{ data: Buffer; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => Buffer.from(v),
});

const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
};

export const devices = pgTable(
  'devices',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull(),
    hostname: text('hostname'),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    owner: text('owner').notNull(),
    /** sha256 of the agent token; the token itself is shown once and never stored. */
    tokenHash: text('token_hash').notNull(),
    facts: jsonb('facts').$type<DeviceFacts>(),
    online: boolean('online').notNull().default(false),
    /** Gateway holding the device's current session, and that session's id. */
    gatewayId: text('gateway_id'),
    sessionId: text('session_id'),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true, mode: 'date' }),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('devices_name_key').on(t.owner, t.name),
    index('devices_tags_idx').using('gin', t.tags),
    index('devices_created_idx').on(t.createdAt, t.id),
  ],
);

export const groups = pgTable(
  'groups',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull(),
    owner: text('owner').notNull(),
    ...timestamps,
  },
  (t) => [uniqueIndex('groups_name_key').on(t.owner, t.name), index('groups_created_idx').on(t.createdAt, t.id)],
);

export const groupMembers = pgTable(
  'group_members',
  {
    groupId: uuid('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    deviceId: uuid('device_id')
      .notNull()
      .references(() => devices.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.deviceId] }), index('group_members_device_idx').on(t.deviceId)],
);

export const batches = pgTable(
  'batches',
  {
    id: uuid('id').primaryKey(),
    owner: text('owner').notNull(),
    status: text('status').$type<BatchStatus>().notNull().default('running'),
    /** What runs on each device, in order (a request's single action is one step); env values sealed. */
    steps: jsonb('steps').$type<StoredAction[]>().notNull(),
    stepMode: text('step_mode').$type<StepMode>().notNull().default('sequential'),
    strategy: jsonb('strategy').$type<StoredStrategy>().notNull(),
    targets: jsonb('targets').$type<StoredTargets>().notNull(),
    targetCount: integer('target_count').notNull(),
    deliveryTimeoutSec: integer('delivery_timeout_sec').notNull(),
    deadlineSec: integer('deadline_sec'),
    workflowId: text('workflow_id').notNull(),
    idempotencyKey: text('idempotency_key'),
    /** sha256 of the request body, so a reused Idempotency-Key with another body is refused. */
    requestHash: text('request_hash'),
    /** The schedule whose run created this batch; no foreign key, past runs outlive their schedule. */
    scheduleId: uuid('schedule_id'),
    error: text('error'),
    /** `run`, or `health_check`: a wave's health check, run as a child of parentBatchId. */
    purpose: text('purpose').$type<BatchPurpose>().notNull().default('run'),
    parentBatchId: uuid('parent_batch_id').references((): AnyPgColumn => batches.id, { onDelete: 'cascade' }),
    /** The batch this one retries (its devices that ended in the chosen statuses). */
    retryOf: uuid('retry_of').references((): AnyPgColumn => batches.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }),
    completedAt: timestamp('completed_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    uniqueIndex('batches_idempotency_key').on(t.owner, t.idempotencyKey),
    index('batches_created_idx').on(t.createdAt, t.id),
    index('batches_status_idx').on(t.status, t.createdAt),
    index('batches_owner_idx').on(t.owner, t.createdAt, t.id),
    index('batches_parent_idx').on(t.parentBatchId),
    index('batches_retry_of_idx').on(t.retryOf),
    index('batches_schedule_idx').on(t.scheduleId),
  ],
);

export const executions = pgTable(
  'executions',
  {
    id: uuid('id').primaryKey(),
    batchId: uuid('batch_id')
      .notNull()
      .references(() => batches.id, { onDelete: 'cascade' }),
    /** No foreign key: a batch's history outlives the devices it ran on. */
    deviceId: uuid('device_id').notNull(),
    deviceName: text('device_name').notNull(),
    /** Position in the batch's stable target order, from 0. */
    seq: integer('seq').notNull(),
    status: text('status').$type<ExecutionStatus>().notNull().default('queued'),
    exitCode: integer('exit_code'),
    stdout: text('stdout'),
    stderr: text('stderr'),
    truncated: boolean('truncated').notNull().default(false),
    error: text('error'),
    /** When the command started and ended on the device (the agent's clock). */
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }),
    completedAt: timestamp('completed_at', { withTimezone: true, mode: 'date' }),
    dispatchedAt: timestamp('dispatched_at', { withTimezone: true, mode: 'date' }),
    gatewayId: text('gateway_id'),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    outcomeExact: text('outcome_exact').generatedAlwaysAs(outcomeKey('none')),
    outcomeWhitespace: text('outcome_whitespace').generatedAlwaysAs(outcomeKey('whitespace')),
    outcomeDigits: text('outcome_digits').generatedAlwaysAs(outcomeKey('digits')),
  },
  (t) => [
    uniqueIndex('executions_batch_seq_key').on(t.batchId, t.seq),
    uniqueIndex('executions_batch_device_key').on(t.batchId, t.deviceId),
    index('executions_batch_status_idx').on(t.batchId, t.status),
    index('executions_device_status_idx').on(t.deviceId, t.status),
    index('executions_outcome_exact_idx').on(t.batchId, t.outcomeExact, t.seq),
    index('executions_outcome_whitespace_idx').on(t.batchId, t.outcomeWhitespace, t.seq),
    index('executions_outcome_digits_idx').on(t.batchId, t.outcomeDigits, t.seq),
    // Output search (ILIKE '%text%'), case-insensitive, without reading every output: pg_trgm.
    index('executions_stdout_trgm_idx').using('gin', t.stdout.op('gin_trgm_ops')),
    index('executions_stderr_trgm_idx').using('gin', t.stderr.op('gin_trgm_ops')),
  ],
);

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull(),
    role: text('role').$type<Role>().notNull(),
    disabled: boolean('disabled').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('users_name_key').on(t.name), index('users_created_idx').on(t.createdAt, t.id)],
);

export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** sha256 of the token; the token itself is shown once and never stored. */
    tokenHash: text('token_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true, mode: 'date' }),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [uniqueIndex('api_tokens_hash_key').on(t.tokenHash), index('api_tokens_user_idx').on(t.userId, t.createdAt, t.id)],
);

/** Who did what, when and from where: one row per successful write through the API. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: uuid('id').primaryKey(),
    actorId: text('actor_id').notNull(),
    actorName: text('actor_name').notNull(),
    /** The API token used; null for the bootstrap admin token. */
    tokenId: uuid('token_id'),
    action: text('action').notNull(),
    resourceType: text('resource_type').notNull(),
    resourceId: text('resource_id'),
    method: text('method').notNull(),
    path: text('path').notNull(),
    status: integer('status').notNull(),
    clientIp: text('client_ip'),
    /** What the handler attached: command text and targets for batch starts; never env values or tokens. */
    details: jsonb('details').$type<Record<string, unknown>>(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('audit_log_created_idx').on(t.createdAt, t.id), index('audit_log_actor_idx').on(t.actorId, t.createdAt)],
);

/**
 * Append-only log of what happened to a batch, written by triggers on every execution and batch status
 * change (see the batch_events_triggers migration) and by the gateway for live output chunks. `tx` is the
 * writing transaction's id: readers take only rows of transactions older than every one still running,
 * in (tx, id) order, so a reader never skips a row that commits late (see db/queries/batch-events.ts).
 */
export const batchEvents = pgTable(
  'batch_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    batchId: uuid('batch_id')
      .notNull()
      .references(() => batches.id, { onDelete: 'cascade' }),
    tx: bigint('tx', { mode: 'number' })
      .notNull()
      .default(sql`(pg_current_xact_id()::text)::bigint`),
    type: text('type').$type<BatchEventType>().notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('batch_events_batch_position_idx').on(t.batchId, t.tx, t.id)],
);

export const schedules = pgTable(
  'schedules',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull(),
    owner: text('owner').notNull(),
    /** The spec as the client gave it; mapped to a Temporal ScheduleSpec when sent. */
    spec: jsonb('spec').$type<ScheduleSpecInput>().notNull(),
    timezone: text('timezone').notNull(),
    overlap: text('overlap').$type<OverlapPolicy>().notNull(),
    /** The POST /v1/batches body as given, env values redacted, for display. */
    batch: jsonb('batch').$type<BatchRequest>().notNull(),
    /** The whole body sealed under FLOTILLA_SECRET_KEY, for runs; null when the server has no key (then it has no env). */
    batchSealed: text('batch_sealed'),
    catchupWindowSec: integer('catchup_window_sec').notNull(),
    startAt: timestamp('start_at', { withTimezone: true, mode: 'date' }),
    endAt: timestamp('end_at', { withTimezone: true, mode: 'date' }),
    /** Temporal holds the live paused state and note; this copy rebuilds a lost Temporal schedule. */
    paused: boolean('paused').notNull().default(false),
    note: text('note'),
    temporalScheduleId: text('temporal_schedule_id').notNull(),
    /** Set before the Temporal schedule is deleted, so a crash mid-delete is finished, never undone. */
    deletedAt: timestamp('deleted_at', { withTimezone: true, mode: 'date' }),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('schedules_owner_name_key').on(t.owner, t.name),
    uniqueIndex('schedules_temporal_id_key').on(t.temporalScheduleId),
    index('schedules_created_idx').on(t.createdAt, t.id),
  ],
);

/** One row per run a schedule's workflow took: the batch it started, or why it could not start one. */
export const scheduleRuns = pgTable(
  'schedule_runs',
  {
    id: uuid('id').primaryKey(),
    scheduleId: uuid('schedule_id')
      .notNull()
      .references(() => schedules.id, { onDelete: 'cascade' }),
    /** The Temporal workflow id of the run (the schedule's workflow id plus the scheduled time). */
    workflowId: text('workflow_id').notNull(),
    batchId: uuid('batch_id').references(() => batches.id, { onDelete: 'set null' }),
    outcome: text('outcome').$type<'started' | 'failed'>().notNull(),
    error: text('error'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('schedule_runs_workflow_key').on(t.workflowId), index('schedule_runs_schedule_idx').on(t.scheduleId, t.createdAt, t.id)],
);

/** Each step's result of an execution; written with the execution's final status, in one transaction. */
export const executionSteps = pgTable(
  'execution_steps',
  {
    executionId: uuid('execution_id')
      .notNull()
      .references(() => executions.id, { onDelete: 'cascade' }),
    idx: integer('idx').notNull(),
    kind: text('kind').$type<ActionType>().notNull(),
    status: text('status').$type<StepStatus>().notNull(),
    exitCode: integer('exit_code'),
    stdout: text('stdout').notNull().default(''),
    stderr: text('stderr').notNull().default(''),
    truncated: boolean('truncated').notNull().default(false),
    error: text('error'),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }),
    completedAt: timestamp('completed_at', { withTimezone: true, mode: 'date' }),
    /** File steps: size and sha256 of what the agent wrote. */
    bytes: bigint('bytes', { mode: 'number' }),
    sha256: text('sha256'),
    outcomeExact: text('outcome_exact').generatedAlwaysAs(outcomeKey('none')),
    outcomeWhitespace: text('outcome_whitespace').generatedAlwaysAs(outcomeKey('whitespace')),
    outcomeDigits: text('outcome_digits').generatedAlwaysAs(outcomeKey('digits')),
  },
  (t) => [primaryKey({ columns: [t.executionId, t.idx] })],
);

/** Uploaded files that file steps push; the content lives in file_chunks. */
export const files = pgTable(
  'files',
  {
    id: uuid('id').primaryKey(),
    owner: text('owner').notNull(),
    name: text('name').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    sha256: text('sha256').notNull(),
    chunkSize: integer('chunk_size').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('files_created_idx').on(t.createdAt, t.id), index('files_owner_idx').on(t.owner, t.createdAt)],
);

export const fileChunks = pgTable(
  'file_chunks',
  {
    fileId: uuid('file_id')
      .notNull()
      .references(() => files.id, { onDelete: 'cascade' }),
    idx: integer('idx').notNull(),
    data: bytea('data').notNull(),
  },
  (t) => [primaryKey({ columns: [t.fileId, t.idx] })],
);

/**
 * Web console sign-ins: the sha256 of the session id in the HttpOnly cookie maps to the sha256 of the
 * API token signed in with, so every request is still judged by that token (a revoked token ends its
 * sessions). In PostgreSQL so that several API processes share them.
 */
export const consoleSessions = pgTable(
  'console_sessions',
  {
    idHash: text('id_hash').primaryKey(),
    tokenHash: text('token_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('console_sessions_expires_idx').on(t.expiresAt)],
);

export type BatchRow = typeof batches.$inferSelect;
export type UserRow = typeof users.$inferSelect;
export type AuditRow = typeof auditLog.$inferSelect;
export type ScheduleRow = typeof schedules.$inferSelect;
export type ScheduleRunRow = typeof scheduleRuns.$inferSelect;
export type ExecutionStepRow = typeof executionSteps.$inferSelect;
/** The generated outcome-key columns of executions and execution_steps (never written by the code). */
export type OutcomeColumn = 'outcomeExact' | 'outcomeWhitespace' | 'outcomeDigits';
export type FileRow = typeof files.$inferSelect;

/** Keys a device presents to enroll itself (POST /v1/enroll); the device belongs to the key's owner. */
export const enrollmentKeys = pgTable(
  'enrollment_keys',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull(),
    owner: text('owner').notNull(),
    /** sha256 of the key; the key itself is shown once and never stored. */
    keyHash: text('key_hash').notNull(),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    groupIds: uuid('group_ids').array().notNull().default(sql`'{}'::uuid[]`),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }),
    /** Null: unlimited. Every enrollment counts one use, atomically (uses < max_uses in the UPDATE). */
    maxUses: integer('max_uses'),
    uses: integer('uses').notNull().default(0),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('enrollment_keys_hash_key').on(t.keyHash), index('enrollment_keys_created_idx').on(t.createdAt, t.id)],
);

/** The machine behind an enrolled device: enrolling the same machine again finds its device. */
export const deviceMachines = pgTable(
  'device_machines',
  {
    owner: text('owner').notNull(),
    machineId: text('machine_id').notNull(),
    deviceId: uuid('device_id')
      .notNull()
      .references(() => devices.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.owner, t.machineId] }), uniqueIndex('device_machines_device_key').on(t.deviceId)],
);
