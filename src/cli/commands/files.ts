// `flotilla files push|list|delete`: upload files for `file` steps (streamed from disk), list and delete them.
import { createReadStream, statSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { FileJson } from '../../api/schemas/file';
import type { FileAction } from '../../protocol/v1/action';
import { formatFiles } from '../format';
import { EXIT, info, out, printJson } from '../output';
import { UsageError } from '../parse';
import type { PushSpec } from '../push-spec';
import { action, type CommandContext } from './context';

/** A usage error unless local names a readable regular file. */
export function checkLocalFile(local: string): void {
  let isFile: boolean;
  try {
    isFile = statSync(local).isFile();
  } catch (err) {
    throw new UsageError(`cannot read ${local}: ${(err as Error).message}`);
  }
  if (!isFile) throw new UsageError(`${local} is not a regular file`);
}

/** Uploads a local file as a raw body read from disk chunk by chunk; answers the stored file. */
export async function pushFile(ctx: CommandContext, local: string, name?: string): Promise<FileJson> {
  checkLocalFile(local);
  const { file } = await ctx.api().upload<{ file: FileJson }>('/v1/files', { name: name ?? path.basename(local) }, createReadStream(local));
  return file;
}

/** `run --push`: every local file checked, then each uploaded; answers a file step per push, in order. */
export async function pushForSteps(ctx: CommandContext, pushes: readonly PushSpec[]): Promise<Array<Omit<FileAction, 'timeoutSec'>>> {
  for (const p of pushes) checkLocalFile(p.local);
  const steps: Array<Omit<FileAction, 'timeoutSec'>> = [];
  for (const p of pushes) {
    const file = await pushFile(ctx, p.local);
    info(`pushed ${p.local} as file ${file.id} (${file.size} bytes, sha256 ${file.sha256})`);
    steps.push({ type: 'file', fileId: file.id, path: p.path, ...(p.mode === undefined ? {} : { mode: p.mode }) });
  }
  return steps;
}

export function registerFilesCommands(program: Command, ctx: CommandContext): void {
  const files = program.command('files').description('upload, list and delete files for file steps');

  files
    .command('push')
    .description('upload a file (streamed); prints its id, size and sha256 for a {"type":"file","fileId":...} step')
    .argument('<local>', 'the file to upload')
    .option('--name <name>', 'its name on the server (default: the file name)')
    .option('--json', 'print as JSON')
    .action(
      action(async (local: string, flags: { name?: string; json?: boolean }) => {
        const file = await pushFile(ctx, local, flags.name);
        if (flags.json) printJson(file);
        else out([`file      ${file.id}`, `name      ${file.name}`, `size      ${file.size}`, `sha256    ${file.sha256}`].join('\n'));
        return EXIT.ok;
      }),
    );

  files
    .command('list')
    .description('uploaded files, newest first')
    .option('--json', 'print as JSON')
    .action(
      action(async (flags: { json?: boolean }) => {
        const items = await ctx.api().all<FileJson>('/v1/files');
        if (flags.json) printJson(items);
        else out(formatFiles(items));
        return EXIT.ok;
      }),
    );

  files
    .command('delete')
    .description('delete an uploaded file')
    .argument('<id>', 'file id')
    .action(
      action(async (id: string) => {
        await ctx.api().del(`/v1/files/${id}`);
        out(`file ${id} deleted`);
        return EXIT.ok;
      }),
    );
}
