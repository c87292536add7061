// POST /v1/enroll: counts the key's use and finds or creates the machine's device in one transaction
// (src/db/queries/enrollment.ts), answers its new token and where its gateways are, and audits it as
// done by the key's owner through the key (refusals too).
import { randomUUID } from 'node:crypto';
import { appendAudit } from '../../../db/queries/audit';
import { enrollDevice } from '../../../db/queries/enrollment';
import { hashToken, newToken } from '../../../security/secrets';
import { clientIp } from '../../client-ip';
import type { AppRouteHandler } from '../../context';
import { enrollRefusal } from './refusals';
import type { EnrollRoute } from './routes';

/** The audit actor of an enrollment with a key that does not exist. */
const UNKNOWN_ACTOR = 'unknown';

export const enroll: AppRouteHandler<EnrollRoute> = async (c) => {
  const { db, config, logger } = c.var.deps;
  const body = c.req.valid('json');
  const token = newToken('fla');
  const outcome = await enrollDevice(db.orm, {
    keyHash: hashToken(body.key),
    machineId: body.machineId,
    name: body.name,
    tags: body.tags,
    facts: body.facts,
    tokenHash: hashToken(token),
    newDeviceId: randomUUID(),
  });
  const ip = clientIp(c, config.trustProxy);
  const refused = outcome.ok ? undefined : enrollRefusal(outcome.refusal);
  // Refusals are audited too (under the key's owner when the key exists): a stolen or stale key shows up.
  await appendAudit(db.orm, {
    id: randomUUID(),
    actorId: outcome.owner ?? UNKNOWN_ACTOR,
    actorName: outcome.keyName ? `enrollment key ${outcome.keyName}` : 'unknown enrollment key',
    tokenId: null,
    action: outcome.ok && outcome.reenrolled ? 'device.reenroll' : 'device.enroll',
    resourceType: 'device',
    resourceId: outcome.ok ? outcome.deviceId : null,
    method: c.req.method,
    path: c.req.path,
    status: refused ? refused.status : 201,
    clientIp: ip,
    details: { enrollmentKeyId: outcome.keyId ?? null, machineId: body.machineId, name: outcome.ok ? outcome.name : body.name, ...(outcome.ok ? {} : { refusal: outcome.refusal }) },
  });
  if (!outcome.ok) {
    logger.warn({ refusal: outcome.refusal, clientIp: ip, machineId: body.machineId }, 'enrollment refused');
    throw refused;
  }
  const gatewayUrl = `${config.tls ? 'wss' : 'ws'}://${config.publicHost}:${config.gatewayPort}`;
  return c.json({ deviceId: outcome.deviceId, name: outcome.name, token, gatewayUrls: [gatewayUrl], reenrolled: outcome.reenrolled }, 201);
};
