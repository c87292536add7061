// The one place that reads the environment. Every process role parses what it needs here, once,
// with zod, and gets a typed, validated object; nothing else touches process.env.
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_MAX_FRAME_BYTES, HEARTBEAT_INTERVAL_MS } from './protocol/constants';
import { isValidVersion } from './agent-gateway/agent-version';
import { MAX_COMMAND_BYTES } from './protocol/v1/action';
import { MAX_CONCURRENCY } from './domain/batch';

type Env = Record<string, string | undefined>;

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

/** One setting: the environment variable it is read from and its schema (default, checks, conversion). */
interface Setting<S extends z.ZodType = z.ZodType> {
  variable: string;
  schema: S;
}
interface Settings {
  [key: string]: Setting | Settings;
}
/** The typed object a tree of settings parses to. */
type Parsed<T extends Settings> = { [K in keyof T]: T[K] extends Setting<infer S> ? z.output<S> : T[K] extends Settings ? Parsed<T[K]> : never };

const setting = <S extends z.ZodType>(variable: string, schema: S): Setting<S> => ({ variable, schema });
const isSetting = (s: Setting | Settings): s is Setting => typeof s.variable === 'string' && s.schema instanceof z.ZodType;

function variablesOf(settings: Settings): Setting[] {
  return Object.values(settings).flatMap((s) => (isSetting(s) ? [s] : variablesOf(s)));
}

function pick(settings: Settings, values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(settings).map(([key, s]) => [key, isSetting(s) ? values[s.variable] : pick(s, values)]));
}

/** Parses every setting of the tree from `vars` at once (all problems reported together). */
function parseSettings<T extends Settings>(settings: T, vars: Env): Parsed<T> {
  const schema = z.object(Object.fromEntries(variablesOf(settings).map((s) => [s.variable, s.schema])));
  return pick(settings, parse(schema, vars)) as Parsed<T>;
}

/** Temporal's usual frontend port. */
const TEMPORAL_PORT = 7233;
/** Where the API, worker and gateway find Temporal when TEMPORAL_ADDRESS is unset. */
export const DEFAULT_TEMPORAL_ADDRESS = `127.0.0.1:${TEMPORAL_PORT}`;

/** Gateway activity slots when FLOTILLA_GATEWAY_ACTIVITY_SLOTS is unset (the bench's reference uses it too). */
export const DEFAULT_GATEWAY_ACTIVITY_SLOTS = 2_000;

/** The server's settings: adding one here is the whole change (ServerConfig follows). */
const SERVER_SETTINGS = {
  temporal: {
    /** Unset: the all-in-one starts a dev server on devPort (Web UI on uiPort); other roles use DEFAULT_TEMPORAL_ADDRESS. */
    address: setting('TEMPORAL_ADDRESS', optionalString),
    namespace: setting('TEMPORAL_NAMESPACE', z.string().min(1).default('default')),
    cli: setting('TEMPORAL_CLI', optionalString),
    uiPort: setting('TEMPORAL_UI_PORT', port(8233)),
    devPort: setting('TEMPORAL_DEV_PORT', port(TEMPORAL_PORT)),
    /** The dev server's own Prometheus endpoint (npm start without TEMPORAL_ADDRESS). */
    devMetricsPort: setting('TEMPORAL_DEV_METRICS_PORT', port(9467)),
  },
  databaseUrl: setting('DATABASE_URL', optionalString),
  bindHost: setting('FLOTILLA_BIND_HOST', z.string().min(1).default('0.0.0.0')),
  publicHost: setting('FLOTILLA_PUBLIC_HOST', z.string().min(1).default('127.0.0.1')),
  apiPort: setting('FLOTILLA_API_PORT', port(8080)),
  gatewayPort: setting('FLOTILLA_GATEWAY_PORT', port(8081)),
  /** GET /metrics of a standalone worker process; 0 turns it off (the API serves /metrics on its own port). */
  workerMetricsPort: setting('FLOTILLA_WORKER_METRICS_PORT', port(9464)),
  /** GET /metrics of a standalone gateway process; 0 turns it off. */
  gatewayMetricsPort: setting('FLOTILLA_GATEWAY_METRICS_PORT', port(9465)),
  /** The Temporal SDK's own worker metrics (worker and gateway processes, one per process); 0 turns them off. */
  sdkMetricsPort: setting('FLOTILLA_SDK_METRICS_PORT', port(9466)),
  /** Unset: `<hostname>-<gateway port>`. */
  gatewayId: setting('FLOTILLA_GATEWAY_ID', optionalString),
  adminToken: setting(
    'FLOTILLA_ADMIN_TOKEN',
    optionalString.refine((v) => v === undefined || v.length >= 16, { message: 'FLOTILLA_ADMIN_TOKEN must be at least 16 characters' }),
  ),
  secretKey: setting(
    'FLOTILLA_SECRET_KEY',
    optionalString.refine((v) => v === undefined || /^[0-9a-f]{64}$/i.test(v), { message: 'FLOTILLA_SECRET_KEY must be 64 hex characters (32 bytes)' }),
  ),
  dataDir: setting('FLOTILLA_DATA_DIR', z.string().min(1).default('.data').transform((dir) => path.resolve(dir))),
  demoAgents: setting('FLOTILLA_DEMO_AGENTS', z.coerce.number().int().min(0).max(200).default(3)),
  logLevel: setting('FLOTILLA_LOG_LEVEL', z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info')),
  maxFrameBytes: setting('FLOTILLA_MAX_FRAME_BYTES', positiveInt(DEFAULT_MAX_FRAME_BYTES)),
  heartbeatMs: setting('FLOTILLA_HEARTBEAT_MS', positiveInt(HEARTBEAT_INTERVAL_MS)),
  /** Frames per second one agent connection may send (bursts up to twice that); beyond, it is closed. */
  agentMaxMessagesPerSec: setting('FLOTILLA_AGENT_MAX_MESSAGES_PER_SEC', positiveInt(500)),
  maxBodyBytes: setting('FLOTILLA_MAX_BODY_BYTES', positiveInt(1024 * 1024)),
  maxTargets: setting('FLOTILLA_MAX_TARGETS', positiveInt(10_000)),
  /** Largest file POST /v1/files stores. */
  maxFileBytes: setting('FLOTILLA_MAX_FILE_BYTES', positiveInt(50 * 1024 * 1024)),
  /** Device workflows in flight at once (all batches together) the workflow worker's slots, cache and pool are sized for. */
  maxWindow: setting('FLOTILLA_MAX_WINDOW', positiveInt(MAX_CONCURRENCY)),
  gatewayActivitySlots: setting('FLOTILLA_GATEWAY_ACTIVITY_SLOTS', positiveInt(DEFAULT_GATEWAY_ACTIVITY_SLOTS)),
  /** Behind a trusted reverse proxy: the audit log takes the client address from X-Forwarded-For. */
  trustProxy: setting('FLOTILLA_TRUST_PROXY', z.enum(['true', 'false', '1', '0']).default('false').transform((v) => v === 'true' || v === '1')),
  /** Idle event streams get a keep-alive comment this often. */
  sseHeartbeatMs: setting('FLOTILLA_SSE_HEARTBEAT_MS', positiveInt(15_000)),
  /** Live output chunks of a batch are kept this long after it ends (its results keep the output). */
  outputRetentionSec: setting('FLOTILLA_OUTPUT_RETENTION_SEC', z.coerce.number().int().min(0).default(3_600)),
  /** Largest command or script text a batch may carry, in bytes. */
  maxCommandBytes: setting(
    'FLOTILLA_MAX_COMMAND_BYTES',
    positiveInt(MAX_COMMAND_BYTES).refine((n) => n <= MAX_COMMAND_BYTES, {
      message: `FLOTILLA_MAX_COMMAND_BYTES must be at most the protocol's ceiling of ${MAX_COMMAND_BYTES} bytes`,
    }),
  ),
  /** Batches one user may have running at once. */
  maxRunningBatches: setting('FLOTILLA_MAX_RUNNING_BATCHES', positiveInt(50)),
  /** API requests per token per second; 0 turns the limit off. */
  rateLimitRps: setting('FLOTILLA_RATE_LIMIT_RPS', z.coerce.number().int().min(0).default(100)),
  maxAgentsPerGateway: setting('FLOTILLA_MAX_AGENTS_PER_GATEWAY', positiveInt(20_000)),
  /** Gateways refuse agents older than this (see src/agent-gateway/agent-version.ts). */
  minAgentVersion: setting(
    'FLOTILLA_MIN_AGENT_VERSION',
    optionalString.refine((v) => v === undefined || isValidVersion(v), 'must be a version such as 1.4.0'),
  ),
  /** POST /v1/enroll requests per client address per minute; 0 turns the limit off. */
  enrollRatePerMin: setting('FLOTILLA_ENROLL_RATE_PER_MIN', z.coerce.number().int().min(0).default(120)),
  /** PEM certificate and key files: the API serves https and the gateway wss. Unset: plain http and ws. */
  tls: { cert: setting('FLOTILLA_TLS_CERT', optionalString), key: setting('FLOTILLA_TLS_KEY', optionalString) },
};

type ServerSettings = Parsed<typeof SERVER_SETTINGS>;

/** The server's settings, with the gateway id defaulted and the TLS files read. */
export type ServerConfig = Omit<ServerSettings, 'gatewayId' | 'tls'> & { gatewayId: string; tls: TlsFiles | undefined };

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

function parse<T extends z.ZodType>(schema: T, vars: Env): z.infer<T> {
  const result = schema.safeParse(vars);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  return result.data;
}

export function loadServerConfig(vars: Env = process.env): ServerConfig {
  const settings = parseSettings(SERVER_SETTINGS, vars);
  return {
    ...settings,
    gatewayId: settings.gatewayId ?? `${hostname()}-${settings.gatewayPort}`,
    tls: readTlsFiles(settings.tls.cert, settings.tls.key),
  };
}

/** The Temporal frontend the API, worker and gateway connect to. */
export function temporalAddressOf(config: Pick<ServerConfig, 'temporal'>): string {
  return config.temporal.address ?? DEFAULT_TEMPORAL_ADDRESS;
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

/** A variable one role reads, with its schema; docs/configuration.md is checked against these. */
export interface ConfigVariable {
  variable: string;
  schema: z.ZodType;
}

/** Every variable each role reads: the server processes, the agent and the CLI. */
export function configVariables(): Record<'server' | 'agent' | 'cli', ConfigVariable[]> {
  const entries = (shape: Record<string, z.ZodType>): ConfigVariable[] => Object.entries(shape).map(([variable, schema]) => ({ variable, schema }));
  return { server: variablesOf(SERVER_SETTINGS), agent: entries(agentSchema.shape), cli: entries(cliSchema.shape) };
}
