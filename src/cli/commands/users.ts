// `flotilla users create|list|me`: admins create users; the answer carries the user's first token,
// shown only this once.
import type { Command } from 'commander';
import type { IssuedTokenJson, MeJson, UserJson } from '../../api/schemas/user';
import { formatUsers } from '../format';
import { EXIT, info, out, printJson } from '../output';
import { action, type CommandContext } from './context';

export function registerUsersCommands(program: Command, ctx: CommandContext): void {
  const users = program.command('users').description('users and their roles (admin, operator, auditor)');

  users
    .command('create')
    .description('create a user (admins only); prints their first API token, shown only this once')
    .argument('<name>', 'unique user name')
    .requiredOption('--role <role>', 'admin, operator or auditor')
    .option('--json', 'print the API answer as JSON')
    .action(
      action(async (name: string, flags: { role: string; json?: boolean }) => {
        const res = await ctx.api().post<{ user: UserJson } & IssuedTokenJson>('/v1/users', { name, role: flags.role });
        if (flags.json) printJson(res);
        else {
          info(`user ${res.user.name} (${res.user.role}) created: ${res.user.id}; their token (shown only this once):`);
          out(res.token);
        }
        return EXIT.ok;
      }),
    );

  users
    .command('list')
    .description('the users you may see (operators: themselves)')
    .option('--json', 'print as JSON')
    .action(
      action(async (flags: { json?: boolean }) => {
        const items = await ctx.api().all<UserJson>('/v1/users');
        if (flags.json) printJson(items);
        else out(formatUsers(items));
        return EXIT.ok;
      }),
    );

  users
    .command('me')
    .description('who your token belongs to')
    .action(
      action(async () => {
        const me = await ctx.api().get<MeJson>('/v1/me');
        out(`${me.name} (${me.role}) ${me.id}`);
        return EXIT.ok;
      }),
    );
}
