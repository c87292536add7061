// The API's answers as the CLI reads them (the subset of fields it shows).
import type { BatchStatus, ExecutionStatus, StepStatus } from '../domain/status';
import type { Action, StepMode } from '../protocol/v1/action';

export interface DeviceView {
  id: string;
  name: string;
  hostname: string | null;
  tags: string[];
  status: 'online' | 'offline';
  lastSeenAt: string | null;
}

export interface GroupView {
  id: string;
  name: string;
  createdAt?: string;
  devices?: DeviceView[];
}

export interface BatchView {
  id: string;
  status: BatchStatus;
  /** What runs on each device (env values shown as "***"). */
  steps: Action[];
  stepMode: StepMode;
  targetCount: number;
  createdAt: string;
  startedAt: string | null;
  completedAt: string | null;
  stats: Partial<Record<ExecutionStatus, number>>;
}

export interface BatchDetail {
  batch: BatchView;
  progress: number;
}

export interface ExecutionView {
  deviceId: string;
  deviceName: string;
  status: ExecutionStatus;
  exitCode: number | null;
  stdout: string | null;
  stderr: string | null;
  startedAt: string | null;
  completedAt: string | null;
  durationMs: number | null;
  error: string | null;
  /** Each step's result once the device finished. */
  steps: StepResultView[];
}

export interface StepResultView {
  index: number;
  type: Action['type'];
  status: StepStatus;
  exitCode: number | null;
  stdout: string;
  stderr: string;
  error: string | null;
  durationMs: number | null;
  bytes: number | null;
  sha256: string | null;
}

/** An uploaded file (POST/GET /v1/files). */
export interface FileView {
  id: string;
  name: string;
  size: number;
  sha256: string;
  createdAt: string;
}

export interface CreatedBatch {
  batchId: string;
  workflowId: string;
  targetCount: number;
  deviceIds: string[];
}

export interface UserView {
  id: string;
  name: string;
  role: 'admin' | 'operator' | 'auditor';
  disabled: boolean;
  createdAt: string;
}

export interface TokenView {
  id: string;
  userId: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface IssuedToken {
  token: string;
  tokenId: string;
}

export interface Me {
  id: string;
  name: string;
  role: UserView['role'];
  tokenId: string | null;
}

/** What GET /v1/batches/:id/events sends, as the CLI reads it. */
export interface ExecutionChange {
  deviceId: string;
  deviceName: string;
  from: ExecutionStatus;
  to: ExecutionStatus;
  exitCode: number | null;
  at: string;
}

export interface OutputChunk {
  deviceId: string;
  deviceName: string;
  stream: 'stdout' | 'stderr';
  text: string;
}
