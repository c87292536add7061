export { createApp, OPENAPI_PATH } from './app';
export { startApi, type RunningApi } from './server';
export type { ApiDeps, AppEnv, Principal } from './context';
