// The benchmark's Temporal reference against the test dev server, and its two small tools: the median
// and the .cpuprofile summary.
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { median, waitUntil } from '../../bench/measure';
import { selfTimes } from '../../bench/profile-summary';
import { openTemporalReference, type TemporalReference } from '../../bench/temporal-reference';

describe('median', () => {
  it('takes the middle value, or the mean of the middle two', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow();
  });
});

describe('selfTimes', () => {
  it('charges each sample the interval until the next one, by function or by package', () => {
    const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 0 });
    const profile = {
      nodes: [
        { id: 1, callFrame: frame('(idle)', '') },
        { id: 2, callFrame: frame('query', 'file:///x/node_modules/pg/lib/client.js') },
        { id: 3, callFrame: frame('is', 'file:///x/node_modules/drizzle-orm/entity.js') },
      ],
      samples: [2, 3, 2, 1],
      timeDeltas: [0, 1000, 2000, 4000], // µs
      startTime: 0,
    };
    const byFunction = selfTimes(profile, 'function');
    expect(byFunction.total).toBe(7);
    expect(byFunction.idle).toBe(0);
    expect(byFunction.rows).toEqual([
      ['query pg/lib/client.js:1', 5],
      ['is drizzle-orm/entity.js:1', 2],
      ['(idle)', 0],
    ]);
    expect(selfTimes(profile, 'package').rows.slice(0, 2)).toEqual([
      ['pg', 5],
      ['drizzle-orm', 2],
    ]);
  });
});

describe('Temporal reference', () => {
  let reference: TemporalReference;
  let connection: Connection;
  let client: Client;
  const count = async (query: string): Promise<number> => Number((await client.workflow.count(query)).count);

  beforeAll(async () => {
    const address = inject('temporalAddress');
    reference = await openTemporalReference({ address, namespace: 'default', perRun: 5 });
    connection = await Connection.connect({ address });
    client = new Client({ connection, namespace: 'default' });
  });

  afterAll(async () => {
    await reference?.close();
    await connection?.close();
  });

  it('runs every child once through a window, continuing as new every perRun children', async () => {
    const childrenBefore = await count("WorkflowType = 'referenceChild' AND ExecutionStatus = 'Completed'");
    const continuedBefore = await count("WorkflowType = 'referenceParent' AND ExecutionStatus = 'ContinuedAsNew'");
    const seconds = await reference.measure(12, 3);
    expect(seconds).toBeGreaterThan(0);
    // 12 children at 5 per run: two runs continue as new, the third completes.
    await waitUntil(
      'the reference executions in visibility',
      async () =>
        (await count("WorkflowType = 'referenceChild' AND ExecutionStatus = 'Completed'")) === childrenBefore + 12 &&
        (await count("WorkflowType = 'referenceParent' AND ExecutionStatus = 'ContinuedAsNew'")) === continuedBefore + 2,
      20_000,
    );
  });

  it('runs the design-lever shapes: local activities, paced starts, shard workflows', async () => {
    const shardsBefore = await count("WorkflowType = 'referenceShard' AND ExecutionStatus = 'Completed'");
    const childrenBefore = await count("WorkflowType = 'referenceChild' AND ExecutionStatus = 'Completed'");
    expect(await reference.measure(10, 4, { delivery: 'local', startAhead: 2 })).toBeGreaterThan(0);
    expect(await reference.measure(10, 4, { shardSize: 4, parallelShards: 2 })).toBeGreaterThan(0);
    // 10 children in shards of 4: three shard workflows; 20 children in all.
    await waitUntil(
      'the shapes in visibility',
      async () =>
        (await count("WorkflowType = 'referenceShard' AND ExecutionStatus = 'Completed'")) === shardsBefore + 3 &&
        (await count("WorkflowType = 'referenceChild' AND ExecutionStatus = 'Completed'")) === childrenBefore + 20,
      20_000,
    );
  });
});
