// Test files share one Temporal dev server. Each file that runs a workflow worker (or starts workflows)
// gets a namespace of its own, so no worker ever picks up another file's workflows.
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { ensureSearchAttributes } from '../../src/temporal/search-attributes';
import { SEARCH_ATTRIBUTES } from '../../src/workflows/definitions';
import { waitFor } from './ports';

export async function createTestNamespace(address: string, prefix = 'test'): Promise<string> {
  const namespace = `${prefix}-${randomBytes(4).toString('hex')}`;
  const connection = await Connection.connect({ address });
  try {
    await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('1 day') });
    const client = new Client({ connection, namespace });
    await waitFor('the test namespace to accept workflows with search attributes', async () => {
      await ensureSearchAttributes(connection, namespace);
      const probe = await client.workflow.start('probe', {
        workflowId: `probe-${randomBytes(4).toString('hex')}`,
        taskQueue: 'nobody',
        typedSearchAttributes: [{ key: SEARCH_ATTRIBUTES.owner, value: 'probe' }],
      });
      await probe.terminate('probe');
      return true;
    });
  } finally {
    await connection.close();
  }
  return namespace;
}
