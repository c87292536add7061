export { batchWorkflow } from './batch';
export { deviceWorkflow } from './device';
