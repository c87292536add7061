// Starts `temporal server start-dev` as a child process, with Flotilla's search attributes
// registered, and waits until its frontend answers.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTE_REGISTRATIONS } from '../workflows/definitions';

export interface DevServerOptions {
  cli?: string;
  ip?: string;
  port: number;
  uiPort: number;
  /** Temporal's own Prometheus endpoint (`--metrics-port`); unset: the CLI picks one. */
  metricsPort?: number;
  /** SQLite file for durable state; omitted means in-memory. */
  dbFile?: string;
  headless?: boolean;
  namespace?: string;
  log?: (line: string) => void;
  /** Server settings for one local node; DEV_SERVER_TUNING unless given ('none': Temporal's own defaults). */
  tuning?: DevServerTuning | 'none';
}

export interface DevServerTuning {
  /** `--dynamic-config-value KEY=JSON` (keys of the server the CLI embeds, go.temporal.io/server v1.29.1). */
  dynamicConfig: Record<string, number | boolean | string>;
  /** `--sqlite-pragma NAME=VALUE`, applied to a SQLite file only. */
  sqlitePragmas: Record<string, string>;
}

export const DEV_SERVER_TUNING: DevServerTuning = {
  dynamicConfig: {
    'matching.numTaskqueueReadPartitions': 1,
    'matching.numTaskqueueWritePartitions': 1,
    'history.enableHostLevelEventsCache': true,
  },
  sqlitePragmas: { cache_size: '-65536', mmap_size: '268435456' },
};

export interface DevServer {
  address: string;
  uiUrl: string | undefined;
  /** Temporal's Prometheus endpoint when a metrics port was given. */
  metricsUrl: string | undefined;
  process: ChildProcess;
  stop(): Promise<void>;
}

const ROOT = path.resolve(__dirname, '../..');

/** The Temporal CLI: TEMPORAL_CLI, PATH, or .tools/bin (built by scripts/install-temporal.sh). */
export function resolveTemporalCli(explicit?: string): string {
  if (explicit) return explicit;
  const local = path.join(ROOT, '.tools/bin/temporal');
  if (existsSync(local)) return local;
  try {
    return execFileSync('bash', [path.join(ROOT, 'scripts/install-temporal.sh')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    }).trim();
  } catch {
    throw new Error('Temporal CLI not found: run `npm run temporal:install` or set TEMPORAL_CLI');
  }
}

export async function startDevServer(opts: DevServerOptions): Promise<DevServer> {
  const ip = opts.ip ?? '127.0.0.1';
  const args = ['server', 'start-dev', '--ip', ip, '--port', String(opts.port), '--log-level', 'warn'];
  args.push('--namespace', opts.namespace ?? 'default');
  if (opts.metricsPort !== undefined) args.push('--metrics-port', String(opts.metricsPort));
  if (opts.headless) args.push('--headless');
  else args.push('--ui-port', String(opts.uiPort), '--ui-ip', ip);
  if (opts.dbFile) {
    // WAL with synchronous=NORMAL survives process crashes (what the dev server is for here) and
    // makes every history write several times cheaper than the default rollback journal.
    args.push('--db-filename', opts.dbFile, '--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal');
  }
  const tuning = opts.tuning === 'none' ? undefined : (opts.tuning ?? DEV_SERVER_TUNING);
  for (const [key, value] of Object.entries(tuning?.dynamicConfig ?? {})) args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  if (opts.dbFile) for (const [name, value] of Object.entries(tuning?.sqlitePragmas ?? {})) args.push('--sqlite-pragma', `${name}=${value}`);
  for (const sa of SEARCH_ATTRIBUTE_REGISTRATIONS) args.push('--search-attribute', `${sa.name}=${sa.type}`);
  const child = spawn(resolveTemporalCli(opts.cli), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const log = opts.log ?? (() => undefined);
  child.stdout?.on('data', (d: Buffer) => log(d.toString()));
  child.stderr?.on('data', (d: Buffer) => log(d.toString()));
  const address = `${ip}:${opts.port}`;
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`temporal dev server exited early (port ${opts.port})`);
    try {
      const conn = await Connection.connect({ address, connectTimeout: 1000 });
      await conn.workflowService.getSystemInfo({});
      await conn.close();
      break;
    } catch (err) {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`temporal dev server did not answer on ${address}: ${String(err)}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  return {
    address,
    uiUrl: opts.headless ? undefined : `http://${ip === '0.0.0.0' ? '127.0.0.1' : ip}:${opts.uiPort}`,
    metricsUrl: opts.metricsPort === undefined ? undefined : `http://${ip === '0.0.0.0' ? '127.0.0.1' : ip}:${opts.metricsPort}/metrics`,
    process: child,
    async stop() {
      if (exited) return;
      const done = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await done;
      clearTimeout(t);
    },
  };
}
