// PostgreSQL LISTEN on one dedicated connection that outlives drops and server restarts: when the
// connection ends it reconnects with a capped backoff, for as long as it takes, and listens again on
// every channel. Notices sent while it was away are lost; callers must not depend on every one.
import { Client } from 'pg';

const RETRY_FIRST_MS = 250;
const RETRY_MAX_MS = 5_000;

type Handler = (payload: string) => void;

export class PgListener {
  private client: Client | undefined;
  private connecting: Promise<Client> | undefined;
  /** Channels LISTENed on the current connection. */
  private subscribed = new Set<string>();
  private closed = false;
  private readonly handlers = new Map<string, Set<Handler>>();

  constructor(private readonly url: string) {}

  async listen(channel: string, fn: Handler): Promise<() => Promise<void>> {
    let set = this.handlers.get(channel);
    if (!set) {
      set = new Set();
      this.handlers.set(channel, set);
    }
    set.add(fn);
    const client = await this.connection();
    if (!this.subscribed.has(channel)) {
      this.subscribed.add(channel);
      await client.query(`LISTEN "${channel}"`);
    }
    return async () => {
      set.delete(fn);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connection(): Promise<Client> {
    if (this.client) return this.client;
    this.connecting ??= this.open().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  /** Connects and listens on every known channel; rejects if the connection fails on the way. */
  private async open(): Promise<Client> {
    const client = new Client({ connectionString: this.url });
    let ended = false;
    client.on('error', () => undefined);
    client.on('notification', (n) => {
      for (const fn of this.handlers.get(n.channel) ?? []) fn(n.payload ?? '');
    });
    client.on('end', () => {
      ended = true;
      if (this.client !== client) return;
      this.client = undefined;
      this.reconnect();
    });
    try {
      await client.connect();
      const channels = [...this.handlers.keys()];
      for (const channel of channels) await client.query(`LISTEN "${channel}"`);
      if (ended) throw new Error('the LISTEN connection ended while subscribing');
      this.subscribed = new Set(channels);
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      throw new Error('listener closed');
    }
    this.client = client;
    return client;
  }

  private reconnect(): void {
    if (this.closed || this.connecting) return;
    this.connecting = (async (): Promise<Client> => {
      for (let delay = RETRY_FIRST_MS; ; delay = Math.min(delay * 2, RETRY_MAX_MS)) {
        await new Promise((r) => setTimeout(r, delay));
        if (this.closed) throw new Error('listener closed');
        try {
          return await this.open();
        } catch {
          // The server is still away: try again later.
        }
      }
    })().finally(() => (this.connecting = undefined));
    this.connecting.catch(() => undefined);
  }
}
