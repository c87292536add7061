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

export function createLogger(name: string, level = 'info'): Logger {
  return pino({ name, level, redact: { paths: REDACT, censor: '[redacted]' }, base: { pid: process.pid } });
}
