// A schedule spec in words ("every Monday and Thursday at 02:00"), for people reading a list.
// Pure: the console shows it, and any other reader may.

const DAY_NAMES: Record<string, string> = { sun: 'Sunday', mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday' };

function list(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

export function scheduleInWords(spec: Record<string, unknown>): string {
  const s = spec as {
    once?: string;
    daily?: { time: string };
    weekly?: { days: string[]; time: string };
    monthly?: { day: number | 'last'; time: string };
    cron?: string;
  };
  if (s.once) return `once, at ${s.once}`;
  if (s.daily) return `every day at ${s.daily.time}`;
  if (s.weekly) {
    const days = s.weekly.days.length === 7 ? 'day' : list(s.weekly.days.map((d) => DAY_NAMES[d] ?? d));
    return `every ${days} at ${s.weekly.time}`;
  }
  if (s.monthly) {
    const day = s.monthly.day === 'last' ? 'the last day' : `the ${ordinal(s.monthly.day)}`;
    return `on ${day} of every month at ${s.monthly.time}`;
  }
  if (s.cron) return `cron "${s.cron}"`;
  return JSON.stringify(spec);
}
