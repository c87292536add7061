// The benchmarks' --dev-server and --dev-server-set flags: which settings the Temporal dev server they start runs with.
import { DEV_SERVER_TUNING, type DevServerTuning } from '../src/temporal/dev-server';

/** --dev-server default|none, plus --dev-server-set KEY=JSON (dynamic config) or pragma:NAME=VALUE on top. */
export function devServerTuning(name: string, set: string[]): DevServerTuning | 'none' | undefined {
  if (name !== 'default' && name !== 'none') throw new Error("--dev-server must be 'default' or 'none'");
  if (set.length === 0) return name === 'none' ? 'none' : undefined;
  const base = name === 'none' ? { dynamicConfig: {}, sqlitePragmas: {} } : DEV_SERVER_TUNING;
  const tuning: DevServerTuning = { dynamicConfig: { ...base.dynamicConfig }, sqlitePragmas: { ...base.sqlitePragmas } };
  for (const entry of set) {
    const eq = entry.indexOf('=');
    if (eq < 1) throw new Error(`--dev-server-set ${entry}: expected KEY=VALUE`);
    const [key, value] = [entry.slice(0, eq), entry.slice(eq + 1)];
    if (key.startsWith('pragma:')) tuning.sqlitePragmas[key.slice('pragma:'.length)] = value;
    else tuning.dynamicConfig[key] = JSON.parse(value) as number | boolean | string;
  }
  return tuning;
}
