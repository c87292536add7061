export { startWorker, type RunningWorker, type WorkerDeps } from './start-worker';
export { DEFAULT_MAX_WINDOW, workerCapacity, workerDbPoolSize, type WorkerCapacity } from './capacity';
