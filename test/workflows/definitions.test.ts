import { describe, expect, it } from 'vitest';
import { SEARCH_ATTRIBUTE_REGISTRATIONS } from '../../src/workflows/definitions';

describe('search attributes', () => {
  it('stay within the SQLite dev server limit of 10 custom Keyword attributes, each named once', () => {
    const names = SEARCH_ATTRIBUTE_REGISTRATIONS.map((a) => a.name);
    expect(names.length).toBeLessThanOrEqual(10);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('FlotillaDeviceName');
  });
});
