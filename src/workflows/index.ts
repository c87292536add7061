export { batchWorkflow } from './batch';
export { deviceWorkflow } from './device';
export { scheduledBatchWorkflow } from './scheduled-batch';
