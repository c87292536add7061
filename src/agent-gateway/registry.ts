// The live sessions of this gateway (one per device) and the deliveries waiting for their results.
import { ApplicationFailure } from '@temporalio/common';
import type { GatewayMessageBody } from '../protocol/v1/messages';
import { DELIVERY_ERRORS, type DeviceOutcome } from '../workflows/definitions';

export interface LiveSession {
  readonly sessionId: string;
  readonly deviceId: string;
  /** False when the socket is no longer open. */
  send(body: GatewayMessageBody): boolean;
  close(code: number, reason: string): void;
}

interface Waiter {
  sessionId: string;
  resolve(outcome: DeviceOutcome): void;
  reject(err: Error): void;
}

export interface ResultWait {
  promise: Promise<DeviceOutcome>;
  /** Stops waiting (the promise never settles afterwards). */
  dispose(): void;
}

export class SessionRegistry {
  private readonly byDevice = new Map<string, LiveSession>();
  private readonly waiters = new Map<string, Set<Waiter>>();

  get(deviceId: string): LiveSession | undefined {
    return this.byDevice.get(deviceId);
  }

  /** Makes the session current for its device; answers the one it replaces. */
  set(session: LiveSession): LiveSession | undefined {
    const previous = this.byDevice.get(session.deviceId);
    this.byDevice.set(session.deviceId, session);
    return previous === session ? undefined : previous;
  }

  /** Forgets the session (if still current) and fails every delivery waiting on it. */
  remove(session: LiveSession): void {
    if (this.byDevice.get(session.deviceId) === session) this.byDevice.delete(session.deviceId);
    for (const [executionId, set] of this.waiters) {
      for (const w of set) {
        if (w.sessionId !== session.sessionId) continue;
        set.delete(w);
        w.reject(
          ApplicationFailure.create({
            type: DELIVERY_ERRORS.disconnected,
            message: `agent of device ${session.deviceId} disconnected while execution ${executionId} was delivered`,
            nonRetryable: true,
          }),
        );
      }
      if (set.size === 0) this.waiters.delete(executionId);
    }
  }

  sessions(): LiveSession[] {
    return [...this.byDevice.values()];
  }

  /** Waits for the stored outcome of an execution sent over the given session. */
  waitForResult(executionId: string, sessionId: string): ResultWait {
    let waiter!: Waiter;
    const promise = new Promise<DeviceOutcome>((resolve, reject) => {
      waiter = { sessionId, resolve, reject };
    });
    let set = this.waiters.get(executionId);
    if (!set) {
      set = new Set();
      this.waiters.set(executionId, set);
    }
    set.add(waiter);
    return {
      promise,
      dispose: () => {
        const s = this.waiters.get(executionId);
        s?.delete(waiter);
        if (s?.size === 0) this.waiters.delete(executionId);
      },
    };
  }

  resolveResult(executionId: string, outcome: DeviceOutcome): void {
    const set = this.waiters.get(executionId);
    if (!set) return;
    this.waiters.delete(executionId);
    for (const w of set) w.resolve(outcome);
  }

  pendingCount(): number {
    let n = 0;
    for (const set of this.waiters.values()) n += set.size;
    return n;
  }
}
