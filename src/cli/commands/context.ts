// What every command gets: a lazily built API client (so --help works without configuration).
import { loadCliConfig } from '../../config';
import { createApiClient, type ApiClient } from '../http';
import { reportError } from '../output';

export interface CommandContext {
  api(): ApiClient;
}

export function createContext(): CommandContext {
  let client: ApiClient | undefined;
  return {
    api() {
      client ??= createApiClient(loadCliConfig());
      return client;
    },
  };
}

/** Wraps a command body: its answer is the exit code; errors are printed and exit 2. */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<number>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      process.exitCode = await fn(...args);
    } catch (err) {
      process.exitCode = reportError(err);
    }
  };
}
