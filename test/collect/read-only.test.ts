/**
 * Static guard: the shipped code may only reference read-only AWS API commands.
 * (The fake-endpoint tests prove the same for the requests actually sent.)
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('read-only', () => {
  it('src/ and rules/ reference only Describe*/Get*/List* AWS commands (and STS AssumeRole for credentials)', () => {
    const commands = new Set<string>();
    for (const f of [...files(path.join(ROOT, 'src')), ...files(path.join(ROOT, 'rules'))]) {
      for (const m of readFileSync(f, 'utf8').matchAll(/\b([A-Z][A-Za-z0-9]+)Command\b/g)) commands.add(m[1]);
    }
    expect(commands.size).toBeGreaterThan(5);
    const mutating = [...commands].filter((c) => !/^(Describe|Get|List)/.test(c) && c !== 'AssumeRole');
    expect(mutating).toEqual([]);
  });

  it('rules do not import AWS clients or do I/O', () => {
    for (const f of files(path.join(ROOT, 'rules'))) {
      const src = readFileSync(f, 'utf8');
      expect(src, f).not.toMatch(/from '@aws-sdk|from 'node:(fs|net|http|https|child_process)'/);
    }
  });
});
