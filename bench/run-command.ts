// How each benchmark entry point runs: its exit code from main, 2 with the stack on stderr on a crash.
import type { Command } from 'commander';

export function runBenchCommand<F>(command: Command, main: (flags: F) => Promise<number>, log: (s: string) => void): void {
  command
    .action(async (flags: F) => {
      process.exitCode = await main(flags);
    })
    .parseAsync(process.argv)
    .then(() => process.exit())
    .catch((err: unknown) => {
      log(`failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      process.exit(2);
    });
}
