// `flotilla schedules create` flags to the spec the API takes: exactly one of --cron, --daily HH:MM,
// --weekly DAYS@HH:MM, --monthly DAY@HH:MM (DAY 1..31 or last), --once ISO-8601. The API checks the values.
import { UsageError } from './parse';

export interface SpecFlags {
  cron?: string;
  daily?: string;
  weekly?: string;
  monthly?: string;
  once?: string;
}

function at(flag: string, raw: string): [string, string] {
  const [what, time] = raw.split('@');
  if (!what || !time) throw new UsageError(`${flag} takes WHAT@HH:MM, e.g. ${flag === '--weekly' ? 'mon,thu@02:00' : 'last@02:00'}`);
  return [what, time];
}

export function specFromFlags(flags: SpecFlags): Record<string, unknown> {
  const given = (['cron', 'daily', 'weekly', 'monthly', 'once'] as const).filter((k) => flags[k] !== undefined);
  if (given.length !== 1) throw new UsageError('give exactly one of --cron, --daily, --weekly, --monthly, --once');
  if (flags.cron !== undefined) return { cron: flags.cron };
  if (flags.daily !== undefined) return { daily: { time: flags.daily } };
  if (flags.once !== undefined) return { once: flags.once };
  if (flags.weekly !== undefined) {
    const [days, time] = at('--weekly', flags.weekly);
    return { weekly: { days: days.split(',').map((d) => d.trim().toLowerCase()), time } };
  }
  const [day, time] = at('--monthly', flags.monthly ?? '');
  return { monthly: { day: /^[0-9]+$/.test(day) ? Number(day) : day, time } };
}
