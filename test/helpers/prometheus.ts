// Reads Prometheus text format (what GET /metrics answers) for assertions: one sample by name and labels.

export interface Scrape {
  text: string;
  /** The sample's value, 0 when no sample of that name carries these labels. */
  value(name: string, labels?: Record<string, string>): number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export async function scrape(url: string): Promise<Scrape> {
  const res = await fetch(url);
  if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}`);
  return scrapeText(await res.text());
}

export function scrapeText(text: string): Scrape {
  const samples = text
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'))
    .flatMap((l) => {
      const m = SAMPLE.exec(l);
      if (!m) return [];
      const labels = Object.fromEntries([...(m[2] ?? '').matchAll(LABEL)].map((x) => [x[1], x[2]]));
      return [{ name: m[1]!, labels, value: Number(m[3]) }];
    });
  return {
    text,
    value(name, labels = {}) {
      const hits = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
      return hits.reduce((sum, s) => sum + s.value, 0);
    },
  };
}
