// The flags that describe a batch (its targets, strategy and command settings), shared by `flotilla run`
// and `flotilla schedules create`, whose runs are ordinary batches; buildBatchRequest (parse.ts) reads them.
import type { Command } from 'commander';
import { collect } from './parse';

export function withBatchOptions(command: Command): Command {
  return command
    .option('--group <name|id>', 'target a group (repeatable)', collect)
    .option('--tag <tag>', 'target devices with this tag (repeatable; all must match)', collect)
    .option('--device <id>', 'target a device by id (repeatable)', collect)
    .option('--concurrency <n|n%>', 'devices running at once (default 10)')
    .option('--max-failures <n|n%>', 'stop dispatching once failures exceed this')
    .option('--stop-on-failure', 'stop dispatching after the first failure')
    .option('--sequential', 'one device at a time, in target order')
    .option('--wave-size <n|n%>', 'rolling waves: run this many devices at once, each wave finished before the next')
    .option('--wave-pause <sec>', 'seconds to wait between waves')
    .option('--max-failures-per-wave <n|n%>', 'stop the batch when one wave has more failures than this')
    .option('--health-check <command>', "run this command on each finished wave's devices; a failure counts against the wave")
    .option('--approve-after-first-wave', 'pause after the first wave until `flotilla batches resume ID`')
    .option('--timeout <sec>', 'kill the command after this many seconds')
    .option('--shell <shell>', 'sh, bash, powershell or cmd (default sh)')
    .option('--delivery-timeout <sec>', 'how long a device may stay offline before it is undeliverable')
    .option('--deadline <sec>', 'cancel whatever is left of the batch after this many seconds');
}
