// The agent's settings from its command line and environment: where the token comes from (a 0600 file,
// the environment, or --token with a warning), the device enrollment stored in the data folder, and what
// commands may see of the service environment. The rest is checked by loadAgentConfig.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError, loadAgentConfig, type AgentConfig } from '../config';
import type { ChildEnvOptions } from './child-env';
import { readEnrolledDevice } from './identity';
import { readTokenFile, TOKEN_FILE_NAME, TokenFileError } from './token-file';

type Env = Readonly<Record<string, string | undefined>>;

/** The data folder when none is given and the agent was enrolled (no device id to name it by). */
export const DEFAULT_DATA_DIR = path.join('.data', 'agent');

export interface AgentFlags {
  gateway?: string;
  deviceId?: string;
  token?: string;
  tokenFile?: string;
  dataDir?: string;
  ca?: string;
  allowCommand?: string[];
  allowFileDir?: string[];
  hideEnv?: string[];
  cleanEnv?: boolean;
}

export interface AgentSettings {
  config: AgentConfig;
  childEnv: ChildEnvOptions;
  /** To log once the logger exists. */
  warnings: string[];
}

const optional = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const envSchema = z.object({
  FLOTILLA_AGENT_TOKEN: optional,
  FLOTILLA_AGENT_TOKEN_FILE: optional,
  FLOTILLA_AGENT_DATA_DIR: optional,
  FLOTILLA_DEVICE_ID: optional,
  FLOTILLA_GATEWAY: optional,
  /** Variable names commands must not see, comma-separated. */
  FLOTILLA_HIDE_ENV: optional,
  FLOTILLA_CLEAN_ENV: z.enum(['true', 'false', '1', '0', '']).optional(),
  FLOTILLA_API_URL: optional,
  FLOTILLA_ENROLL_KEY: optional,
  FLOTILLA_CA_FILE: optional,
  /** Where the machine id is read (default /etc/machine-id); when absent, one is generated in the data folder. */
  FLOTILLA_MACHINE_ID_FILE: optional,
});

const names = (lists: readonly string[]): string[] => lists.flatMap((l) => l.split(',')).map((n) => n.trim()).filter((n) => n !== '');

/** Where the token comes from, first found wins: --token, --token-file, FLOTILLA_AGENT_TOKEN, FLOTILLA_AGENT_TOKEN_FILE, <data dir>/token. */
function resolveToken(flags: AgentFlags, e: z.infer<typeof envSchema>, dataDir: string, warnings: string[]): string | undefined {
  if (flags.token !== undefined) {
    warnings.push('--token puts the device token on the command line, where other local users can read it: use --token-file or FLOTILLA_AGENT_TOKEN');
    return flags.token;
  }
  const file = flags.tokenFile ?? (e.FLOTILLA_AGENT_TOKEN === undefined ? e.FLOTILLA_AGENT_TOKEN_FILE : undefined);
  if (file !== undefined) return readTokenFile(file);
  if (e.FLOTILLA_AGENT_TOKEN !== undefined) return e.FLOTILLA_AGENT_TOKEN;
  const stored = path.join(dataDir, TOKEN_FILE_NAME);
  try {
    return readTokenFile(stored);
  } catch (err) {
    // No token file is fine (loadAgentConfig names the missing token); a readable-by-others one is not.
    if (err instanceof TokenFileError && err.reason === 'exposed') throw err;
    return undefined;
  }
}

export function loadAgentSettings(flags: AgentFlags, env: Env): AgentSettings {
  const e = envSchema.parse(env);
  const warnings: string[] = [];
  const dataDir = flags.dataDir ?? e.FLOTILLA_AGENT_DATA_DIR;
  const enrolled = readEnrolledDevice(path.resolve(dataDir ?? DEFAULT_DATA_DIR));
  const deviceId = flags.deviceId ?? e.FLOTILLA_DEVICE_ID ?? enrolled?.deviceId;
  const explicitDevice = flags.deviceId !== undefined || e.FLOTILLA_DEVICE_ID !== undefined;
  const usedDataDir = dataDir ?? (enrolled && !explicitDevice ? DEFAULT_DATA_DIR : undefined);
  const token = resolveToken(flags, e, path.resolve(usedDataDir ?? DEFAULT_DATA_DIR), warnings);
  const config = loadAgentConfig(
    {
      gateway: flags.gateway ?? e.FLOTILLA_GATEWAY ?? (enrolled && enrolled.gatewayUrls.length > 0 ? enrolled.gatewayUrls.join(',') : undefined),
      deviceId,
      token,
      dataDir: usedDataDir,
      ca: flags.ca,
      allowCommand: flags.allowCommand,
      allowFileDir: flags.allowFileDir,
    },
    env,
  );
  const clean = flags.cleanEnv === true || e.FLOTILLA_CLEAN_ENV === 'true' || e.FLOTILLA_CLEAN_ENV === '1';
  return { config, childEnv: { hide: names([...(flags.hideEnv ?? []), e.FLOTILLA_HIDE_ENV ?? '']), clean }, warnings };
}

export interface EnrollFlags {
  url?: string;
  key?: string;
  name?: string;
  tags?: string[];
  dataDir?: string;
  ca?: string;
  machineIdFile?: string;
}

export interface EnrollSettings {
  apiUrl: string;
  key: string;
  name: string | undefined;
  tags: string[];
  dataDir: string;
  ca: string | undefined;
  machineIdFile: string | undefined;
  /** Already enrolled in this data folder: the device id. */
  enrolledDeviceId: string | undefined;
}

/** Enrollment settings when a key is given (flag or FLOTILLA_ENROLL_KEY), else undefined. */
export function loadEnrollSettings(flags: EnrollFlags, env: Env): EnrollSettings | undefined {
  const e = envSchema.parse(env);
  const key = flags.key ?? e.FLOTILLA_ENROLL_KEY;
  if (key === undefined) return undefined;
  const apiUrl = flags.url ?? e.FLOTILLA_API_URL;
  const problems: string[] = [];
  if (apiUrl === undefined || !/^https?:\/\/[^/]/.test(apiUrl)) problems.push('url: the API URL (--url or FLOTILLA_API_URL) must be an http:// or https:// URL');
  const tags = names(flags.tags ?? []);
  if (problems.length > 0) throw new ConfigError(problems);
  const dataDir = path.resolve(flags.dataDir ?? e.FLOTILLA_AGENT_DATA_DIR ?? DEFAULT_DATA_DIR);
  const caFile = flags.ca ?? e.FLOTILLA_CA_FILE;
  return {
    apiUrl: apiUrl!,
    key,
    name: flags.name,
    tags,
    dataDir,
    ca: caFile === undefined ? undefined : readFileSync(caFile, 'utf8'),
    machineIdFile: flags.machineIdFile ?? e.FLOTILLA_MACHINE_ID_FILE,
    enrolledDeviceId: readEnrolledDevice(dataDir)?.deviceId,
  };
}
