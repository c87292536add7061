// POST /v1/enroll: counts the key's use and finds or creates the machine's device in one transaction
// (src/db/queries/enrollment.ts), answers its new token and where its gateways are, and audits it as
// done by the key's owner through the key.
import { randomUUID } from 'node:crypto';
import { appendAudit } from '../../../db/queries/audit';
import { enrollDevice, type EnrollRefusal } from '../../../db/queries/enrollment';
import { hashToken, newToken } from '../../../security/secrets';
import { clientIp } from '../../client-ip';
import type { AppRouteHandler } from '../../context';
import { ApiError } from '../../errors';
import type { EnrollRoute } from './routes';

const REFUSALS: Record<EnrollRefusal, ApiError> = {
  unknown_key: new ApiError(401, 'enrollment_key_invalid', 'the enrollment key is not valid'),
  revoked: new ApiError(403, 'enrollment_key_revoked', 'this enrollment key was revoked: ask an operator for a new one'),
  expired: new ApiError(403, 'enrollment_key_expired', 'this enrollment key has expired: ask an operator for a new one'),
  used_up: new ApiError(403, 'enrollment_key_used_up', 'this enrollment key has been used as many times as it allows: ask an operator for a new one'),
  name_taken: new ApiError(409, 'conflict', 'another device already has this name: enroll with --name'),
};

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
    throw REFUSALS[outcome.refusal];
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
