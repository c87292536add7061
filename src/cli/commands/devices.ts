// `flotilla devices add|list|rotate-token`.
import type { Command } from 'commander';
import type { DeviceJson } from '../../api/schemas/device';
import { formatDevices } from '../format';
import { EXIT, out, printJson } from '../output';
import { collect, UsageError } from '../parse';
import { resolveGroupId } from '../resolve';
import { action, type CommandContext } from './context';

/** The all-in-one's gateway port; `--gateway` overrides the guess. */
const DEFAULT_GATEWAY_PORT = 8081;

/** ws://<API host>:8081: where agents connect when the gateway runs beside the API with default ports. */
export function guessGatewayUrl(apiUrl: string): string {
  const u = new URL(apiUrl);
  return `${u.protocol === 'https:' ? 'wss' : 'ws'}://${u.hostname}:${DEFAULT_GATEWAY_PORT}`;
}

export function agentCommandLine(gatewayUrl: string, deviceId: string, token: string): string {
  return `npm run agent -- --gateway ${gatewayUrl} --device-id ${deviceId} --token ${token}`;
}

export function registerDevicesCommands(program: Command, ctx: CommandContext): void {
  const devices = program.command('devices').description('register and list devices');

  devices
    .command('add')
    .description('register a device; prints its agent token once')
    .argument('<name>', 'unique device name')
    .option('--tag <tag>', 'tag the device (repeatable)', collect)
    .option('--hostname <host>', 'the device hostname')
    .option('--gateway <url>', 'gateway URL the agent connects to (printed in the agent command line)')
    .option('--json', 'print the API answer as JSON')
    .action(
      action(async (name: string, flags: { tag?: string[]; hostname?: string; gateway?: string; json?: boolean }) => {
        const api = ctx.api();
        const created = await api.post<{ device: DeviceJson; agentToken: string }>('/v1/devices', {
          name,
          ...(flags.hostname ? { hostname: flags.hostname } : {}),
          ...(flags.tag ? { tags: flags.tag } : {}),
        });
        if (flags.json) {
          printJson(created);
          return EXIT.ok;
        }
        const gateway = flags.gateway ?? guessGatewayUrl(api.baseUrl);
        out(`device id    ${created.device.id}`);
        out(`agent token  ${created.agentToken}`);
        out('(the token is shown only this once)');
        out('');
        out('Start its agent with:');
        out(`  ${agentCommandLine(gateway, created.device.id, created.agentToken)}`);
        return EXIT.ok;
      }),
    );

  devices
    .command('list')
    .description('registered devices')
    .option('--tag <tag>', 'only devices with this tag (repeatable; all must match)', collect)
    .option('--group <name|id>', 'only members of this group')
    .option('--status <status>', 'online or offline')
    .option('--json', 'print as JSON')
    .action(
      action(async (flags: { tag?: string[]; group?: string; status?: string; json?: boolean }) => {
        if (flags.status && flags.status !== 'online' && flags.status !== 'offline') {
          throw new UsageError('--status must be online or offline');
        }
        const api = ctx.api();
        const group = flags.group ? await resolveGroupId(api, flags.group) : undefined;
        const items = await api.all<DeviceJson>('/v1/devices', { tag: flags.tag, group, status: flags.status });
        if (flags.json) printJson(items);
        else out(formatDevices(items));
        return EXIT.ok;
      }),
    );

  devices
    .command('rotate-token')
    .description("issue a new agent token (printed once); the old one stops working and the agent is disconnected")
    .argument('<id>', 'device id')
    .action(
      action(async (id: string) => {
        const { token } = await ctx.api().post<{ token: string }>(`/v1/devices/${encodeURIComponent(id)}/rotate-token`);
        out(`agent token  ${token}`);
        out('(the token is shown only this once; restart the agent with it)');
        return EXIT.ok;
      }),
    );
}
