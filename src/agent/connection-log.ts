// What the agent says about a connection that failed or ended: certificate problems and the
// gateway's close codes are explained in one clear line each; everything else stays at debug.
import type { Logger } from '../logger';
import { CLOSE_CODES } from '../protocol/constants';
import { isCertificateError } from '../security/tls';

/** Close codes that need the operator's attention, and what the agent does about them. */
const EXPLAINED: Partial<Record<number, string>> = {
  [CLOSE_CODES.unsupportedVersion]: 'the gateway does not accept this agent version (its error names the one to install); retrying with backoff',
  [CLOSE_CODES.unauthorized]: 'the gateway refused this device token; retrying with backoff',
  [CLOSE_CODES.tokenRotated]: "this device's token was rotated: restart the agent with the new token",
  [CLOSE_CODES.deviceDeleted]: 'this device was deleted on the server',
  [CLOSE_CODES.gatewayFull]: 'the gateway holds its maximum of agents: trying another gateway later',
};

export function logConnectionError(logger: Logger, gatewayUrl: string, err: Error & { code?: string }): void {
  if (isCertificateError(err.code)) {
    logger.error(
      { gateway: gatewayUrl, code: err.code, err: err.message },
      'gateway TLS certificate rejected: pass the CA that signed it with --ca FILE (or FLOTILLA_CA_FILE); retrying with backoff',
    );
    return;
  }
  logger.debug({ gateway: gatewayUrl, err: err.message }, 'connection error');
}

export function logClosed(logger: Logger, code: number, reason: string, welcomed: boolean): void {
  const explained = EXPLAINED[code];
  if (explained) logger.warn({ code, reason }, `disconnected: ${explained}`);
  else if (welcomed || code >= 4000) logger.info({ code, reason }, 'disconnected');
}
