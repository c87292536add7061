// Revocation: takes effect at once (authentication reads the token row on every request).
import { getToken, revokeToken } from '../../../db/queries/users';
import type { AppRouteHandler } from '../../context';
import { notFound } from '../../../domain/errors';
import type { RevokeRoute } from './routes';

export const revoke: AppRouteHandler<RevokeRoute> = async (c) => {
  const { id } = c.req.valid('param');
  const principal = c.var.principal;
  const token = await getToken(c.var.deps.db.orm, id);
  if (!token || (principal.role !== 'admin' && token.userId !== principal.id)) throw notFound('token', id);
  await revokeToken(c.var.deps.db.orm, id);
  c.set('audit', { action: 'token.revoke', details: { userId: token.userId } });
  return c.body(null, 204);
};
