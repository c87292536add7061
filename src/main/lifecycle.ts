// How every entry point runs: main() either serves until SIGTERM/SIGINT, then stops cleanly and exits
// 0 (1 when stopping fails), or fails at start and exits 1 with the reason.
import type { Logger } from '../logger';

/** Stops with `stop` on the first SIGTERM or SIGINT; a second signal is ignored while stopping. */
export function stopOnSignal(logger: Logger, what: string, stop: () => Promise<void>): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, what);
    stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'unclean shutdown');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}

/** Runs an entry point's main; a start-up failure is printed and exits 1. */
export function runMain(main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
