/**
 * The shared file reader (src/util/fs.ts): size cap that holds for FIFOs and devices, encodings (UTF-8
 * BOM, UTF-16 from PowerShell), one-line JSON errors, YAML alias bombs; default files and display paths.
 * Writing is tested with the outputs (test/cli/outputs.test.ts).
 */
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  decodeText,
  displayPath,
  firstExisting,
  formatSize,
  INPUT_LIMIT_BYTES,
  parseJson,
  parseYaml,
  readBytes,
  readStructuredFile,
  readText,
  YAML_MAX_ALIAS_COUNT,
  YAML_MAX_DEPTH,
} from '../../src/util/fs.js';
import { tempDir, usageMessage } from '../helpers/files.js';
import { aliasBomb } from '../helpers/hostile-input.js';

const limit = (maxBytes: number) => ({ maxBytes, what: 'input', limitName: 'input limit', advice: 'split it' });

describe('readBytes: size cap', () => {
  it("documents a cap between the 100k-group snapshot (143 MB) and V8's longest string", () => {
    expect(INPUT_LIMIT_BYTES).toBe(256_000_000);
    expect(INPUT_LIMIT_BYTES).toBeGreaterThan(239_000_000); // 100k groups written indented
    expect(INPUT_LIMIT_BYTES).toBeLessThan(0x1fffffe8);
  });

  it('rejects a regular file over the limit from its size, naming size, limit and the way out', () => {
    const dir = tempDir('read');
    const f = path.join(dir, 'big.json');
    writeFileSync(f, 'x'.repeat(2_500_000));
    expect(usageMessage(() => readBytes(f, { ...limit(1_000_000), display: 'big.json' }))).toBe(
      'big.json: 2.5 MB is over the 1 MB input limit; split it',
    );
    expect(readBytes(f, limit(2_500_000)).length).toBe(2_500_000);
  });

  it('/dev/zero stops at the limit instead of growing without end', () => {
    expect(usageMessage(() => readBytes('/dev/zero', limit(3_000_000)))).toBe(
      '/dev/zero: more than 3 MB is over the 3 MB input limit; split it',
    );
  });

  it('a FIFO fed more than the limit is cut off at the limit; one within it is read whole', async () => {
    const dir = tempDir('read-fifo');
    const fifo = path.join(dir, 'pipe.json');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    // The writer is another process: the synchronous read below blocks this one.
    const writer = spawn('sh', ['-c', `head -c 5000000 /dev/zero > '${fifo}'`], { stdio: 'ignore' });
    const done = new Promise((resolve) => writer.on('exit', resolve));
    expect(usageMessage(() => readBytes(fifo, { ...limit(2_000_000), display: 'pipe.json' }))).toBe(
      'pipe.json: more than 2 MB is over the 2 MB input limit; split it',
    );
    await done; // SIGPIPE once the read end is closed

    const small = spawn('sh', ['-c', `printf '{"SecurityGroups": []}' > '${fifo}'`], { stdio: 'ignore' });
    const smallDone = new Promise((resolve) => small.on('exit', resolve));
    expect(readText(fifo, limit(2_000_000))).toBe('{"SecurityGroups": []}');
    await smallDone;
  });

  it('a directory or a missing file is "cannot read <what> (CODE)"', () => {
    const dir = tempDir('read-dir');
    expect(usageMessage(() => readBytes(dir, { ...limit(10), display: 'd' }))).toBe('d: cannot read input (EISDIR)');
    expect(usageMessage(() => readBytes(path.join(dir, 'nope'), { ...limit(10), display: 'nope' }))).toBe(
      'nope: cannot read input (ENOENT)',
    );
  });

  it('formats sizes', () => {
    expect([
      formatSize(143_400_000),
      formatSize(1_073_741_824),
      formatSize(2_500_000),
      formatSize(12_345),
      formatSize(900),
    ]).toEqual(['143 MB', '1073 MB', '2.5 MB', '12.3 kB', '900 bytes']);
  });
});

describe('decodeText: encodings', () => {
  const text = '{"reason": "café ☕"}\n';
  const utf16be = (s: string) => Buffer.from(s, 'utf16le').swap16();

  it('UTF-8 with and without BOM', () => {
    expect(decodeText(Buffer.from(text), 'f')).toBe(text);
    expect(decodeText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), 'f')).toBe(text);
  });

  it('UTF-16 LE and BE, with BOM (PowerShell 5 `>`) or detected by the NUL pattern', () => {
    expect(decodeText(Buffer.from('\ufeff' + text, 'utf16le'), 'f')).toBe(text);
    expect(decodeText(Buffer.from(text, 'utf16le'), 'f')).toBe(text);
    expect(decodeText(utf16be('\ufeff' + text), 'f')).toBe(text);
    expect(decodeText(utf16be(text), 'f')).toBe(text);
  });

  it('rejects what is not UTF-8 or UTF-16 by name, with no undecodable bytes in the message', () => {
    expect(usageMessage(() => decodeText(Buffer.from('a: 1\nreason: caf\xe9\n', 'latin1'), 'f.yaml'))).toBe(
      'f.yaml: not UTF-8 text (invalid byte 0xe9 on line 2); save it as UTF-8',
    );
    expect(usageMessage(() => decodeText(Buffer.from([0x7b, 0x7d, 0x00, 0x0a]), 'f.json'))).toBe(
      'f.json: not a text file (NUL character at offset 2); save it as UTF-8',
    );
    expect(usageMessage(() => decodeText(Buffer.from([0xff, 0xfe, 0x7b, 0x00, 0x7d]), 'f.json'))).toBe(
      'f.json: looks like UTF-16 but has an odd number of bytes (truncated?); save it as UTF-8',
    );
  });
});

describe('parseJson / parseYaml: one-line errors', () => {
  it('JSON: position as line and column, control characters escaped', () => {
    expect(usageMessage(() => parseJson('{\n  "a": 1,\n}\n', 'f.json'))).toBe(
      'f.json: invalid JSON: Expected double-quoted property name at line 3, column 1',
    );
    const msg = usageMessage(() => parseJson('{"a":\t\u0001}', 'f.json'));
    expect(msg).toMatch(/^f\.json: invalid JSON: /);
    expect(msg).not.toMatch(/[\u0000-\u001f]/);
    expect(msg).toContain('\\u0001');
  });

  it('YAML: every syntax error on its own line with line and column', () => {
    expect(usageMessage(() => parseYaml('a: 1\na: 2\nb: 1\nb: 2\n', 'c.yaml')).split('\n')).toEqual([
      'c.yaml:2:1: invalid YAML: Map keys must be unique',
      'c.yaml:4:1: invalid YAML: Map keys must be unique',
    ]);
  });

  it('YAML: an alias bomb is a usage error naming the file, found at once', () => {
    const t = Date.now();
    expect(usageMessage(() => parseYaml(aliasBomb(), 'c.yaml'))).toBe(
      `c.yaml: YAML aliases expand too far (more than ${YAML_MAX_ALIAS_COUNT} alias uses, an alias bomb?); write the values out`,
    );
    expect(Date.now() - t).toBeLessThan(2000);
  });

  it('YAML: an anchored value reused for many entries is fine (the library default of 100 would refuse it)', () => {
    const y = 'r: &r Legacy VPN, SEC-42\nl:\n' + Array(150).fill('  - *r').join('\n') + '\n';
    expect((parseYaml(y, 'c.yaml') as { l: string[] }).l).toHaveLength(150);
  });

  it('YAML nested deeper than YAML_MAX_DEPTH is refused before parsing (the parser would run out of stack)', () => {
    // 10,000 `[` aborted Node ("RegExpCompiler Allocation failed") instead of throwing.
    expect(usageMessage(() => parseYaml('['.repeat(10_000), 'c.yaml'))).toBe(
      `c.yaml:1: invalid YAML: nested more than ${YAML_MAX_DEPTH} levels deep`,
    );
    expect(usageMessage(() => parseYaml('- '.repeat(2000) + 'a\n', 'c.yaml'))).toBe(
      `c.yaml:1: invalid YAML: nested more than ${YAML_MAX_DEPTH} levels deep`,
    );
    const block = 'a:\n' + Array.from({ length: 1000 }, (_, i) => ' '.repeat(i + 1) + 'b:').join('\n') + ' 1\n';
    expect(usageMessage(() => parseYaml(block, 'c.yaml'))).toBe(
      `c.yaml:${YAML_MAX_DEPTH + 2}: invalid YAML: nested more than ${YAML_MAX_DEPTH} levels deep`,
    );
    // Ordinary nesting, brackets in strings and long lines are not counted against it.
    const ok =
      'rules:\n  x:\n    options:\n      ports: [[1, 2], {a: [3]}]\nreason: "[[[" # ]]\nlong: ' +
      'y'.repeat(5000) +
      '\n';
    expect(parseYaml(ok, 'c.yaml')).toMatchObject({
      rules: { x: { options: { ports: [[1, 2], { a: [3] }] } } },
      reason: '[[[',
    });
  });
});

describe('readStructuredFile', () => {
  it('YAML and JSON with a UTF-8 BOM, and UTF-16 with BOM', () => {
    const dir = tempDir('structured');
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    writeFileSync(path.join(dir, 'a.yaml'), Buffer.concat([bom, Buffer.from('ports:\n  web: [8443]\n')]));
    writeFileSync(path.join(dir, 'a.json'), Buffer.concat([bom, Buffer.from('{"ports": {"web": [8443]}}')]));
    writeFileSync(path.join(dir, 'b.json'), Buffer.from('\ufeff{"ports": {"web": [8443]}}\r\n', 'utf16le'));
    for (const f of ['a.yaml', 'a.json', 'b.json'])
      expect(readStructuredFile(path.join(dir, f), f)).toEqual({ ports: { web: [8443] } });
  });

  it('a settings file over its limit names file, size and limit', () => {
    const dir = tempDir('structured-big');
    writeFileSync(path.join(dir, 'c.yaml'), `a: "${'x'.repeat(20_000)}"\n`);
    expect(usageMessage(() => readStructuredFile(path.join(dir, 'c.yaml'), 'c.yaml', { maxBytes: 10_000 }))).toBe(
      'c.yaml: 20 kB is over the 10 kB limit for a settings file',
    );
  });
});

describe('default files and display paths', () => {
  it('firstExisting: the first name, in the given order, that exists in the directory', () => {
    const dir = tempDir('first', { 'b.yml': 'x: 1', 'c.json': '{}' });
    expect(firstExisting(dir, ['a.yaml', 'b.yml', 'c.json'])).toBe('b.yml');
    expect(firstExisting(dir, ['c.json', 'b.yml'])).toBe('c.json');
    expect(firstExisting(dir, ['a.yaml'])).toBeUndefined();
  });

  it('displayPath: relative inside the working directory, absolute outside it', () => {
    const cwd = path.resolve('/work/estate');
    expect(displayPath('sup.yaml', cwd)).toBe('sup.yaml');
    expect(displayPath(path.join(cwd, 'in', 'b.json'), cwd)).toBe(path.join('in', 'b.json'));
    expect(displayPath('../other/b.json', cwd)).toBe(path.resolve('/work/other/b.json'));
  });
});
