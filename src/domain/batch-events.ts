// What the batch event log records and what the live stream sends. Pure values and types.

/** Rows of batch_events: a device's status change, the batch's status change, a chunk of live output. */
export const BATCH_EVENT_TYPES = ['execution', 'batch', 'output'] as const;
export type BatchEventType = (typeof BATCH_EVENT_TYPES)[number];

export const OUTPUT_STREAMS = ['stdout', 'stderr'] as const;
export type OutputStream = (typeof OUTPUT_STREAMS)[number];

/** NOTIFY channel: the payload is the batch id whose log grew. */
export const BATCH_EVENTS_CHANNEL = 'flotilla_batch_events';
