// `flotilla schedules create|list|show|pause|resume|trigger|delete`.
import type { Command } from 'commander';
import type { RunJson, ScheduleJson } from '../../api/schemas/schedule';
import { formatSchedule, formatSchedules } from '../format-schedules';
import { EXIT, out, printJson } from '../output';
import { withBatchOptions } from '../batch-options';
import { buildBatchRequest, type BatchFlags } from '../parse';
import { resolveGroupIds } from '../resolve';
import { specFromFlags, type SpecFlags } from '../schedule-flags';
import { action, type CommandContext } from './context';

interface CreateFlags extends BatchFlags, SpecFlags {
  group?: string[];
  timezone?: string;
  overlap?: string;
  paused?: boolean;
  note?: string;
  json?: boolean;
}

const show = (s: ScheduleJson, json: boolean | undefined): number => {
  if (json) printJson(s);
  else out(`schedule ${s.name} (${s.id}) ${s.paused ? 'paused' : 'active'}; next run ${s.nextRunTimes[0] ?? '-'}`);
  return EXIT.ok;
};

export function registerSchedulesCommands(program: Command, ctx: CommandContext): void {
  const schedules = program.command('schedules').description('recurring batches on Temporal Schedules');

  withBatchOptions(schedules.command('create'))
    .description('flotilla schedules create nightly --daily 02:00 --timezone Europe/Paris --group web -- apt-get update')
    .argument('<name>', 'schedule name')
    .argument('[command...]', 'the command line, after --')
    .option('--cron <expr>', 'cron: 5 fields, or 6 with seconds first')
    .option('--daily <HH:MM>', 'every day at this time')
    .option('--weekly <days@HH:MM>', 'e.g. mon,thu@02:00')
    .option('--monthly <day@HH:MM>', 'day 1..31 or last, e.g. last@02:00')
    .option('--once <iso>', 'once, at this ISO-8601 instant')
    .option('--timezone <iana>', 'IANA timezone of the times (default UTC)')
    .option('--overlap <policy>', 'skip (default), buffer_one, buffer_all, cancel_other, terminate_other, allow_all')
    .option('--paused', 'create it paused')
    .option('--note <text>', 'a note shown with the schedule')
    .option('--json', 'print the schedule as JSON')
    .action(
      action(async (name: string, words: string[], flags: CreateFlags) => {
        const spec = specFromFlags(flags);
        const api = ctx.api();
        const batch = buildBatchRequest(flags, await resolveGroupIds(api, flags.group ?? []), words);
        const body: Record<string, unknown> = { name, spec, batch };
        if (flags.timezone) body.timezone = flags.timezone;
        if (flags.overlap) body.overlap = flags.overlap;
        if (flags.paused) body.paused = true;
        if (flags.note) body.note = flags.note;
        const { schedule } = await api.post<{ schedule: ScheduleJson }>('/v1/schedules', body);
        return show(schedule, flags.json);
      }),
    );

  schedules
    .command('list')
    .description('schedules, newest first')
    .option('--json', 'print as JSON')
    .action(
      action(async (flags: { json?: boolean }) => {
        const items = await ctx.api().all<ScheduleJson>('/v1/schedules');
        if (flags.json) printJson(items);
        else out(formatSchedules(items));
        return EXIT.ok;
      }),
    );

  schedules
    .command('show')
    .description('a schedule: spec, state, next runs and its recent runs')
    .argument('<id>', 'schedule id')
    .option('--json', 'print as JSON')
    .action(
      action(async (id: string, flags: { json?: boolean }) => {
        const api = ctx.api();
        const { schedule } = await api.get<{ schedule: ScheduleJson }>(`/v1/schedules/${id}`);
        const runs = await api.all<RunJson>(`/v1/schedules/${id}/runs`, {}, 20);
        if (flags.json) printJson({ ...schedule, runs });
        else out(formatSchedule(schedule, runs));
        return EXIT.ok;
      }),
    );

  schedules
    .command('pause')
    .description('stop taking runs until resumed')
    .argument('<id>', 'schedule id')
    .option('--note <text>', 'why; shown with the schedule')
    .option('--json', 'print the schedule as JSON')
    .action(
      action(async (id: string, flags: { note?: string; json?: boolean }) => {
        const { schedule } = await ctx.api().post<{ schedule: ScheduleJson }>(`/v1/schedules/${id}/pause`, flags.note ? { note: flags.note } : {});
        return show(schedule, flags.json);
      }),
    );

  for (const [verb, what] of [
    ['resume', 'take runs again'],
    ['trigger', 'run now, obeying the overlap policy'],
  ] as const) {
    schedules
      .command(verb)
      .description(what)
      .argument('<id>', 'schedule id')
      .option('--json', 'print the schedule as JSON')
      .action(
        action(async (id: string, flags: { json?: boolean }) => {
          const { schedule } = await ctx.api().post<{ schedule: ScheduleJson }>(`/v1/schedules/${id}/${verb}`);
          if (verb === 'trigger' && !flags.json) out(`triggered ${schedule.name}`);
          return verb === 'trigger' && !flags.json ? EXIT.ok : show(schedule, flags.json);
        }),
      );
  }

  schedules
    .command('delete')
    .description('delete the schedule; the batches it started stay')
    .argument('<id>', 'schedule id')
    .action(
      action(async (id: string) => {
        await ctx.api().del(`/v1/schedules/${id}`);
        out(`deleted schedule ${id}`);
        return EXIT.ok;
      }),
    );
}
