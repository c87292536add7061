// Opens the database: PostgreSQL when a URL is given, else embedded PGlite in the data folder.
// Both speak the same schema and migrations; callers see one Database type.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema';

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface DatabaseHandle {
  orm: Database;
  kind: 'postgres' | 'pglite';
  /** Runs fn for every NOTIFY on channel; resolves to an unsubscribe function. */
  listen(channel: string, fn: (payload: string) => void): Promise<() => Promise<void>>;
  notify(channel: string, payload: string): Promise<void>;
  /** Connections of the pool checked out and queries waiting for one (PGlite has no pool: zeros). */
  poolUsage(): { inUse: number; waiting: number };
  close(): Promise<void>;
}

export const MIGRATIONS_FOLDER = path.resolve(__dirname, '../../drizzle');

export interface OpenOptions {
  url: string | undefined;
  /** Where PGlite keeps its files when no URL is given. */
  dataDir: string;
  poolSize?: number;
  migrate?: boolean;
}

export async function openDatabase(opts: OpenOptions): Promise<DatabaseHandle> {
  const handle = opts.url ? await openPostgres(opts.url, opts.poolSize ?? 20) : await openPglite(opts.dataDir);
  if (opts.migrate ?? true) await migrateDatabase(handle);
  return handle;
}

async function openPostgres(url: string, poolSize: number): Promise<DatabaseHandle> {
  const { Pool } = await import('pg');
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const pool = new Pool({ connectionString: url, max: poolSize });
  // A dropped idle connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  const db = drizzle(pool, { schema }) as unknown as Database;
  const { PgListener } = await import('./pg-listener');
  const listener = new PgListener(url);
  return {
    orm: db,
    kind: 'postgres',
    listen: (channel, fn) => listener.listen(channel, fn),
    async notify(channel, payload) {
      await pool.query('SELECT pg_notify($1, $2)', [channel, payload]);
    },
    poolUsage: () => ({ inUse: pool.totalCount - pool.idleCount, waiting: pool.waitingCount }),
    async close() {
      await listener.close();
      await pool.end();
    },
  };
}

async function openPglite(dataDir: string): Promise<DatabaseHandle> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const dir = path.join(dataDir, 'pglite');
  mkdirSync(dir, { recursive: true });
  // pg_trgm backs output search (the migrations create the extension and its indexes).
  const client = new PGlite(dir, { extensions: { pg_trgm } });
  await client.waitReady;
  const db = drizzle(client, { schema }) as unknown as Database;
  return {
    orm: db,
    kind: 'pglite',
    async listen(channel, fn) {
      const unsub = await client.listen(channel, fn);
      return async () => unsub();
    },
    async notify(channel, payload) {
      await client.query('SELECT pg_notify($1, $2)', [channel, payload]);
    },
    poolUsage: () => ({ inUse: 0, waiting: 0 }),
    async close() {
      await client.close();
    },
  };
}

export async function migrateDatabase(handle: DatabaseHandle): Promise<void> {
  if (handle.kind === 'postgres') {
    const { migrate } = await import('drizzle-orm/node-postgres/migrator');
    await migrate(handle.orm as never, { migrationsFolder: MIGRATIONS_FOLDER });
  } else {
    const { migrate } = await import('drizzle-orm/pglite/migrator');
    await migrate(handle.orm as never, { migrationsFolder: MIGRATIONS_FOLDER });
  }
}
