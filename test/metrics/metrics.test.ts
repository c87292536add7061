// One registry per process, made by the factory: two are independent (no global singleton).
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/metrics';
import { scrapeText } from '../helpers/prometheus';

describe('createMetrics', () => {
  it('makes independent registries whose onScrape readers run before every scrape', async () => {
    const a = createMetrics();
    const b = createMetrics();
    a.batchesStarted.inc();
    let reads = 0;
    const stop = a.onScrape(() => {
      reads++;
      a.dbPoolInUse.set(7);
    });
    const first = scrapeText(await a.scrape());
    expect(first.value('flotilla_batches_started_total')).toBe(1);
    expect(first.value('flotilla_db_pool_in_use')).toBe(7);
    expect(scrapeText(await b.scrape()).value('flotilla_batches_started_total')).toBe(0);
    stop();
    await a.scrape();
    expect(reads).toBe(1);
  });
});
