// The environment commands and scripts start with, built on purpose: the agent's own variables (every
// FLOTILLA_*, the names it was told to hide, and any variable carrying its token) never reach them; the
// rest of the service's environment passes through unless the owner asked for a clean one. The step's
// own `env` is added on top by the runner.

/** The agent's own variables: configuration and, above all, its device token. */
const AGENT_PREFIX = 'FLOTILLA_';

/** With a clean environment, a command still finds the usual programs. */
const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface ChildEnvOptions {
  /** Further variable names to withhold (the `--hide-env` list). */
  hide?: readonly string[];
  /** Pass nothing through but PATH. */
  clean?: boolean;
  /** Secrets whose value must not appear in any variable passed on (the device token). */
  secrets?: readonly string[];
}

export function childEnvironment(service: Readonly<Record<string, string | undefined>>, opts: ChildEnvOptions = {}): Record<string, string> {
  const hidden = new Set(opts.hide ?? []);
  const secrets = (opts.secrets ?? []).filter((s) => s.length >= 8);
  if (opts.clean) return { PATH: service.PATH ?? DEFAULT_PATH };
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(service)) {
    if (value === undefined || name.toUpperCase().startsWith(AGENT_PREFIX) || hidden.has(name)) continue;
    if (secrets.some((s) => value.includes(s))) continue;
    env[name] = value;
  }
  return env;
}
