/**
 * Issue #11 item 5: no line over 120 characters in src/ and rules/. Prettier wraps code at 120 columns but leaves
 * long string literals, regexes and comments as they are; this test catches those, naming file:line.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const MAX_LINE = 120;

/** Every TypeScript file under `dir`, as a root-relative POSIX path. */
function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && d.name.endsWith('.ts'))
    .map((d) => path.relative(ROOT, path.join(d.parentPath, d.name)).split(path.sep).join('/'))
    .sort();
}

/** `file:line: N characters` for each line over the limit (characters are code points, not UTF-8 bytes). */
function longLines(file: string, text = readFileSync(path.join(ROOT, file), 'utf8')): string[] {
  return text
    .split(/\r?\n/)
    .flatMap((line, i) => {
      const width = [...line].length;
      return width > MAX_LINE ? [`${file}:${i + 1}: ${width} characters`] : [];
    });
}

describe(`no line over ${MAX_LINE} characters`, () => {
  for (const dir of ['src', 'rules']) {
    it(`${dir}/`, () => {
      const files = sources(dir);
      expect(files.length).toBeGreaterThan(0);
      expect(files.flatMap((f) => longLines(f))).toEqual([]);
    });
  }

  it('names file:line and counts characters, not UTF-8 bytes', () => {
    const text = ['short', 'x'.repeat(MAX_LINE + 1), '–'.repeat(MAX_LINE), '❌'.repeat(MAX_LINE + 2)].join('\n');
    expect(longLines('a.ts', text)).toEqual([`a.ts:2: ${MAX_LINE + 1} characters`, `a.ts:4: ${MAX_LINE + 2} characters`]);
  });
});
