// The one place that reads the environment. Every process role parses what it needs here, once,
// with zod, and gets a typed, validated object; nothing else touches process.env.
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { isValidVersion } from './agent-gateway/agent-version';
import { MAX_COMMAND_BYTES } from './protocol/v1/action';

type Env = Record<string, string | undefined>;

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const serverSchema = z.object({
  TEMPORAL_ADDRESS: optionalString,
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_CLI: optionalString,
  TEMPORAL_UI_PORT: port(8233),
  TEMPORAL_DEV_PORT: port(7233),
  DATABASE_URL: optionalString,
  FLOTILLA_BIND_HOST: z.string().min(1).default('0.0.0.0'),
  FLOTILLA_PUBLIC_HOST: z.string().min(1).default('127.0.0.1'),
  FLOTILLA_API_PORT: port(8080),
  FLOTILLA_GATEWAY_PORT: port(8081),
  FLOTILLA_GATEWAY_ID: optionalString,
  FLOTILLA_ADMIN_TOKEN: optionalString.refine((v) => v === undefined || v.length >= 16, {
    message: 'FLOTILLA_ADMIN_TOKEN must be at least 16 characters',
  }),
  FLOTILLA_SECRET_KEY: optionalString.refine((v) => v === undefined || /^[0-9a-f]{64}$/i.test(v), {
    message: 'FLOTILLA_SECRET_KEY must be 64 hex characters (32 bytes)',
  }),
  FLOTILLA_DATA_DIR: z.string().min(1).default('.data'),
  FLOTILLA_DEMO_AGENTS: z.coerce.number().int().min(0).max(200).default(3),
  FLOTILLA_LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  FLOTILLA_MAX_FRAME_BYTES: positiveInt(8 * 1024 * 1024),
  FLOTILLA_HEARTBEAT_MS: positiveInt(10_000),
  FLOTILLA_AGENT_MAX_MESSAGES_PER_SEC: positiveInt(500),
  FLOTILLA_MAX_BODY_BYTES: positiveInt(1024 * 1024),
  FLOTILLA_MAX_TARGETS: positiveInt(10_000),
  FLOTILLA_MAX_FILE_BYTES: positiveInt(50 * 1024 * 1024),
  FLOTILLA_GATEWAY_ACTIVITY_SLOTS: positiveInt(2_000),
  FLOTILLA_TRUST_PROXY: z.enum(['true', 'false', '1', '0']).default('false'),
  FLOTILLA_SSE_HEARTBEAT_MS: positiveInt(15_000),
  FLOTILLA_OUTPUT_RETENTION_SEC: z.coerce.number().int().min(0).default(3_600),
  FLOTILLA_MAX_COMMAND_BYTES: positiveInt(MAX_COMMAND_BYTES).refine((n) => n <= MAX_COMMAND_BYTES, {
    message: `FLOTILLA_MAX_COMMAND_BYTES must be at most the protocol's ceiling of ${MAX_COMMAND_BYTES} bytes`,
  }),
  FLOTILLA_MAX_RUNNING_BATCHES: positiveInt(50),
  FLOTILLA_RATE_LIMIT_RPS: z.coerce.number().int().min(0).default(100),
  FLOTILLA_MAX_AGENTS_PER_GATEWAY: positiveInt(20_000),
  FLOTILLA_ENROLL_RATE_PER_MIN: z.coerce.number().int().min(0).default(120),
  FLOTILLA_MIN_AGENT_VERSION: optionalString.refine((v) => v === undefined || isValidVersion(v), 'must be a version such as 1.4.0'),
  FLOTILLA_TLS_CERT: optionalString,
  FLOTILLA_TLS_KEY: optionalString,
});

export interface ServerConfig {
  /** address unset: the all-in-one starts a dev server on devPort (Web UI on uiPort). */
  temporal: { address: string | undefined; namespace: string; cli: string | undefined; uiPort: number; devPort: number };
  databaseUrl: string | undefined;
  bindHost: string;
  publicHost: string;
  apiPort: number;
  gatewayPort: number;
  gatewayId: string;
  adminToken: string | undefined;
  secretKey: string | undefined;
  dataDir: string;
  demoAgents: number;
  logLevel: string;
  maxFrameBytes: number;
  heartbeatMs: number;
  /** Frames per second one agent connection may send (bursts up to twice that); beyond, it is closed. */
  agentMaxMessagesPerSec: number;
  maxBodyBytes: number;
  /** Largest file POST /v1/files stores. */
  maxFileBytes: number;
  maxTargets: number;
  gatewayActivitySlots: number;
  /** Behind a trusted reverse proxy: the audit log takes the client address from X-Forwarded-For. */
  trustProxy: boolean;
  /** Idle event streams get a keep-alive comment this often. */
  sseHeartbeatMs: number;
  /** Live output chunks of a batch are kept this long after it ends (its results keep the output). */
  outputRetentionSec: number;
  /** Largest command or script text a batch may carry, in bytes. */
  maxCommandBytes: number;
  /** Batches one user may have running at once. */
  maxRunningBatches: number;
  /** API requests per token per second; 0 turns the limit off. */
  rateLimitRps: number;
  maxAgentsPerGateway: number;
  /** Gateways refuse agents older than this (see src/agent-gateway/agent-version.ts). */
  minAgentVersion: string | undefined;
  /** POST /v1/enroll requests per client address per minute; 0 turns the limit off. */
  enrollRatePerMin: number;
  /** PEM certificate and key: the API serves https and the gateway wss. Unset: plain http and ws. */
  tls: TlsFiles | undefined;
}

export interface TlsFiles {
  cert: string;
  key: string;
}

export class ConfigError extends Error {
  constructor(issues: string[]) {
    super(`invalid configuration:\n  ${issues.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

function parse<T extends z.ZodType>(schema: T, env: Env): z.infer<T> {
  const result = schema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  return result.data;
}

export function loadServerConfig(env: Env = process.env): ServerConfig {
  const e = parse(serverSchema, env);
  return {
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      cli: e.TEMPORAL_CLI,
      uiPort: e.TEMPORAL_UI_PORT,
      devPort: e.TEMPORAL_DEV_PORT,
    },
    databaseUrl: e.DATABASE_URL,
    bindHost: e.FLOTILLA_BIND_HOST,
    publicHost: e.FLOTILLA_PUBLIC_HOST,
    apiPort: e.FLOTILLA_API_PORT,
    gatewayPort: e.FLOTILLA_GATEWAY_PORT,
    gatewayId: e.FLOTILLA_GATEWAY_ID ?? `${hostname()}-${e.FLOTILLA_GATEWAY_PORT}`,
    adminToken: e.FLOTILLA_ADMIN_TOKEN,
    secretKey: e.FLOTILLA_SECRET_KEY,
    dataDir: path.resolve(e.FLOTILLA_DATA_DIR),
    demoAgents: e.FLOTILLA_DEMO_AGENTS,
    logLevel: e.FLOTILLA_LOG_LEVEL,
    maxFrameBytes: e.FLOTILLA_MAX_FRAME_BYTES,
    heartbeatMs: e.FLOTILLA_HEARTBEAT_MS,
    agentMaxMessagesPerSec: e.FLOTILLA_AGENT_MAX_MESSAGES_PER_SEC,
    maxBodyBytes: e.FLOTILLA_MAX_BODY_BYTES,
    maxTargets: e.FLOTILLA_MAX_TARGETS,
    maxFileBytes: e.FLOTILLA_MAX_FILE_BYTES,
    gatewayActivitySlots: e.FLOTILLA_GATEWAY_ACTIVITY_SLOTS,
    trustProxy: e.FLOTILLA_TRUST_PROXY === 'true' || e.FLOTILLA_TRUST_PROXY === '1',
    sseHeartbeatMs: e.FLOTILLA_SSE_HEARTBEAT_MS,
    outputRetentionSec: e.FLOTILLA_OUTPUT_RETENTION_SEC,
    maxCommandBytes: e.FLOTILLA_MAX_COMMAND_BYTES,
    maxRunningBatches: e.FLOTILLA_MAX_RUNNING_BATCHES,
    rateLimitRps: e.FLOTILLA_RATE_LIMIT_RPS,
    maxAgentsPerGateway: e.FLOTILLA_MAX_AGENTS_PER_GATEWAY,
    minAgentVersion: e.FLOTILLA_MIN_AGENT_VERSION,
    enrollRatePerMin: e.FLOTILLA_ENROLL_RATE_PER_MIN,
    tls: readTlsFiles(e.FLOTILLA_TLS_CERT, e.FLOTILLA_TLS_KEY),
  };
}

/** Reads a PEM file named by a variable, or fails naming the variable. */
function readPem(variable: string, file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError([`${variable}: cannot read ${file} (${err instanceof Error ? err.message : String(err)})`]);
  }
}

function readTlsFiles(cert: string | undefined, key: string | undefined): TlsFiles | undefined {
  if (cert === undefined && key === undefined) return undefined;
  if (cert === undefined || key === undefined) {
    throw new ConfigError(['FLOTILLA_TLS_CERT and FLOTILLA_TLS_KEY must be set together (PEM files)']);
  }
  return { cert: readPem('FLOTILLA_TLS_CERT', cert), key: readPem('FLOTILLA_TLS_KEY', key) };
}

const agentSchema = z.object({
  FLOTILLA_GATEWAY: optionalString,
  FLOTILLA_DEVICE_ID: optionalString,
  FLOTILLA_AGENT_TOKEN: optionalString,
  FLOTILLA_AGENT_DATA_DIR: optionalString,
  FLOTILLA_CA_FILE: optionalString,
  /** Command patterns, one per line. */
  FLOTILLA_ALLOW_COMMANDS: optionalString,
  /** Folders for file pushes, separated like PATH. */
  FLOTILLA_ALLOW_FILE_DIRS: optionalString,
  FLOTILLA_LOG_LEVEL: z.string().default('info'),
});

const regexSource = z.string().refine((s) => {
  try {
    new RegExp(s);
    return true;
  } catch {
    return false;
  }
}, 'must be a valid regular expression');

export interface AgentConfig {
  /** Gateways to connect to, tried in turn after each lost session (failover). */
  gatewayUrls: string[];
  deviceId: string;
  token: string;
  dataDir: string;
  /** PEM of the CA that signed the gateway's certificate, when it is not a public one. */
  ca: string | undefined;
  logLevel: string;
  /** Set: a command (or script body) runs only when one pattern matches all of it. Unset: anything runs. */
  allowCommands: string[] | undefined;
  /** Set: file pushes only inside these folders (after resolving `..` and symlinks). */
  allowFileDirs: string[] | undefined;
}

export interface AgentFlags {
  gateway?: string;
  deviceId?: string;
  token?: string;
  dataDir?: string;
  ca?: string;
  allowCommand?: string[];
  allowFileDir?: string[];
}

const nonEmpty = (list: string[]): string[] | undefined => (list.length > 0 ? list : undefined);
const splitList = (text: string | undefined, sep: string): string[] => (text ?? '').split(sep).filter((s) => s.trim() !== '');

/** Agent settings: command-line flags win over FLOTILLA_* environment variables. */
export function loadAgentConfig(flags: AgentFlags, env: Env = process.env): AgentConfig {
  const e = parse(agentSchema, env);
  const raw = {
    gatewayUrl: flags.gateway ?? e.FLOTILLA_GATEWAY,
    deviceId: flags.deviceId ?? e.FLOTILLA_DEVICE_ID,
    token: flags.token ?? e.FLOTILLA_AGENT_TOKEN,
    dataDir: flags.dataDir ?? e.FLOTILLA_AGENT_DATA_DIR,
    allowCommands: nonEmpty(flags.allowCommand ?? []) ?? nonEmpty(splitList(e.FLOTILLA_ALLOW_COMMANDS, '\n')),
    allowFileDirs: nonEmpty(flags.allowFileDir ?? []) ?? nonEmpty(splitList(e.FLOTILLA_ALLOW_FILE_DIRS, path.delimiter)),
  };
  const schema = z.object({
    gatewayUrl: z
      .string()
      .transform((s) => s.split(',').map((u) => u.trim()).filter((u) => u !== ''))
      .pipe(z.array(z.string().regex(/^wss?:\/\//, 'must be ws:// or wss:// URLs, comma-separated')).min(1)),
    deviceId: z.string().uuid(),
    token: z.string().min(16),
    dataDir: z.string().min(1).optional(),
    allowCommands: z.array(regexSource).optional(),
    allowFileDirs: z.array(z.string().min(1)).optional(),
  });
  const checked = schema.safeParse(raw);
  if (!checked.success) {
    throw new ConfigError(checked.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`));
  }
  const v = checked.data;
  return {
    gatewayUrls: v.gatewayUrl,
    deviceId: v.deviceId,
    token: v.token,
    dataDir: path.resolve(v.dataDir ?? path.join('.data', 'agent', v.deviceId)),
    ca: readCa(flags.ca ?? e.FLOTILLA_CA_FILE),
    logLevel: e.FLOTILLA_LOG_LEVEL,
    allowCommands: v.allowCommands,
    allowFileDirs: v.allowFileDirs?.map((d) => path.resolve(d)),
  };
}

function readCa(file: string | undefined): string | undefined {
  return file === undefined ? undefined : readPem('FLOTILLA_CA_FILE', file);
}

const cliSchema = z.object({
  FLOTILLA_API_URL: z.string().url().default('http://127.0.0.1:8080'),
  FLOTILLA_CA_FILE: optionalString,
  FLOTILLA_TOKEN: optionalString,
  FLOTILLA_ADMIN_TOKEN: optionalString,
  FLOTILLA_DATA_DIR: z.string().min(1).default('.data'),
});

/** The file in the data folder where the all-in-one keeps its generated admin token. */
export const ADMIN_TOKEN_FILE = 'admin-token';

export interface CliConfig {
  apiUrl: string;
  token: string | undefined;
  /** PEM of the CA that signed the API's certificate, when it is not a public one. */
  ca?: string;
}

/** Token from FLOTILLA_TOKEN or FLOTILLA_ADMIN_TOKEN, else the one the all-in-one wrote to its data folder. */
export function loadCliConfig(env: Env = process.env): CliConfig {
  const e = parse(cliSchema, env);
  const tokenFile = path.resolve(e.FLOTILLA_DATA_DIR, ADMIN_TOKEN_FILE);
  const fromFile = existsSync(tokenFile) ? readFileSync(tokenFile, 'utf8').trim() || undefined : undefined;
  return {
    apiUrl: e.FLOTILLA_API_URL.replace(/\/$/, ''),
    token: e.FLOTILLA_TOKEN ?? e.FLOTILLA_ADMIN_TOKEN ?? fromFile,
    ca: readCa(e.FLOTILLA_CA_FILE),
  };
}
