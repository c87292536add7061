// `flotilla batches watch|export`: follow a batch's event stream, and download its results.
import { createWriteStream } from 'node:fs';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { Command } from 'commander';
import { EXPORT_FORMATS, type ExportFormat } from '../../domain/export';
import { followBatch } from '../follow';
import { formatChange, formatCounts } from '../format';
import { LiveLines } from '../live-lines';
import { EXIT, info, out } from '../output';
import { UsageError } from '../parse';
import { action, type CommandContext } from './context';

export function registerBatchFollowCommands(batches: Command, ctx: CommandContext): void {
  batches
    .command('watch')
    .description('follow a batch live: one line per device change (and its output with --output) until it ends')
    .argument('<id>', 'batch id')
    .option('--output', 'also print what the commands print, each line prefixed with its device')
    .action(
      action(async (id: string, flags: { output?: boolean }) => {
        const live = new LiveLines(out);
        const detail = await followBatch(ctx.api(), id, {
          quiet: true,
          log: info,
          output: flags.output === true,
          onSnapshot: ({ batch }) => info(`watching batch ${id}: ${batch.targetCount} device(s), ${formatCounts(batch.stats)}`),
          onChange: (change) => out(formatChange(change)),
          onOutput: (chunk) => live.push(chunk),
        });
        live.flush();
        out(`batch ${id} ${detail.batch.status}: ${formatCounts(detail.batch.stats)}`);
        return detail.batch.status === 'succeeded' ? EXIT.ok : EXIT.failed;
      }),
    );

  batches
    .command('export')
    .description("download every device's result, streamed (CSV with a header row, a JSON array, or NDJSON)")
    .argument('<id>', 'batch id')
    .option('--format <format>', `${EXPORT_FORMATS.join(', ')}`, 'csv')
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .action(
      action(async (id: string, flags: { format: string; output?: string }) => {
        if (!(EXPORT_FORMATS as readonly string[]).includes(flags.format)) {
          throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')}, got "${flags.format}"`);
        }
        const res = await ctx.api().download(`/v1/batches/${id}/export`, { format: flags.format as ExportFormat });
        const body = Readable.fromWeb((res.body ?? new Response('').body) as unknown as WebReadableStream<Uint8Array>);
        const target: Writable = flags.output ? createWriteStream(flags.output) : stdoutKeptOpen();
        await pipeline(body, target);
        if (flags.output) info(`batch ${id} exported to ${flags.output}`);
        return EXIT.ok;
      }),
    );
}

/** process.stdout must not be ended by a pipeline; this forwards writes with backpressure and never closes it. */
function stdoutKeptOpen(): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (process.stdout.write(chunk)) callback();
      else process.stdout.once('drain', () => callback());
    },
  });
}
