// A device enrolling itself: POST /v1/enroll with the key, this machine's id, its name, tags and facts.
// The device token answered goes to the token file (0600) and the device id and gateways to the data
// folder; the agent then connects with them. Network errors, 429 and 5xx are retried with the one
// backoff policy (429 waits at least its Retry-After); any other refusal ends with the server's message.
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from '../logger';
import { abortableSleep, Backoff, DEFAULT_BACKOFF } from './backoff';
import { collectFacts } from './facts';
import { machineId, writeEnrolledDevice } from './identity';
import { TOKEN_FILE_NAME, writeTokenFile } from './token-file';

export interface EnrollOptions {
  /** The API's base URL, e.g. https://flotilla.example.com. */
  apiUrl: string;
  key: string;
  /** Default: the hostname. */
  name?: string;
  tags: string[];
  dataDir: string;
  /** PEM of the CA that signed the API's certificate, when it is not a public one. */
  ca?: string;
  /** Default /etc/machine-id. */
  machineIdFile?: string;
  /** How many attempts before giving up on a server that keeps failing (default: 8). */
  maxAttempts?: number;
  signal?: AbortSignal;
}

export interface Enrolled {
  deviceId: string;
  name: string;
  gatewayUrls: string[];
  token: string;
  reenrolled: boolean;
}

/** The server refused the enrollment for good (bad, revoked, expired or used-up key, name taken). */
export class EnrollRefused extends Error {
  override readonly name = 'EnrollRefused';
}

interface Answer {
  status: number;
  body: unknown;
  retryAfterSec: number | undefined;
}

function post(url: URL, payload: unknown, ca: string | undefined): Promise<Answer> {
  const data = JSON.stringify(payload);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      url,
      { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) }, ca, timeout: 30_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            body = text;
          }
          const retryAfter = Number(res.headers['retry-after']);
          resolve({ status: res.statusCode ?? 0, body, retryAfterSec: Number.isFinite(retryAfter) ? retryAfter : undefined });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('no answer within 30s')));
    req.on('error', reject);
    req.end(data);
  });
}

const messageOf = (body: unknown): string => {
  const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
  return error?.message ? `${error.message} (${error.code ?? 'error'})` : JSON.stringify(body);
};

function isEnrolled(body: unknown): body is Omit<Enrolled, never> {
  const b = body as Partial<Enrolled> | undefined;
  return typeof b?.deviceId === 'string' && typeof b.token === 'string' && Array.isArray(b.gatewayUrls);
}

export async function enroll(opts: EnrollOptions, logger: Logger): Promise<Enrolled> {
  const url = new URL('/v1/enroll', opts.apiUrl);
  const payload = {
    key: opts.key,
    machineId: machineId(opts.dataDir, opts.machineIdFile),
    name: (opts.name ?? os.hostname()).slice(0, 100),
    tags: opts.tags,
    facts: collectFacts(),
  };
  const backoff = new Backoff(DEFAULT_BACKOFF);
  const maxAttempts = opts.maxAttempts ?? 8;
  for (let attempt = 1; ; attempt++) {
    let problem: string;
    let waitAtLeastMs = 0;
    try {
      const answer = await post(url, payload, opts.ca);
      if (answer.status === 201 && isEnrolled(answer.body)) {
        const enrolled = answer.body;
        writeTokenFile(path.join(opts.dataDir, TOKEN_FILE_NAME), enrolled.token);
        writeEnrolledDevice(opts.dataDir, { deviceId: enrolled.deviceId, gatewayUrls: enrolled.gatewayUrls });
        return enrolled;
      }
      problem = `the server answered ${answer.status}: ${messageOf(answer.body)}`;
      if (answer.status !== 429 && answer.status < 500) throw new EnrollRefused(`enrollment refused: ${messageOf(answer.body)}`);
      waitAtLeastMs = (answer.retryAfterSec ?? 0) * 1000;
    } catch (err) {
      if (err instanceof EnrollRefused) throw err;
      problem = err instanceof Error ? err.message : String(err);
    }
    if (attempt >= maxAttempts) throw new Error(`enrollment failed after ${attempt} attempts: ${problem}`);
    logger.warn({ attempt, api: url.origin }, `enrollment attempt failed (${problem}): retrying`);
    if (waitAtLeastMs > 0 && !(await abortableSleep(waitAtLeastMs, opts.signal))) throw new Error('enrollment aborted');
    if (!(await backoff.wait(opts.signal))) throw new Error('enrollment aborted');
  }
}
