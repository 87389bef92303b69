import { describe, expect, test } from 'vitest';
import { formatProgress, ProgressLine, progressEnabled } from '../../src/cli/progress.js';

describe('progress', () => {
  test('only on an interactive stderr, outside CI, without --quiet', () => {
    expect(progressEnabled({ write() {}, isTTY: true }, {}, false)).toBe(true);
    expect(progressEnabled({ write() {}, isTTY: false }, {}, false)).toBe(false);
    expect(progressEnabled({ write() {} }, {}, false)).toBe(false);
    expect(progressEnabled({ write() {}, isTTY: true }, { CI: 'true' }, false)).toBe(false);
    expect(progressEnabled({ write() {}, isTTY: true }, { CI: '' }, false)).toBe(true);
    expect(progressEnabled({ write() {}, isTTY: true }, {}, true)).toBe(false);
  });

  test('line content', () => {
    const stats = { calls: 230, retries: 1, failed: 0, regionsTotal: 34, regionsDone: 12, pending: 3 };
    expect(formatProgress(stats, 4200)).toBe('12/34 regions · 230 calls · 1 retry · 4.2s');
    expect(formatProgress({ ...stats, regionsTotal: 0, retries: 3, failed: 2 }, 50)).toBe(
      'resolving accounts and regions · 230 calls · 3 retries · 2 failed · 0.1s',
    );
  });

  test('rewrites one line while running, leaves a summary when done', () => {
    const out: string[] = [];
    let now = 1000;
    const line = new ProgressLine({ write: (s: string) => out.push(s), isTTY: true }, 60_000, () => now);
    const stats = { calls: 0, retries: 0, failed: 0, regionsTotal: 2, regionsDone: 0, pending: 0 };
    line.start(stats);
    stats.calls = 7;
    stats.regionsDone = 2;
    now = 3500;
    line.stop({ ok: true });
    expect(out).toEqual([
      '\r\x1b[2K⠋ sg-audit: collecting · 0/2 regions · 0 calls · 0.0s',
      '\r\x1b[2Ksg-audit: collected 2/2 regions · 7 calls · 2.5s\n',
    ]);
    // After an error or interruption the line is just cleared.
    const out2: string[] = [];
    const l2 = new ProgressLine({ write: (s: string) => out2.push(s), isTTY: true }, 60_000, () => now);
    l2.start(stats);
    l2.stop({ ok: false });
    expect(out2.at(-1)).toBe('\r\x1b[2K');
  });
});
