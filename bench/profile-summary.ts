// Summarises V8 .cpuprofile files (node --cpu-prof): self time summed by function+file, or by package.
//   npx tsx bench/profile-summary.ts [--top N] [--by function|package] [--from S] [--to S] FILE.cpuprofile...
// --from/--to keep only samples between S seconds after the profile's start (e.g. to leave out start-up).
// On an overloaded machine a sample counts wall time the thread spent runnable, not CPU time.
// "package" groups by node_modules package, src/<dir>, bench, node internals, or a V8 pseudo-frame
// ((idle), (garbage collector), (program)). Percentages are of the profile's non-idle time.
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: CallFrame }>;
  samples: number[];
  timeDeltas: number[];
  startTime: number;
}

const ROOT = path.resolve(__dirname, '..');

function shortUrl(url: string): string {
  const file = url.replace(/^file:\/\//, '');
  const nm = file.lastIndexOf('/node_modules/');
  if (nm >= 0) return file.slice(nm + '/node_modules/'.length);
  return file.startsWith(ROOT) ? file.slice(ROOT.length + 1) : file;
}

function packageOf(frame: CallFrame): string {
  if (!frame.url) return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  if (frame.url.startsWith('node:')) return 'node:internals';
  const file = shortUrl(frame.url);
  if (file !== frame.url.replace(/^file:\/\//, '') && !file.startsWith('src/') && !file.startsWith('bench/')) {
    const parts = file.split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  const parts = file.split('/');
  return parts[0] === 'src' ? `src/${parts[1]}` : parts[0] === 'bench' ? 'bench' : file;
}

function keyOf(frame: CallFrame, by: 'function' | 'package'): string {
  if (by === 'package') return packageOf(frame);
  if (!frame.url) return frame.functionName || '(anonymous)';
  return `${frame.functionName || '(anonymous)'} ${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
}

/** Self time (ms) per key: each sample is charged the interval until the next one, as DevTools does. */
export function selfTimes(
  profile: CpuProfile,
  by: 'function' | 'package',
  range: { fromMs: number; toMs: number } = { fromMs: 0, toMs: Infinity },
): { total: number; idle: number; rows: Array<[string, number]> } {
  const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const sums = new Map<string, number>();
  let total = 0;
  let idle = 0;
  let at = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    at += (profile.timeDeltas[i] ?? 0) / 1000;
    if (at < range.fromMs || at > range.toMs) continue;
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const frame = frames.get(profile.samples[i]!);
    if (!frame) continue;
    total += ms;
    if (frame.functionName === '(idle)') idle += ms;
    const key = keyOf(frame, by);
    sums.set(key, (sums.get(key) ?? 0) + ms);
  }
  return { total, idle, rows: [...sums].sort((a, b) => b[1] - a[1]) };
}

function main(argv: string[]): void {
  let top = 25;
  let by: 'function' | 'package' = 'function';
  const range = { fromMs: 0, toMs: Infinity };
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--top') top = Number(argv[++i]);
    else if (a === '--by') by = argv[++i] === 'package' ? 'package' : 'function';
    else if (a === '--from') range.fromMs = Number(argv[++i]) * 1000;
    else if (a === '--to') range.toMs = Number(argv[++i]) * 1000;
    else files.push(a);
  }
  if (files.length === 0) throw new Error('usage: profile-summary.ts [--top N] [--by function|package] FILE.cpuprofile...');
  for (const file of files) {
    const { total, idle, rows } = selfTimes(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, by, range);
    const busy = total - idle;
    process.stdout.write(`${path.basename(file)}: ${(total / 1000).toFixed(1)} s profiled, ${(busy / 1000).toFixed(1)} s busy (not idle)\n`);
    for (const [key, ms] of rows.filter(([k]) => k !== '(idle)').slice(0, top)) {
      process.stdout.write(`  ${(ms / 1000).toFixed(2).padStart(7)} s ${((100 * ms) / busy).toFixed(1).padStart(5)}%  ${key}\n`);
    }
  }
}

// Run as a command, not when imported (the tests import selfTimes).
if (path.basename(process.argv[1] ?? '').startsWith('profile-summary')) main(process.argv.slice(2));
