// GET /v1/agent/install.sh and /v1/agent/download: no bearer token. The script carries an enrollment
// key given as ?key= or X-Enrollment-Key (checked to be usable first); the agent file is public.
import { createRoute, z } from '@hono/zod-openapi';
import { errorSchema } from '../../schemas/common';

export const INSTALL_PATH = '/v1/agent/install.sh';
export const DOWNLOAD_PATH = '/v1/agent/download';

const error = (description: string) => ({ description, content: { 'application/json': { schema: errorSchema } } });

export const installSh = createRoute({
  method: 'get',
  path: INSTALL_PATH,
  operationId: 'getAgentInstallScript',
  tags: ['enrollment'],
  summary: 'A POSIX sh script that installs the agent as a systemd service and enrolls the machine with the key',
  request: {
    query: z.object({
      key: z.string().optional().openapi({ param: { name: 'key', in: 'query' }, description: 'the enrollment key the script enrolls with (or the X-Enrollment-Key header)' }),
    }),
    headers: z.object({ 'x-enrollment-key': z.string().optional() }),
  },
  responses: {
    200: { description: 'The script', content: { 'text/x-shellscript': { schema: z.string() } } },
    400: error('No key given'),
    401: error('The enrollment key is not valid'),
    403: error('The key was revoked, expired or used up'),
    503: error('The agent has not been built on this server (npm run build:agent)'),
  },
});

export const download = createRoute({
  method: 'get',
  path: DOWNLOAD_PATH,
  operationId: 'downloadAgent',
  tags: ['enrollment'],
  summary: 'The one-file agent (flotilla-agent.cjs, run with node 20+); its sha256 in X-Checksum-Sha256',
  responses: {
    200: { description: 'The agent', content: { 'application/javascript': { schema: z.string() } } },
    503: error('The agent has not been built on this server (npm run build:agent)'),
  },
});

export type InstallShRoute = typeof installSh;
export type DownloadRoute = typeof download;
