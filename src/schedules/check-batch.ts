// A schedule's batch request, checked as POST /v1/batches would check it (except that matching no
// device is allowed now: devices may join later) and stored for its runs. Refusals name the body's
// `batch` field.
import { rejectUnknownTargets } from '../batches/create-batch';
import type { Database } from '../db/client';
import { resolveTargets } from '../db/queries/batches';
import type { OwnerScope } from '../db/queries/ownership';
import type { BatchRequest } from '../domain/batch';
import { BatchRejected } from '../domain/errors';
import { storeRequest, type StoredScheduleBatch } from './stored-request';

export async function checkScheduleBatch(db: Database, scope: OwnerScope, batch: BatchRequest, secretKey: string | undefined): Promise<StoredScheduleBatch> {
  try {
    rejectUnknownTargets(await resolveTargets(db, batch.targets, scope));
    return storeRequest(batch, secretKey);
  } catch (err) {
    if (err instanceof BatchRejected) throw err.within('batch');
    throw err;
  }
}
