// Every way the gateway refuses an agent's connection: the error frame's code it answers with, the
// close code it closes with, and the counter it adds to.
import { CLOSE_CODES, type CloseCode, type GatewayErrorCode } from '../protocol/constants';
import type { CounterName } from './counters';

export interface Rejection {
  errorCode: GatewayErrorCode;
  closeCode: CloseCode;
  /** null: not counted. */
  counter: CounterName | null;
}

export const REJECTIONS = {
  badFrame: { errorCode: 'bad_frame', closeCode: CLOSE_CODES.badFrame, counter: 'badFrames' },
  unsupportedVersion: { errorCode: 'unsupported_version', closeCode: CLOSE_CODES.unsupportedVersion, counter: 'unsupportedVersion' },
  unauthorized: { errorCode: 'unauthorized', closeCode: CLOSE_CODES.unauthorized, counter: 'rejectedAuth' },
  /** A frame naming an execution never dispatched to this device. */
  policyViolation: { errorCode: 'policy_violation', closeCode: CLOSE_CODES.policyViolation, counter: 'policyViolations' },
  rateLimited: { errorCode: 'rate_limited', closeCode: CLOSE_CODES.rateLimited, counter: 'rateLimited' },
  helloTimeout: { errorCode: 'hello_timeout', closeCode: CLOSE_CODES.heartbeatTimeout, counter: null },
  gatewayFull: { errorCode: 'gateway_full', closeCode: CLOSE_CODES.gatewayFull, counter: 'refusedFull' },
  /** An agent older than FLOTILLA_MIN_AGENT_VERSION: the message names the version to install. */
  agentTooOld: { errorCode: 'agent_too_old', closeCode: CLOSE_CODES.unsupportedVersion, counter: 'unsupportedVersion' },
} as const satisfies Record<string, Rejection>;

export type RejectionKind = keyof typeof REJECTIONS;
