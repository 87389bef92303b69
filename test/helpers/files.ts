/**
 * Files for tests that read inputs from disk: the repository's fixtures, temp directories with files
 * written in one call, and the message of the one-line usage error a loader throws.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { serializeSnapshot } from '../../src/snapshot/load.js';
import type { Snapshot } from '../../src/snapshot/schema.js';
import { UsageError } from '../../src/util/errors.js';

export const ROOT = path.resolve(import.meta.dirname, '../..');
/** The demo estate snapshot (two accounts, two regions). */
export const DEMO_ESTATE = path.join(ROOT, 'fixtures/demo/estate.json');
/** Raw `aws ec2 describe-security-groups` output. */
export const RAW_DESCRIBE = path.join(ROOT, 'fixtures/demo/describe-security-groups.json');

/** A fresh directory `sg-audit-<name>-XXXXXX` under the system temp dir, holding these files. */
export function tempDir(name: string, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), `sg-audit-${name}-`));
  for (const [file, text] of Object.entries(files)) writeFileSync(path.join(dir, file), text);
  return dir;
}

/** Writes text, or a snapshot serialised as the CLI reads it, to `dir/name`; returns the path. */
export function writeInput(dir: string, name: string, content: string | Snapshot): string {
  const file = path.join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : serializeSnapshot(content));
  return file;
}

/** The message of the UsageError `fn` throws (fails the test if it throws anything else or nothing). */
export function usageMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('expected a UsageError');
}
