/**
 * Static guard on who imports whom: bench/ and test/ share code only through support/, and support/ (shared
 * by both) depends on neither. The shipped code (src/, rules/) imports none of the three, so the packed
 * tarball never needs them.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? files(p) : /\.(ts|mts|js|mjs)$/.test(p) ? [p] : [];
  });
}

/** Static and dynamic imports and re-exports: `from '…'`, `import '…'`, `import('…')`. */
const IMPORT = /\bfrom\s*['"]([^'"]+)['"]|\bimport\s*\(?\s*['"]([^'"]+)['"]/g;

/** The top-level folder each relative import of `file` lands in (package imports are skipped). */
function importedFolders(file: string): { spec: string; folder: string }[] {
  const out: { spec: string; folder: string }[] = [];
  for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
    const spec = m[1] ?? m[2];
    if (!spec.startsWith('.')) continue;
    const target = path.relative(ROOT, path.resolve(path.dirname(file), spec));
    out.push({ spec, folder: target.split(path.sep)[0] });
  }
  return out;
}

/** `from → to` for every import from a file under `from` into one of the `forbidden` top-level folders. */
function crossings(from: string, forbidden: string[]): string[] {
  return files(path.join(ROOT, from)).flatMap((f) =>
    importedFolders(f)
      .filter((i) => forbidden.includes(i.folder))
      .map((i) => `${path.relative(ROOT, f)} → ${i.spec}`),
  );
}

describe('import boundaries', () => {
  it('finds the imports it checks (the scan is not vacuous)', () => {
    const fromTest = files(path.join(ROOT, 'test')).flatMap(importedFolders);
    expect(fromTest.filter((i) => i.folder === 'support').length).toBeGreaterThan(5);
    const fromBench = files(path.join(ROOT, 'bench')).flatMap(importedFolders);
    expect(fromBench.filter((i) => i.folder === 'support').length).toBeGreaterThan(2);
  });

  it('nothing under bench/ imports from test/', () => {
    expect(crossings('bench', ['test'])).toEqual([]);
  });

  it('nothing under test/ imports from bench/', () => {
    expect(crossings('test', ['bench'])).toEqual([]);
  });

  it('support/ imports from neither bench/ nor test/', () => {
    expect(crossings('support', ['bench', 'test'])).toEqual([]);
  });

  it('src/ and rules/ import nothing from bench/, support/ or test/', () => {
    const notShipped = ['bench', 'support', 'test'];
    expect([...crossings('src', notShipped), ...crossings('rules', notShipped)]).toEqual([]);
  });
});
