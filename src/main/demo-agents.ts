// Local demo devices for the all-in-one: registered once (tag "demo", group "demo"), given a fresh agent
// token at every start (only its hash is stored), and run as real agent processes.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { eq, inArray } from 'drizzle-orm';
import type { Database } from '../db/client';
import { devices, groupMembers, groups } from '../db/schema';
import type { Logger } from '../logger';
import { hashToken, newToken } from '../security/secrets';

const ROOT = path.resolve(__dirname, '../..');

export interface DemoAgents {
  deviceIds: string[];
  stop(): Promise<void>;
}

async function registerDemoDevices(db: Database, count: number, owner: string): Promise<Array<{ id: string; token: string }>> {
  const names = Array.from({ length: count }, (_, i) => `demo-${i + 1}`);
  const existing = await db.select({ id: devices.id, name: devices.name }).from(devices).where(inArray(devices.name, names));
  const byName = new Map(existing.map((d) => [d.name, d.id]));
  const out: Array<{ id: string; token: string }> = [];
  for (const name of names) {
    const token = newToken('fla');
    let id = byName.get(name);
    if (id) {
      await db.update(devices).set({ tokenHash: hashToken(token), updatedAt: new Date() }).where(eq(devices.id, id));
    } else {
      id = randomUUID();
      await db.insert(devices).values({ id, name, tags: ['demo'], owner, tokenHash: hashToken(token) });
    }
    out.push({ id, token });
  }
  let [group] = await db.select({ id: groups.id }).from(groups).where(eq(groups.name, 'demo'));
  if (!group) {
    group = { id: randomUUID() };
    await db.insert(groups).values({ id: group.id, name: 'demo', owner });
  }
  await db
    .insert(groupMembers)
    .values(out.map((d) => ({ groupId: group.id, deviceId: d.id })))
    .onConflictDoNothing();
  return out;
}

export async function startDemoAgents(opts: {
  db: Database;
  count: number;
  owner: string;
  gatewayUrl: string;
  dataDir: string;
  logger: Logger;
}): Promise<DemoAgents> {
  const registered = await registerDemoDevices(opts.db, opts.count, opts.owner);
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
