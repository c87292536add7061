// POST /v1/enroll: a device enrolls itself. No bearer token: the enrollment key in the body is the
// credential. Answers the device's own agent token, shown only this once.
import { createRoute, z } from '@hono/zod-openapi';
import { deviceFactsSchema } from '../../../protocol/v1/messages';
import { errorSchema, jsonBody, jsonContent } from '../../schemas/common';
import { deviceNameSchema, tagsSchema } from '../../schemas/device';

export const ENROLL_PATH = '/v1/enroll';

export const enrollBody = z
  .object({
    key: z.string().min(16).max(256).describe('the enrollment key (fek_…), shown once when it was created'),
    /** /etc/machine-id, or an id the agent generated once and keeps: the same machine finds its device again. */
    machineId: z.string().trim().min(8).max(128).describe('/etc/machine-id, or an id the agent generated once and keeps: the same machine gets its device back'),
    name: deviceNameSchema,
    tags: tagsSchema.default([]),
    facts: deviceFactsSchema.describe('what the agent reports about the machine'),
  })
  .strict()
  .openapi('Enroll');

const error = (description: string) => ({ description, content: { 'application/json': { schema: errorSchema } } });

export const enroll = createRoute({
  method: 'post',
  path: ENROLL_PATH,
  operationId: 'enrollDevice',
  tags: ['enrollment'],
  summary: 'A device enrolls itself with an enrollment key; enrolling the same machine again returns its device with a new token',
  request: { body: jsonBody(enrollBody, 'The key, the machine and what the agent reports') },
  responses: {
    201: jsonContent(
      z.object({
        deviceId: z.uuid(),
        name: z.string(),
        token: z.string().openapi({ description: "the device's agent token, shown only this once" }),
        gatewayUrls: z.array(z.string()).openapi({ description: 'gateways the agent may connect to, tried in turn' }),
        reenrolled: z.boolean().openapi({ description: 'true when this machine had enrolled before: the same device, with a new token' }),
      }),
      'Enrolled',
    ),
    400: error('Invalid input'),
    401: error('The enrollment key is not valid (enrollment_key_invalid)'),
    403: error('The key was revoked, expired or used up (enrollment_key_revoked, _expired, _used_up)'),
    409: error('Another device of the key owner has this name'),
    413: error('Body too large'),
    429: error('Too many enrollment requests from this address (rate_limited); see Retry-After'),
  },
});

export type EnrollRoute = typeof enroll;
