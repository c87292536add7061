// docs/configuration.md cannot drift from src/config.ts: its tables list exactly the variables each
// role reads, with the roles that read them, and every default config.ts gives is the one stated.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configVariables, type ConfigVariable } from '../../src/config';

const DOC = readFileSync(path.resolve(__dirname, '../../docs/configuration.md'), 'utf8');
const VARIABLE = /^(FLOTILLA_\w+|TEMPORAL_\w+|DATABASE_URL)$/;

interface Row {
  variable: string;
  default: string;
  readBy: string[] | undefined;
}

/** Rows of every table whose first column is `variable`; a cell `A` / `B` documents two variables. */
function documented(markdown: string): Row[] {
  const rows: Row[] = [];
  let header: string[] | undefined;
  for (const line of markdown.split('\n')) {
    if (!line.startsWith('|')) {
      header = undefined;
      continue;
    }
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    if (header === undefined) {
      header = cells;
      continue;
    }
    if (header[0] !== 'variable' || cells.every((c) => /^-+$/.test(c))) continue;
    const names = cells[0]!.split(' / ').map((n) => n.replace(/`/g, ''));
    const defaults = cells[header.indexOf('default')]!.split(' / ');
    const readByCell = header.includes('read by') ? cells[header.indexOf('read by')] : undefined;
    names.forEach((variable, i) =>
      rows.push({ variable, default: defaults.length === names.length ? defaults[i]! : defaults[0]!, readBy: readByCell?.split(', ') }),
    );
  }
  return rows;
}

const SIZES: Record<string, number> = { KiB: 1024, MiB: 1024 * 1024, GiB: 1024 * 1024 * 1024 };

/** The value a default cell states: its leading literal (`x`, 8 MiB, 10,000), before any explanation. */
function statedValue(cell: string): string {
  const text = cell.replace(/`/g, '').trim();
  const size = /^([\d,]+) (KiB|MiB|GiB)\b/.exec(text);
  if (size) return String(Number(size[1]!.replace(/,/g, '')) * SIZES[size[2]!]!);
  const number = /^[\d,]+(?=\s|$)/.exec(text);
  if (number) return number[0].replace(/,/g, '');
  return text.split(/\s/)[0]!;
}

/** The default a schema gives an unset variable, and what the documented value parses to. */
function defaultsOf(setting: ConfigVariable, cell: string): { actual: unknown; stated: unknown } {
  return { actual: setting.schema.parse(undefined), stated: setting.schema.safeParse(statedValue(cell)).data };
}

const rows = documented(DOC);
const roles = configVariables();
const serverRows = rows.filter((r) => r.readBy === undefined);
const clientRows = rows.filter((r) => r.readBy !== undefined);
const names = (list: Array<{ variable: string }>): string[] => [...new Set(list.map((v) => v.variable))].sort();

describe('docs/configuration.md', () => {
  it('lists only real variable names', () => {
    expect(rows.length).toBeGreaterThan(30);
    for (const row of rows) expect(row.variable).toMatch(VARIABLE);
  });

  it('its server table lists exactly the variables the server processes read', () => {
    expect(names(serverRows)).toEqual(names(roles.server));
    expect(serverRows.length).toBe(names(serverRows).length);
  });

  it('its agent and CLI table lists exactly the variables they read, with the roles that read each', () => {
    expect(names(clientRows)).toEqual(names([...roles.agent, ...roles.cli]));
    for (const row of clientRows) {
      const readers = [...(roles.agent.some((v) => v.variable === row.variable) ? ['agent'] : []), ...(roles.cli.some((v) => v.variable === row.variable) ? ['CLI'] : [])];
      expect(row.readBy, row.variable).toEqual(readers);
    }
  });

  it('states every default config.ts gives (a variable without one states no number)', () => {
    const checks: Array<[Row, ConfigVariable[]]> = [
      ...serverRows.map((r): [Row, ConfigVariable[]] => [r, roles.server]),
      ...clientRows.map((r): [Row, ConfigVariable[]] => [r, [...roles.agent, ...roles.cli]]),
    ];
    for (const [row, settings] of checks) {
      for (const setting of settings.filter((s) => s.variable === row.variable)) {
        const { actual, stated } = defaultsOf(setting, row.default);
        if (actual === undefined) expect(row.default, row.variable).not.toMatch(/^`?\d/);
        else expect(stated, `${row.variable}: "${row.default}"`).toEqual(actual);
      }
    }
  });
});
