// Prints live output chunks line by line, each prefixed with its device; a line split across chunks is
// held until it is complete (or until flush).
import type { OutputEventData } from '../domain/batch-events';

export class LiveLines {
  private readonly partial = new Map<string, { deviceName: string; text: string }>();

  constructor(private readonly print: (line: string) => void) {}

  push(c: OutputEventData): void {
    const key = `${c.deviceId}:${c.stream}`;
    const lines = `${this.partial.get(key)?.text ?? ''}${c.text}`.split('\n');
    this.partial.set(key, { deviceName: c.deviceName, text: lines.pop() ?? '' });
    for (const line of lines) this.print(`[${c.deviceName}] ${line}`);
  }

  flush(): void {
    for (const { deviceName, text } of this.partial.values()) if (text !== '') this.print(`[${deviceName}] ${text}`);
    this.partial.clear();
  }
}
