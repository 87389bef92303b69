/**
 * Issue #10, items 1 and 2: how outputs are written (atomically for regular files and new paths, through
 * for devices and FIFOs, symlinks kept) and output collisions decided on resolved paths before anything
 * runs. The built CLI is spawned (dist/, built by `npm test`).
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeFileAtomic, outputIdentity } from '../../src/util/fs.js';
import { DEMO_ESTATE, tempDir, usageMessage } from '../helpers/files.js';
import { assertCliBuilt, runCli } from '../helpers/spawn-cli.js';

let dir: string;
const run = (args: string[]) => runCli(args, { cwd: dir });
/**
 * The devices written to. As root (CI runs as root) these are private nodes made with mknod in the temp folder
 * (same major/minor as /dev/null and /dev/full), so a regression that renames over a device replaces a test file,
 * never the machine's /dev/null. Without root the shared devices are used: renaming over them needs write access
 * to /dev, which only root has.
 */
let NULL_DEV = '/dev/null';
let FULL_DEV = '/dev/full';

beforeAll(() => {
  assertCliBuilt();
  dir = tempDir('outputs');
  if (process.getuid?.() === 0) {
    const nul = path.join(dir, 'null');
    const full = path.join(dir, 'full');
    if (spawnSync('mknod', ['-m', '666', nul, 'c', '1', '3']).status === 0) NULL_DEV = nul;
    if (spawnSync('mknod', ['-m', '666', full, 'c', '1', '7']).status === 0) FULL_DEV = full;
  }
  copyFileSync(DEMO_ESTATE, path.join(dir, 'a.json'));
  mkdirSync(path.join(dir, 'out'));
});

const expectUsage = (r: ReturnType<typeof run>, line: RegExp) => {
  expect(r.stderr.trimEnd()).toMatch(line);
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
};
const noTempFiles = (d: string) => expect(readdirSync(d).filter((f) => f.endsWith('.tmp'))).toEqual([]);

describe('writing outputs (item 1)', () => {
  it('a FIFO is written through and stays a FIFO', () => {
    const fifo = path.join(dir, 'pipe');
    const got = path.join(dir, 'from-pipe.json');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    // The reader writes to a file, not back to us: runCli blocks this process while the CLI writes.
    const reader = spawn('sh', ['-c', 'cat "$0" > "$1"', fifo, got], { stdio: 'ignore' });
    const done = new Promise((resolve) => reader.on('close', resolve));
    const r = run(['scan', '--input', 'a.json', '-f', 'json', '-o', 'pipe']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    return done.then(() => {
      expect(lstatSync(fifo).isFIFO()).toBe(true);
      expect(JSON.parse(readFileSync(got, 'utf8')).schemaVersion).toBe(1);
      noTempFiles(dir);
    });
  });

  it('a FIFO whose reader stops early ends quietly (EPIPE), as stdout does', () => {
    const fifo = path.join(dir, 'pipe-early');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const reader = spawn('sh', ['-c', 'head -c 10 "$0" > /dev/null', fifo], { stdio: 'ignore' });
    const done = new Promise((resolve) => reader.on('close', resolve));
    // ~400 KB: far beyond a pipe buffer, so the CLI is still writing when `head` exits.
    const r = run(['scan', '--input', 'a.json', '-f', 'json', '-v', '-o', 'pipe-early']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    return done.then(() => expect(lstatSync(fifo).isFIFO()).toBe(true));
  });

  it('/dev/null, directly or through a symlink, stays the character device', () => {
    symlinkSync(NULL_DEV, path.join(dir, 'null-link'));
    expect(run(['scan', '--input', 'a.json', '-o', NULL_DEV]).code).toBe(1);
    expect(run(['scan', '--input', 'a.json', '-o', 'null-link', '--report', `sarif=${NULL_DEV}`]).code).toBe(1);
    expect(statSync(NULL_DEV).isCharacterDevice()).toBe(true);
    expect(lstatSync(path.join(dir, 'null-link')).isSymbolicLink()).toBe(true);
    noTempFiles(dir);
  });

  it('a full device is one line and exit 2, and stays a device', () => {
    const r = run(['scan', '--input', 'a.json', '-o', FULL_DEV]);
    expectUsage(r, /: cannot write \(ENOSPC\)$/m);
    expect(r.stderr).toBe(`sg-audit: ${FULL_DEV}: cannot write (ENOSPC)\n`);
    expect(statSync(FULL_DEV).isCharacterDevice()).toBe(true);
  });

  it('a symlink stays a symlink; its target is replaced atomically (mode kept), also when dangling', () => {
    writeFileSync(path.join(dir, 'target.json'), 'old', { mode: 0o640 });
    symlinkSync('target.json', path.join(dir, 'link.json'));
    symlinkSync('out/new.json', path.join(dir, 'dangling.json'));
    expect(
      run(['scan', '--input', 'a.json', '-f', 'json', '-o', 'link.json', '--report', 'json=dangling.json']).code,
    ).toBe(1);
    expect(readlinkSync(path.join(dir, 'link.json'))).toBe('target.json');
    expect(readlinkSync(path.join(dir, 'dangling.json'))).toBe('out/new.json');
    expect(JSON.parse(readFileSync(path.join(dir, 'target.json'), 'utf8')).schemaVersion).toBe(1);
    expect(statSync(path.join(dir, 'target.json')).mode & 0o777).toBe(0o640);
    expect(JSON.parse(readFileSync(path.join(dir, 'out/new.json'), 'utf8')).schemaVersion).toBe(1);
    noTempFiles(dir);
  });

  it('a directory is exit 2 and nothing is written', () => {
    expectUsage(
      run(['scan', '--input', 'a.json', '--report', 'json=report.json', '-o', 'out']),
      /: cannot write: is a directory, expected a file$/,
    );
    expect(existsSync(path.join(dir, 'report.json'))).toBe(false);
    expect(() => writeFileAtomic(path.join(dir, 'out'), 'x')).toThrow(/is a directory/);
  });

  it('writeFileAtomic writes chunks through a device like a string', () => {
    expect(() => writeFileAtomic(NULL_DEV, ['a', 'é', ''])).not.toThrow();
    expect(usageMessage(() => writeFileAtomic(FULL_DEV, ['a']))).toBe(`${FULL_DEV}: cannot write (ENOSPC)`);
  });
});

describe('output collisions, on resolved paths, before anything runs (item 2)', () => {
  it('an output that is an --input file', () => {
    const before = readFileSync(path.join(dir, 'a.json'), 'utf8');
    expectUsage(
      run(['scan', '--input', 'a.json', '-o', 'a.json']),
      /^sg-audit: -o a\.json: is also read as --input a\.json; write the output to another file$/,
    );
    expectUsage(
      run(['scan', '--input', 'a.json', '--report', `json=${dir}/out/../a.json`]),
      /is also read as --input a\.json/,
    );
    expectUsage(
      run(['scan', '--input', 'a.json', '--save-snapshot', './a.json']),
      /^sg-audit: --save-snapshot \.\/a\.json: is also read as --input a\.json/,
    );
    expect(readFileSync(path.join(dir, 'a.json'), 'utf8')).toBe(before);
  });

  it('two outputs naming the same file in different spellings, symlinked spellings included', () => {
    symlinkSync('out', path.join(dir, 'out-link'));
    const cases: Array<[string[], RegExp]> = [
      [
        ['-o', 'out/r.json', '--report', 'sarif=./out/r.json'],
        /^sg-audit: --report sarif=\.\/out\/r\.json: same file as -o out\/r\.json; give each output its own file$/,
      ],
      [['-o', 'r2.json', '--report', 'json=r2.json'], /--report json=r2\.json: same file as -o r2\.json/],
      [
        ['--report', 'json=out/r3.json', '--report', 'sarif=out-link/r3.json'],
        /--report sarif=out-link\/r3\.json: same file as --report json=out\/r3\.json/,
      ],
    ];
    for (const [args, line] of cases) expectUsage(run(['scan', '--input', 'a.json', ...args]), line);
    expect(readdirSync(path.join(dir, 'out')).filter((f) => /^r\d?\.json$/.test(f))).toEqual([]);
    expect(existsSync(path.join(dir, 'r2.json'))).toBe(false);
  });

  it('outputIdentity resolves symlinks, `..` and not-yet-existing names alike', () => {
    const real = path.join(dir, 'out');
    expect(outputIdentity(path.join(dir, 'out-link', 'x.json'))).toBe(outputIdentity(path.join(real, 'x.json')));
    expect(outputIdentity(path.join(dir, 'out', '..', 'a.json'))).toBe(outputIdentity(path.join(dir, 'a.json')));
  });
});
