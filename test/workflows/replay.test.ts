// Running executions replay their history on every worker restart: the workflow code must produce the
// commands it produced when the history was written (same activities, children, timers, in the same
// order). The fixtures are histories recorded by fixtures/record-histories.ts; a change that fails here
// needs patched() or a new workflow type, not new fixtures.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { beforeAll, describe, expect, it } from 'vitest';
import { installTemporalRuntime } from '../../src/temporal/runtime';

// batch-parallel-paced and device-local-delivery were recorded with the paced starts and the presence local
// activity that delivers (record-histories.ts's batch-parallel and device, renamed); the others before them.
const FIXTURES = ['batch-parallel', 'batch-waves', 'scheduled-batch', 'device', 'device-offline', 'batch-parallel-paced', 'device-local-delivery'] as const;

const quiet = { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

function recorded(name: string): temporal.api.history.v1.History {
  const json: unknown = JSON.parse(readFileSync(path.join(__dirname, 'fixtures', `${name}.json`), 'utf8'));
  return temporal.api.history.v1.History.fromObject(json as Record<string, unknown>);
}

let workflowBundle: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  installTemporalRuntime();
  workflowBundle = await bundleWorkflowCode({ workflowsPath: path.resolve(__dirname, '../../src/workflows/index.ts'), logger: quiet });
});

describe('recorded workflow histories', () => {
  it.each(FIXTURES)('%s replays on the current workflow code', async (name) => {
    const history = recorded(name);
    expect(history.events.length).toBeGreaterThan(10);
    await Worker.runReplayHistory({ workflowBundle, replayName: name }, history, `replay-${name}`);
  });
});
