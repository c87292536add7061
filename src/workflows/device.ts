import type { DeviceOutcome, DeviceWorkflowInput } from './definitions';

/** Delivers one batch's action to one device (implementation in progress). */
export async function deviceWorkflow(_input: DeviceWorkflowInput): Promise<DeviceOutcome> {
  return { status: 'failed', exitCode: null };
}
