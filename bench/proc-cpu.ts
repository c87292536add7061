// CPU seconds spent per process during a benchmark phase, read from /proc (Linux; zeros elsewhere):
// this process (API, workflow worker, gateway, Temporal Core threads), its exited children (the simulated
// fleet, counted once it has exited), and the Temporal dev server.
import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

interface Times {
  self: number;
  children: number;
}

function readTimes(pid: number | 'self'): Times | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the ")" closing the command name: state is field 3, utime 14, stime 15, cutime 16, cstime 17.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
    return { self: (f[11]! + f[12]!) / TICKS_PER_SECOND, children: (f[13]! + f[14]!) / TICKS_PER_SECOND };
  } catch {
    return undefined;
  }
}

export interface CpuSeconds {
  node: number;
  fleet: number;
  temporal: number;
}

/** Starts counting; the returned function answers the CPU seconds since. */
export function startCpuCount(temporalPid: number | undefined): () => CpuSeconds {
  const at = { me: readTimes('self'), temporal: temporalPid ? readTimes(temporalPid) : undefined };
  return () => {
    const me = readTimes('self');
    const temporal = temporalPid ? readTimes(temporalPid) : undefined;
    const d = (a: number | undefined, b: number | undefined): number => (a === undefined || b === undefined ? 0 : Number((b - a).toFixed(2)));
    return { node: d(at.me?.self, me?.self), fleet: d(at.me?.children, me?.children), temporal: d(at.temporal?.self, temporal?.self) };
  };
}
