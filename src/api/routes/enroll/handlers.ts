// POST /v1/enroll: counts the key's use and finds or creates the machine's device in one transaction
// (src/db/queries/enrollment.ts), answers its new token and where its gateways are, and audits it as
// done by the key's owner through the key.
import { randomUUID } from 'node:crypto';
import { appendAudit } from '../../../db/queries/audit';
import { enrollDevice } from '../../../db/queries/enrollment';
import { hashToken, newToken } from '../../../security/secrets';
import { clientIp } from '../../client-ip';
import type { AppRouteHandler } from '../../context';
import { enrollRefusal } from './refusals';
import type { EnrollRoute } from './routes';

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
  if (!outcome.ok) {
    logger.warn({ refusal: outcome.refusal, clientIp: ip, machineId: body.machineId }, 'enrollment refused');
    throw enrollRefusal(outcome.refusal);
  }
  await appendAudit(db.orm, {
    id: randomUUID(),
    actorId: outcome.owner,
    actorName: `enrollment key ${outcome.keyName}`,
    tokenId: null,
    action: outcome.reenrolled ? 'device.reenroll' : 'device.enroll',
    resourceType: 'device',
    resourceId: outcome.deviceId,
    method: c.req.method,
    path: c.req.path,
    status: 201,
    clientIp: ip,
    details: { enrollmentKeyId: outcome.keyId, machineId: body.machineId, name: outcome.name },
  });
  const gatewayUrl = `${config.tls ? 'wss' : 'ws'}://${config.publicHost}:${config.gatewayPort}`;
  return c.json({ deviceId: outcome.deviceId, name: outcome.name, token, gatewayUrls: [gatewayUrl], reenrolled: outcome.reenrolled }, 201);
};
