// Where the full path runs: the system this benchmark brought up in-process, or a running one (--api).
import type { ApiClient } from '../src/cli/http';

export interface Registered {
  id: string;
  token: string;
}

export interface BenchTarget {
  api: ApiClient;
  gatewayUrl: string;
  /** The Temporal frontend the target's workers use, when known (the Temporal reference runs there). */
  temporal?: { address: string; namespace: string; pid?: number };
  /** What p50Ms/p99Ms measure on this target. */
  latencyBasis: 'dispatched-to-completed' | 'batch-created-to-completed';
  register(count: number, tag: string): Promise<Registered[]>;
  countOnline(tag: string): Promise<number>;
  latenciesMs(batchId: string, batchCreatedAt: Date): Promise<number[]>;
  /** Every execution row of these batches (in-process only: the load benchmark reads them to count losses). */
  executions?(batchIds: string[]): Promise<Array<{ id: string; batchId: string; status: string }>>;
  stop(): Promise<void>;
}
