// Follows a batch live over GET /v1/batches/:id/events (Server-Sent Events). The browser's
// EventSource reconnects by itself and sends Last-Event-ID, so the server resumes right after the
// last event seen (no second snapshot). Device rows live in a Map updated in place; the page
// re-renders at most once per animation frame however many events arrive.
import { useEffect, useRef, useState } from 'preact/hooks';
import { get } from '../api';
import type { BatchHead, DeviceRow, Execution, ExecutionEvent, OutputEvent, Page } from '../types';

export interface BatchStream {
  head: BatchHead | undefined;
  /** Every device in target order; the same array, mutated in place, bumped `version` on change. */
  devices: DeviceRow[];
  version: number;
  connected: boolean;
  ended: boolean;
  /** Only the first page of devices is known yet (read over plain GETs while the snapshot streams in). */
  partial: boolean;
  error: string | undefined;
  /** Live output by device id, while commands run (a preview: the stored result is the record). */
  output: Map<string, Array<{ stream: 'stdout' | 'stderr'; text: string }>>;
}

const MAX_LIVE_CHARS = 256 * 1024;
/** Devices read ahead of the snapshot, so the first screen does not wait for 10,000 rows to stream. */
export const FIRST_SCREEN = 100;

/** The batch and its first devices over plain GETs: a placeholder until the stream's snapshot arrives. */
async function firstScreen(batchId: string): Promise<{ head: BatchHead; devices: DeviceRow[] }> {
  const [head, page] = await Promise.all([
    get<BatchHead>(`/v1/batches/${encodeURIComponent(batchId)}`),
    get<Page<Execution>>(`/v1/batches/${encodeURIComponent(batchId)}/executions`, { limit: FIRST_SCREEN }),
  ]);
  const devices = page.items.map((e, seq) => ({ executionId: '', deviceId: e.deviceId, deviceName: e.deviceName, seq, status: e.status, exitCode: e.exitCode }));
  return { head, devices };
}

export function useBatchStream(batchId: string): BatchStream {
  const [, setTick] = useState(0);
  const state = useRef<BatchStream>({ head: undefined, devices: [], version: 0, connected: false, ended: false, partial: false, error: undefined, output: new Map() });
  useEffect(() => {
    const s = state.current;
    const byDevice = new Map<string, DeviceRow>();
    const liveChars = new Map<string, number>();
    let frame = 0;
    const changed = (): void => {
      s.version++;
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        setTick((t) => t + 1);
      });
    };
    let snapshotSeen = false;
    firstScreen(batchId).then(
      (first) => {
        if (snapshotSeen) return;
        s.head = first.head;
        s.devices = first.devices;
        s.partial = first.devices.length < first.head.batch.targetCount;
        changed();
      },
      () => undefined,
    );
    const source = new EventSource(`/v1/batches/${encodeURIComponent(batchId)}/events?output=1`);
    source.onopen = () => {
      s.connected = true;
      s.error = undefined;
      changed();
    };
    source.onerror = () => {
      s.connected = false;
      if (!s.ended) s.error = source.readyState === EventSource.CLOSED ? 'the live stream closed; reload to follow again' : 'reconnecting…';
      changed();
    };
    source.addEventListener('snapshot', (e) => {
      const data = JSON.parse((e as MessageEvent<string>).data) as BatchHead & { devices: DeviceRow[] };
      snapshotSeen = true;
      s.head = { batch: data.batch, progress: data.progress };
      s.devices = data.devices;
      s.partial = false;
      byDevice.clear();
      for (const d of data.devices) byDevice.set(d.deviceId, d);
      changed();
    });
    source.addEventListener('execution', (e) => {
      const ev = JSON.parse((e as MessageEvent<string>).data) as ExecutionEvent;
      const row = byDevice.get(ev.deviceId);
      if (row) {
        row.status = ev.to;
        row.exitCode = ev.exitCode;
      }
      changed();
    });
    const onHead = (e: Event): void => {
      s.head = JSON.parse((e as MessageEvent<string>).data) as BatchHead;
      changed();
    };
    source.addEventListener('counts', onHead);
    source.addEventListener('batch', (e) => {
      const ev = JSON.parse((e as MessageEvent<string>).data) as { to: BatchHead['batch']['status'] };
      if (s.head) s.head = { ...s.head, batch: { ...s.head.batch, status: ev.to } };
      changed();
    });
    source.addEventListener('output', (e) => {
      const ev = JSON.parse((e as MessageEvent<string>).data) as OutputEvent;
      const used = liveChars.get(ev.deviceId) ?? 0;
      if (used > MAX_LIVE_CHARS) return;
      liveChars.set(ev.deviceId, used + ev.text.length);
      const list = s.output.get(ev.deviceId) ?? [];
      list.push({ stream: ev.stream, text: ev.text });
      s.output.set(ev.deviceId, list);
      changed();
    });
    source.addEventListener('end', (e) => {
      onHead(e);
      s.ended = true;
      s.connected = false;
      source.close();
      changed();
    });
    return () => {
      source.close();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [batchId]);
  return state.current;
}
