// Structured logs with pino. Secrets never reach a log line: known secret fields are redacted.
import pino, { type Logger } from 'pino';

export type { Logger };

const REDACT = [
  'token',
  'agentToken',
  'authorization',
  '*.token',
  '*.agentToken',
  '*.authorization',
  'headers.authorization',
  'env',
  '*.env',
  'action.env',
  '*.action.env',
];

/** Logs to stdout unless a destination is given (the benchmark logs to stderr: its stdout is its result). */
export function createLogger(name: string, level = 'info', destination?: pino.DestinationStream): Logger {
  const options = { name, level, redact: { paths: REDACT, censor: '[redacted]' }, base: { pid: process.pid } };
  return destination ? pino(options, destination) : pino(options);
}
