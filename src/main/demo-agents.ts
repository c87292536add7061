// Local demo devices for the all-in-one: registered once (tag "demo", group "demo"), given a fresh agent
// token at every start (only its hash is stored), and run as real agent processes.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Database } from '../db/client';
import { registerDemoDevices } from '../db/queries/demo-devices';
import type { Logger } from '../logger';
import { hashToken, newToken } from '../security/secrets';

const ROOT = path.resolve(__dirname, '../..');

export interface DemoAgents {
  deviceIds: string[];
  stop(): Promise<void>;
}

/** The demo devices, each with a fresh agent token (only its hash is stored). */
async function registerWithFreshTokens(db: Database, count: number, owner: string): Promise<Array<{ id: string; token: string }>> {
  const wanted = Array.from({ length: count }, (_, i) => ({ name: `demo-${i + 1}`, token: newToken('fla') }));
  const ids = await registerDemoDevices(
    db,
    owner,
    wanted.map((d) => ({ name: d.name, tokenHash: hashToken(d.token) })),
  );
  return wanted.map((d, i) => ({ id: ids[i]!, token: d.token }));
}

export async function startDemoAgents(opts: {
  db: Database;
  count: number;
  owner: string;
  gatewayUrl: string;
  dataDir: string;
  logger: Logger;
}): Promise<DemoAgents> {
  const registered = await registerWithFreshTokens(opts.db, opts.count, opts.owner);
  const children: ChildProcess[] = registered.map((d, i) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'src/main/agent.ts'), '--gateway', opts.gatewayUrl, '--device-id', d.id, '--data-dir', path.join(opts.dataDir, 'agents', `demo-${i + 1}`)],
      // The token travels by environment, not argv, so it does not show in process listings.
      { cwd: ROOT, env: { ...process.env, FLOTILLA_AGENT_TOKEN: d.token, FLOTILLA_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    child.on('exit', (code, signal) => {
      if (code !== 0 && signal !== 'SIGTERM') opts.logger.warn({ device: `demo-${i + 1}`, code, signal }, 'demo agent exited');
    });
    return child;
  });
  return {
    deviceIds: registered.map((d) => d.id),
    async stop() {
      await Promise.all(
        children.map(
          (c) =>
            new Promise<void>((resolve) => {
              if (c.exitCode !== null || c.signalCode !== null) return resolve();
              c.once('exit', () => resolve());
              c.kill('SIGTERM');
            }),
        ),
      );
    },
  };
}
