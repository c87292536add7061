// One real Temporal dev server for the whole test run (in-memory, headless, free ports).
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { startDevServer, type DevServer } from '../../src/temporal/dev-server';
import { freePort } from './ports';

let server: DevServer | undefined;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.TEST_TEMPORAL_ADDRESS;
  if (external) {
    project.provide('temporalAddress', external);
    return async () => undefined;
  }
  server = await startDevServer({ port: await freePort(), uiPort: await freePort(), headless: true });
  project.provide('temporalAddress', server.address);
  return async () => {
    await server?.stop();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
  }
}
