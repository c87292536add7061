// `flotilla groups create|list`.
import type { Command } from 'commander';
import type { GroupJson } from '../../api/schemas/group';
import { formatGroups } from '../format';
import { EXIT, out, printJson } from '../output';
import { collect } from '../parse';
import { action, type CommandContext } from './context';

export function registerGroupsCommands(program: Command, ctx: CommandContext): void {
  const groups = program.command('groups').description('create and list groups of devices');

  groups
    .command('create')
    .description('create a group, optionally with members')
    .argument('<name>', 'unique group name')
    .option('--device <id>', 'add this device (repeatable)', collect)
    .option('--json', 'print the API answer as JSON')
    .action(
      action(async (name: string, flags: { device?: string[]; json?: boolean }) => {
        const { group } = await ctx.api().post<{ group: GroupJson }>('/v1/groups', { name, ...(flags.device ? { deviceIds: flags.device } : {}) });
        if (flags.json) printJson({ group });
        else out(`group ${group.name} created: ${group.id}`);
        return EXIT.ok;
      }),
    );

  groups
    .command('list')
    .description('all groups')
    .option('--json', 'print as JSON')
    .action(
      action(async (flags: { json?: boolean }) => {
        const items = await ctx.api().all<GroupJson>('/v1/groups');
        if (flags.json) printJson(items);
        else out(formatGroups(items));
        return EXIT.ok;
      }),
    );
}
