// Who this machine is, kept in the agent's data folder: the machine id enrollment sends (so enrolling
// the same machine again finds its device), and the device id and gateways enrollment answered.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const MACHINE_ID_FILE = 'machine-id';
const DEVICE_FILE = 'device.json';
const SYSTEM_MACHINE_ID = '/etc/machine-id';

const enrolledSchema = z.object({ deviceId: z.string().uuid(), gatewayUrls: z.array(z.string()).default([]) });
export type EnrolledDevice = z.infer<typeof enrolledSchema>;

function readTrimmed(file: string): string | undefined {
  try {
    const text = readFileSync(file, 'utf8').trim();
    return text === '' ? undefined : text;
  } catch {
    return undefined;
  }
}

function writeAtomic(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, file);
}

/** The system's machine id, else one generated once and kept in the data folder. */
export function machineId(dataDir: string, systemFile: string = SYSTEM_MACHINE_ID): string {
  const found = readTrimmed(systemFile) ?? readTrimmed(path.join(dataDir, MACHINE_ID_FILE));
  if (found) return found;
  const generated = randomBytes(16).toString('hex');
  writeAtomic(path.join(dataDir, MACHINE_ID_FILE), `${generated}\n`);
  return generated;
}

export function readEnrolledDevice(dataDir: string): EnrolledDevice | undefined {
  const file = path.join(dataDir, DEVICE_FILE);
  if (!existsSync(file)) return undefined;
  const parsed = enrolledSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  return parsed.success ? parsed.data : undefined;
}

export function writeEnrolledDevice(dataDir: string, device: EnrolledDevice): void {
  writeAtomic(path.join(dataDir, DEVICE_FILE), `${JSON.stringify(device)}\n`);
}
