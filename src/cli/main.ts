// Entry point of the `flotilla` command (npm run flotilla -- ...). It talks only HTTP to the API.
import { Command, CommanderError } from 'commander';
import { registerBatchesCommands } from './commands/batches';
import { createContext } from './commands/context';
import { registerDevicesCommands } from './commands/devices';
import { registerFilesCommands } from './commands/files';
import { registerGroupsCommands } from './commands/groups';
import { registerRunCommand } from './commands/run';
import { registerSchedulesCommands } from './commands/schedules';
import { registerTokensCommands } from './commands/tokens';
import { registerUsersCommands } from './commands/users';
import { EXIT, reportError } from './output';

// exitOverride is set before the commands are added, so every subcommand inherits it.
function buildProgram(): Command {
  const program = new Command('flotilla')
    .description('Run commands on fleets of devices. Configure with FLOTILLA_API_URL and FLOTILLA_TOKEN.')
    .showHelpAfterError()
    .exitOverride();
  const ctx = createContext();
  registerRunCommand(program, ctx);
  registerBatchesCommands(program, ctx);
  registerDevicesCommands(program, ctx);
  registerGroupsCommands(program, ctx);
  registerFilesCommands(program, ctx);
  registerSchedulesCommands(program, ctx);
  registerUsersCommands(program, ctx);
  registerTokensCommands(program, ctx);
  return program;
}

buildProgram()
  .parseAsync(process.argv)
  .catch((err: unknown) => {
    if (err instanceof CommanderError) {
      // --help and --version exit 0; every other command-line mistake is a usage error.
      process.exitCode = err.exitCode === 0 ? EXIT.ok : EXIT.usage;
      return;
    }
    process.exitCode = reportError(err);
  });
