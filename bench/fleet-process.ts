// Starts bench/fleet.ts as one child process (through tsx) and waits until all its agents are welcomed.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FleetPlan } from './fleet';

const ROOT = path.resolve(__dirname, '..');

export interface Fleet {
  child: ChildProcess;
  stop(): Promise<void>;
}

export async function startFleet(plan: FleetPlan, timeoutMs: number): Promise<Fleet> {
  // Tokens go through a private temp file, never argv.
  const dir = mkdtempSync(path.join(tmpdir(), 'flotilla-fleet-'));
  const file = path.join(dir, 'plan.json');
  writeFileSync(file, JSON.stringify(plan), { mode: 0o600 });
  const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(__dirname, 'fleet.ts'), file], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    child.stdin?.end();
    const t = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(t);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`fleet: not all ${plan.devices.length} agents connected within ${timeoutMs} ms`)), timeoutMs);
      let buffered = '';
      child.stdout?.on('data', (d: Buffer) => {
        buffered += d.toString();
        if (buffered.includes(`connected ${plan.devices.length}\n`)) {
          clearTimeout(timer);
          resolve();
        }
      });
      void exited.then(() => {
        clearTimeout(timer);
        reject(new Error('fleet process exited before connecting'));
      });
    });
  } catch (err) {
    await stop();
    throw err;
  }
  return { child, stop };
}
