// What a gateway does with a session notice from elsewhere: a device that connected to another
// gateway, or whose credentials were revoked, loses its session here at once.
import type { SessionNotice } from '../db/session-notices';
import type { Logger } from '../logger';
import { CLOSE_CODES } from '../protocol/constants';
import type { GatewayCounters } from './counters';
import type { SessionRegistry } from './registry';

export interface NoticeContext {
  gatewayId: string;
  registry: SessionRegistry;
  counters: GatewayCounters;
  logger: Logger;
}

export function onSessionNotice(notice: SessionNotice, { gatewayId, registry, counters, logger }: NoticeContext): void {
  const local = registry.get(notice.deviceId);
  if (!local) return;
  if (notice.kind === 'moved') {
    if (notice.gatewayId === gatewayId || local.sessionId === notice.sessionId) return;
    counters.replaced += 1;
    local.close(CLOSE_CODES.replaced, 'replaced by a connection on another gateway');
    return;
  }
  counters.revoked += 1;
  logger.info({ deviceId: notice.deviceId, reason: notice.reason }, 'agent session revoked');
  if (notice.reason === 'token_rotated') local.close(CLOSE_CODES.tokenRotated, 'token_rotated');
  else local.close(CLOSE_CODES.deviceDeleted, 'device_deleted');
}
