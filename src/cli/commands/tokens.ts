// `flotilla tokens create|list|revoke`: your own API tokens, or (admins) anyone's with --user.
import type { Command } from 'commander';
import type { IssuedTokenJson, TokenJson } from '../../api/schemas/user';
import { formatTokens } from '../format';
import { EXIT, info, out, printJson } from '../output';
import { resolveUserId } from '../resolve';
import { action, type CommandContext } from './context';

const USER_FLAG = ['--user <name|id>', 'whose tokens (default: yours)'] as const;

export function registerTokensCommands(program: Command, ctx: CommandContext): void {
  const tokens = program.command('tokens').description('API tokens: shown once, stored hashed, revocable');

  tokens
    .command('create')
    .description('mint an API token; printed only this once')
    .option(...USER_FLAG)
    .option('--name <label>', 'a label to recognise it by', 'default')
    .option('--json', 'print the API answer as JSON')
    .action(
      action(async (flags: { user?: string; name: string; json?: boolean }) => {
        const api = ctx.api();
        const userId = await resolveUserId(api, flags.user);
        const res = await api.post<IssuedTokenJson>(`/v1/users/${userId}/tokens`, { name: flags.name });
        if (flags.json) printJson(res);
        else {
          info(`token ${res.tokenId} created (shown only this once):`);
          out(res.token);
        }
        return EXIT.ok;
      }),
    );

  tokens
    .command('list')
    .description('tokens with their labels and use; never the tokens themselves')
    .option(...USER_FLAG)
    .option('--json', 'print as JSON')
    .action(
      action(async (flags: { user?: string; json?: boolean }) => {
        const api = ctx.api();
        const items = await api.all<TokenJson>(`/v1/users/${await resolveUserId(api, flags.user)}/tokens`);
        if (flags.json) printJson(items);
        else out(formatTokens(items));
        return EXIT.ok;
      }),
    );

  tokens
    .command('revoke')
    .description('revoke a token; it is refused from the next request on')
    .argument('<id>', 'token id (see: flotilla tokens list)')
    .action(
      action(async (id: string) => {
        await ctx.api().del(`/v1/tokens/${encodeURIComponent(id)}`);
        out(`token ${id} revoked`);
        return EXIT.ok;
      }),
    );
}
