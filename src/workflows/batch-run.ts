// The state of one batch workflow run and the moves every dispatch loop shares: launching a device's
// child workflow, recording its outcome, stopping, pausing, reading targets page by page, and reporting
// progress (query, Temporal UI details, search attribute).
import { CancellationScope, condition, isCancellation, patched, proxyLocalActivities, setCurrentDetails, startChild, upsertSearchAttributes } from '@temporalio/workflow';
import { percentDone } from '../domain/progress';
import { runningBatchDetails } from './batch-details';
import { isFailureStatus, type FinalExecutionStatus } from '../domain/status';
import {
  SEARCH_ATTRIBUTES,
  deviceWorkflowId,
  type BatchCarry,
  type BatchProgress,
  type BatchWorkflowInput,
  type DbActivities,
  type DeviceOutcome,
  type DeviceWorkflowInput,
  type TargetRef,
} from './definitions';
import { deviceWorkflow } from './device';
import { childOptions, deviceSearchAttributes, localDbActivityOptions } from './options';

export const db = proxyLocalActivities<DbActivities>(localDbActivityOptions('60s'));

const TARGET_PAGE = 250;

/** Device children carry FlotillaDeviceName (and their input the name) only in executions that reach this code fresh. */
const DEVICE_NAME_PATCH = 'device-name-attribute';

/**
 * Children asked for but not yet started, at most. Temporal starts children one by one (each a write to
 * this batch's history); asking for a whole window of 1,000 at once only queues them in the server, where
 * the batch's own workflow tasks wait behind them (a sticky-queue timeout of 10 s each time) and task
 * queues spill to the database. Pacing the starts keeps every queue short, so a larger window is never
 * slower than a smaller one (docs/benchmarks.md). Runs that reach this code fresh pace; older runs replay unpaced.
 */
export const MAX_STARTING = 50;
const PACED_STARTS_PATCH = 'batch-paced-starts';

export function freshCarry(input: BatchWorkflowInput, now: number): BatchCarry {
  return {
    nextSeq: 0,
    started: 0,
    failures: 0,
    counts: {},
    deadlineAt: input.deadlineSec ? now + input.deadlineSec * 1000 : null,
    stopping: 'no',
  };
}

/** The batch run's state changes only through these methods; the dispatch loops read it. */
export class BatchRun {
  private readonly counts: Partial<Record<FinalExecutionStatus, number>>;
  private _nextSeq: number;
  private started: number;
  private _failures: number;
  private _stopping: BatchProgress['stopping'];
  private _paused: BatchProgress['paused'];
  private shownPaused: boolean;
  private _wavesDone: number;
  /** Failures recorded since the current wave began (waves mode). */
  private _waveFailures = 0;
  private _inFlight = 0;
  /** Children asked for whose start Temporal has not confirmed yet (paced runs only). */
  private _starting = 0;
  private readonly paced: boolean;
  private _startedThisRun = 0;
  private buffer: TargetRef[] = [];
  /** Children (devices, health checks) run in this scope, so an API cancel cancels exactly them. */
  readonly children = new CancellationScope();

  constructor(
    readonly input: BatchWorkflowInput,
    private readonly carry: BatchCarry,
  ) {
    this.counts = { ...carry.counts };
    this._nextSeq = carry.nextSeq;
    this.started = carry.started;
    this._failures = carry.failures;
    this._stopping = carry.stopping;
    this._paused = carry.paused ?? null;
    this.shownPaused = carry.shownPaused ?? false;
    this._wavesDone = carry.wavesDone ?? 0;
    this.paced = patched(PACED_STARTS_PATCH);
  }

  get nextSeq(): number {
    return this._nextSeq;
  }
  get failures(): number {
    return this._failures;
  }
  get stopping(): BatchProgress['stopping'] {
    return this._stopping;
  }
  get paused(): BatchProgress['paused'] {
    return this._paused;
  }
  get wavesDone(): number {
    return this._wavesDone;
  }
  get waveFailures(): number {
    return this._waveFailures;
  }
  get inFlight(): number {
    return this._inFlight;
  }
  get startedThisRun(): number {
    return this._startedThisRun;
  }

  /** False while MAX_STARTING children wait for Temporal to start them (paced runs). */
  canStartAnother(): boolean {
    return !this.paced || this._starting < MAX_STARTING;
  }

  completed(): number {
    return Object.values(this.counts).reduce((a, b) => a + (b ?? 0), 0);
  }

  progress(): BatchProgress {
    const { batchId, targetCount, strategy } = this.input;
    const done = this.completed();
    const w = strategy.waves;
    return {
      batchId,
      targetCount,
      started: this.started,
      inFlight: this.inFlight,
      completed: done,
      failures: this.failures,
      counts: { ...this.counts },
      stopping: this.stopping,
      percent: percentDone(done, targetCount),
      paused: this.paused,
      wave: w ? this.waveProgress(w.size) : null,
    };
  }

  private waveProgress(size: number): NonNullable<BatchProgress['wave']> {
    const count = Math.ceil(this.input.targetCount / size);
    return { index: Math.min(this.wavesDone + 1, count), count, size, failures: this.waveFailures };
  }

  describe(): void {
    setCurrentDetails(runningBatchDetails(this.input, this.progress()));
  }

  stop(why: Exclude<BatchProgress['stopping'], 'no'>): void {
    if (this.stopping === 'cancel' || this.stopping === 'deadline') return;
    this._stopping = why;
    if (why === 'cancel' || why === 'deadline') this.children.cancel();
    this.describe();
  }

  pause(why: 'operator' | 'approval'): void {
    if (this.stopping !== 'no' || this.paused !== null) return;
    this._paused = why;
    this.describe();
  }

  resume(): void {
    this._paused = null;
    this.describe();
  }

  /**
   * Cancelled from the Temporal UI or CLI: the batch ends cancelled whatever it was stopping for. The
   * children were cancelled with the workflow.
   */
  cancelledByTemporal(): void {
    this._stopping = 'cancel';
  }

  /** Waves mode: a wave starts with no failures of its own. */
  beginWave(): void {
    this._waveFailures = 0;
  }

  /** Waves mode: the current wave is done (its health check included). */
  endWave(): void {
    this._wavesDone++;
    this._waveFailures = 0;
  }

  /** Counts a failure; past the batch's maxFailures, nothing more is dispatched. */
  countFailures(n: number): void {
    if (n <= 0) return;
    this._failures += n;
    this._waveFailures += n;
    const max = this.input.strategy.maxFailures;
    if (max !== null && this.failures > max && this.stopping === 'no') this.stop('threshold');
  }

  private record(status: FinalExecutionStatus): void {
    this.counts[status] = (this.counts[status] ?? 0) + 1;
    this._inFlight--;
    if (isFailureStatus(status)) this.countFailures(1);
    this.describe();
  }

  launch(t: TargetRef): void {
    const input = this.input;
    const batchId = input.batchId;
    this._inFlight++;
    this.started++;
    this._startedThisRun++;
    const named = patched(DEVICE_NAME_PATCH);
    const options = {
      ...childOptions({
        workflowId: deviceWorkflowId(batchId, t.deviceId),
        staticSummary: `${t.deviceName}: ${input.summary}`,
        typedSearchAttributes: deviceSearchAttributes(batchId, input.owner, t.deviceId, named ? t.deviceName : undefined),
      }),
      args: [
        {
          batchId,
          executionId: t.executionId,
          deviceId: t.deviceId,
          ...(named ? { deviceName: t.deviceName } : {}),
          deliveryTimeoutSec: input.deliveryTimeoutSec,
          timeoutSec: input.timeoutSec,
        },
      ] as [DeviceWorkflowInput],
    };
    if (this.paced) this._starting++;
    // startChild then result() issues the same commands as executeChild; the start is counted apart.
    const run = this.children.run(async () => {
      let child;
      try {
        child = await startChild(deviceWorkflow, options);
      } finally {
        if (this.paced) this._starting--;
      }
      return child.result();
    });
    this.describe();
    run.then(
      (outcome: DeviceOutcome) => this.record(outcome.status),
      (err: unknown) => this.record(isCancellation(err) ? 'cancelled' : 'failed'),
    );
  }

  /** The next target in seq order, or null when every target has been taken. */
  async nextTarget(): Promise<TargetRef | null> {
    if (this.buffer.length === 0) {
      if (this.nextSeq >= this.input.targetCount) return null;
      this.buffer = await db.loadTargets(this.input.batchId, this.nextSeq, TARGET_PAGE);
      if (this.buffer.length === 0) {
        this._nextSeq = this.input.targetCount;
        return null;
      }
    }
    const next = this.buffer.shift() as TargetRef;
    this._nextSeq = next.seq + 1;
    return next;
  }

  moreToStart(): boolean {
    return this.nextSeq < this.input.targetCount || this.buffer.length > 0;
  }

  /** Where the next run starts after continue-as-new (targets read but not started are read again). */
  resumeSeq(): number {
    return this.buffer[0]?.seq ?? this.nextSeq;
  }

  /** True when the pause state changed and the batch row / search attribute do not show it yet. */
  pauseOutOfSync(): boolean {
    return (this.paused !== null) !== this.shownPaused;
  }

  /** Makes the batch row and the FlotillaStatus search attribute show the current pause state. */
  async syncPause(): Promise<void> {
    while (this.pauseOutOfSync() && this.stopping === 'no') {
      const paused = this.paused !== null;
      await db.setBatchPaused(this.input.batchId, paused);
      upsertSearchAttributes([{ key: SEARCH_ATTRIBUTES.status, value: paused ? 'paused' : 'running' }]);
      this.shownPaused = paused;
    }
  }

  /** Waits until `ready` holds or the batch is stopping, keeping the shown pause state in sync meanwhile. */
  async waitFor(ready: () => boolean): Promise<void> {
    for (;;) {
      await this.syncPause();
      if (this.stopping !== 'no' || ready()) return;
      await condition(() => this.stopping !== 'no' || ready() || this.pauseOutOfSync());
    }
  }

  /** Sleeps ms (a durable timer) unless the batch stops first, keeping the shown pause state in sync. */
  async sleep(ms: number): Promise<void> {
    const until = Date.now() + ms;
    for (;;) {
      await this.syncPause();
      const left = until - Date.now();
      if (left <= 0 || this.stopping !== 'no') return;
      await condition(() => this.stopping !== 'no' || this.pauseOutOfSync(), left);
    }
  }

  carryOn(): BatchCarry {
    return {
      nextSeq: this.resumeSeq(),
      started: this.started,
      failures: this.failures,
      counts: this.counts,
      deadlineAt: this.carry.deadlineAt,
      stopping: this.stopping,
      paused: this.paused,
      shownPaused: this.shownPaused,
      wavesDone: this.wavesDone,
    };
  }
}
