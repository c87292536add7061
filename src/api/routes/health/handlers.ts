// Health probes: `select 1` on the database, getSystemInfo on Temporal, each bounded in time.
import { pingDatabase } from '../../../db/queries/health';
import type { AppRouteHandler } from '../../context';
import type { HealthRoute } from './routes';

const TEMPORAL_DEADLINE_MS = 2_000;
const DATABASE_DEADLINE_MS = 2_000;

/** 'ok' when fn resolves within ms; a late failure is absorbed, never left unhandled. */
async function probe(fn: () => Promise<unknown>, ms: number): Promise<'ok' | 'error'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'error'>((resolve) => {
    timer = setTimeout(() => resolve('error'), ms);
  });
  const attempt = Promise.resolve()
    .then(fn)
    .then(
      () => 'ok' as const,
      () => 'error' as const,
    );
  try {
    return await Promise.race([attempt, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export const health: AppRouteHandler<HealthRoute> = async (c) => {
  const { db, temporal, logger } = c.var.deps;
  const connection = temporal.connection;
  const [database, temporalState] = await Promise.all([
    probe(() => pingDatabase(db.orm), DATABASE_DEADLINE_MS),
    probe(
      () => connection.withDeadline(Date.now() + TEMPORAL_DEADLINE_MS, () => connection.workflowService.getSystemInfo({})),
      TEMPORAL_DEADLINE_MS + 500,
    ),
  ]);
  const ok = database === 'ok' && temporalState === 'ok';
  const body = { status: ok ? ('ok' as const) : ('error' as const), api: 'ok' as const, database, temporal: temporalState };
  if (!ok) {
    logger.warn(body, 'health check failed');
    return c.json(body, 503);
  }
  return c.json(body, 200);
};
