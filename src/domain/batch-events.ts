// What the batch event log records and what the live stream sends. Pure values and types.
import type { OutputStream } from '../protocol/v1/reported';
import type { BatchStatus, ExecutionStatus } from './status';

/** Rows of batch_events: a device's status change, the batch's status change, a chunk of live output. */
export const BATCH_EVENT_TYPES = ['execution', 'batch', 'output'] as const;
export type BatchEventType = (typeof BATCH_EVENT_TYPES)[number];

/** Output comes from the streams the wire protocol names. */
export { OUTPUT_STREAMS, type OutputStream } from '../protocol/v1/reported';

export interface ExecutionEventData {
  executionId: string;
  deviceId: string;
  deviceName: string;
  seq: number;
  from: ExecutionStatus;
  to: ExecutionStatus;
  exitCode: number | null;
}

export interface BatchEventData {
  from: BatchStatus;
  to: BatchStatus;
}

export interface OutputEventData {
  executionId: string;
  deviceId: string;
  deviceName: string;
  stream: OutputStream;
  text: string;
}

/** An event's data as the live stream sends it: as logged, with when it was logged (ISO-8601). */
export type StreamedEventData<T> = T & { at: string };

/** NOTIFY channel: the payload is the batch id whose log grew. */
export const BATCH_EVENTS_CHANNEL = 'flotilla_batch_events';
