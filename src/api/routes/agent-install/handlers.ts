// The install script (with the checked key and the agent's sha256 written in) and the agent file.
import { findEnrollmentKeyByHash, keyStatus } from '../../../db/queries/enrollment-keys';
import { hashToken } from '../../../security/secrets';
import type { AppRouteHandler } from '../../context';
import { DomainError } from '../../../domain/errors';
import { enrollRefusal } from '../enroll/refusals';
import { agentArtifact } from './artifact';
import { installScript } from './install-script';
import type { DownloadRoute, InstallShRoute } from './routes';

const notBuilt = (): DomainError => new DomainError(503, 'agent_not_built', 'the agent has not been built on this server: run npm run build:agent');

/** What the script may carry verbatim: an enrollment key is base64url after its prefix. */
const KEY_SHAPE = /^[A-Za-z0-9_-]{16,256}$/;

export const installSh: AppRouteHandler<InstallShRoute> = async (c) => {
  const key = c.req.valid('query').key ?? c.req.valid('header')['x-enrollment-key'];
  if (!key) throw new DomainError(400, 'validation_error', 'give the enrollment key as ?key= or an X-Enrollment-Key header');
  if (!KEY_SHAPE.test(key)) throw enrollRefusal('unknown_key');
  const found = await findEnrollmentKeyByHash(c.var.deps.db.orm, hashToken(key));
  if (!found) throw enrollRefusal('unknown_key');
  const status = keyStatus(found, new Date());
  if (status !== 'active') throw enrollRefusal(status === 'used_up' ? 'used_up' : status);
  const artifact = await agentArtifact();
  if (!artifact) throw notBuilt();
  const apiUrl = new URL(c.req.url).origin;
  return c.body(installScript({ apiUrl, enrollKey: key, sha256: artifact.sha256 }), 200, {
    'content-type': 'text/x-shellscript; charset=utf-8',
    'cache-control': 'no-store',
  });
};

export const download: AppRouteHandler<DownloadRoute> = async (c) => {
  const artifact = await agentArtifact();
  if (!artifact) throw notBuilt();
  return c.body(new Uint8Array(artifact.data), 200, {
    'content-type': 'application/javascript',
    'content-disposition': 'attachment; filename="flotilla-agent.cjs"',
    'x-checksum-sha256': artifact.sha256,
  });
};
