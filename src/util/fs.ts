/**
 * The one place sg-audit touches files given to it.
 *
 * Reading (snapshots and aws-cli output, config, suppressions, baselines): size-capped (a FIFO or
 * `/dev/zero` never grows past the cap), BOM and UTF-16 aware, YAML with bounded alias expansion, and every
 * failure a one-line UsageError naming the file.
 *
 * Writing (reports, snapshots):
 * - a regular file or a new path is written atomically: a temp file in the same directory, then a
 *   rename, so nothing is ever half-written (the mode of a file being replaced is kept);
 * - a character device, FIFO or socket (`-o /dev/null`, `-o /dev/stdout`, a named pipe) is written
 *   through, never replaced by a regular file;
 * - a symlink stays a symlink: its target is what gets (atomically) replaced;
 * - a directory is a usage error.
 * `outputIdentity` gives the file a path really names, for the collision checks made before a scan runs.
 */
import { isUtf8 } from 'node:buffer';
import {
  chmodSync,
  closeSync,
  existsSync,
  fstatSync,
  lstatSync,
  openSync,
  readlinkSync,
  readSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
  type Stats,
} from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { UsageError } from './errors.js';

const MB = 1_000_000;

/**
 * Largest `--input` file: 256 MB. A 100k-group compact snapshot is 143 MB (239 MB indented) and a scan
 * of it peaks at 1.40 GB; 256 MB (~180k groups compact) extrapolates to ~2.5 GB, inside Node 20's default
 * 4.3 GB heap on 64-bit, and stays well below V8's longest string (536,870,888 characters), past which the
 * text could not be decoded at all. Larger estates: collect per account or region, pass several --input.
 */
export const INPUT_LIMIT_BYTES = 256 * MB;

/**
 * Largest config or suppressions file: 10 MB (tens of thousands of suppression entries). The YAML parser
 * builds a node tree several times the text's size; settings files are hand-written and small.
 */
export const SETTINGS_LIMIT_BYTES = 10 * MB;

/**
 * Largest baseline (a JSON report): V8's longest string. A report is ~1.9× its snapshot (267 MB at 100k
 * groups), so a baseline may legitimately be larger than an input.
 */
export const BASELINE_LIMIT_BYTES = 0x1fffffe8;

/**
 * Alias uses a YAML document may expand (the `yaml` package's `maxAliasCount`; its default is 100). An
 * alias bomb ("billion laughs") multiplies the count at every level and is rejected after a few steps;
 * 1000 leaves room for a suppressions file reusing an anchored `reason` for many entries.
 */
export const YAML_MAX_ALIAS_COUNT = 1000;

/**
 * Deepest YAML nesting accepted. The `yaml` package composes documents recursively: it runs out of stack
 * at ~880 levels of block nesting and ~800 of flow nesting, and near the stack's end V8 may abort the
 * whole process (a fatal "RegExpCompiler Allocation failed" was seen at 10,000 `[`). Settings files nest
 * about 5 levels; 200, against an upper bound counted before parsing, keeps far from the stack's end.
 */
export const YAML_MAX_DEPTH = 200;

export interface ReadOptions {
  /** The path as shown in messages (default: the path read). */
  display?: string;
  /** What the file is, for `cannot read <what> (ENOENT)`: `input`, `file`, `baseline`. */
  what?: string;
  /** Largest size accepted, in bytes. */
  maxBytes: number;
  /** The limit's name in the over-the-limit message: `input limit`. */
  limitName?: string;
  /** The way out, appended to the over-the-limit message after `; `. */
  advice?: string;
}

/** `143 MB`, `1.5 MB`, `12 kB`, `900 bytes`. */
export function formatSize(bytes: number): string {
  const trim = (n: number) => (n >= 100 ? Math.floor(n).toString() : (Math.floor(n * 10) / 10).toString());
  if (bytes >= MB) return `${trim(bytes / MB)} MB`;
  if (bytes >= 1000) return `${trim(bytes / 1000)} kB`;
  return `${bytes} bytes`;
}

function cannotRead(display: string, what: string, err: unknown): UsageError {
  return new UsageError(`${display}: cannot read ${what} (${(err as NodeJS.ErrnoException).code ?? String(err)})`, {
    cause: err,
  });
}

function overLimit(o: ReadOptions, display: string, size: string): UsageError {
  return new UsageError(
    `${display}: ${size} is over the ${formatSize(o.maxBytes)} ${o.limitName ?? 'size limit'}` +
      `${o.advice ? `; ${o.advice}` : ''}`,
  );
}

/**
 * The bytes of a file, at most `maxBytes`. A regular file over the limit is rejected from its size before
 * anything is read; anything else (FIFO, character device, a file still growing) is read in a bounded loop
 * and rejected as soon as it passes the limit: the read holds at most `maxBytes` + 1 MB (a stream's
 * chunks are joined at the end, so twice that for a moment).
 */
export function readBytes(file: string, o: ReadOptions): Buffer {
  const display = o.display ?? file;
  const what = o.what ?? 'file';
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    throw cannotRead(display, what, err);
  }
  try {
    let size = 0;
    let regular = false;
    try {
      const st = fstatSync(fd);
      regular = st.isFile();
      if (regular) size = st.size;
    } catch (err) {
      throw cannotRead(display, what, err);
    }
    if (regular && size > o.maxBytes) throw overLimit(o, display, formatSize(size));
    const chunks: Buffer[] = [];
    let total = 0;
    // A regular file is read into one buffer of its size (+1 byte to notice growth); a stream in 1 MB
    // chunks, growing at most to the limit + 1 byte.
    let buf = Buffer.allocUnsafe(regular ? size + 1 : Math.min(MB, o.maxBytes + 1));
    let used = 0;
    for (;;) {
      if (used === buf.length) {
        chunks.push(buf);
        buf = Buffer.allocUnsafe(Math.min(MB, o.maxBytes + 1 - total));
        used = 0;
      }
      let n: number;
      try {
        n = readSync(fd, buf, used, buf.length - used, null);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EAGAIN') continue; // non-blocking pipe, not ready yet
        throw cannotRead(display, what, err);
      }
      if (n === 0) break;
      used += n;
      total += n;
      if (total > o.maxBytes) throw overLimit(o, display, `more than ${formatSize(o.maxBytes)}`);
    }
    chunks.push(buf.subarray(0, used));
    return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}

/**
 * Bytes as text. A UTF-8 BOM is dropped. UTF-16 (Windows PowerShell 5's `>` and `Out-File` write UTF-16 LE
 * with a BOM) is decoded, LE or BE, by its BOM or, without one, by the NUL byte next to the first character
 * (JSON and YAML start with an ASCII character; RFC 4627 §3 detects the encoding the same way): the file
 * the user meant is read, rather than telling them to convert it. Anything else that is not valid UTF-8
 * (Latin-1, UTF-32, binary) is rejected by name; no undecodable bytes ever reach a message.
 */
export function decodeText(buf: Buffer, display: string): string {
  const b0 = buf[0];
  const b1 = buf[1];
  if (buf.length >= 3 && b0 === 0xef && b1 === 0xbb && buf[2] === 0xbf) return utf8(buf.subarray(3), display);
  let utf16: 'le' | 'be' | undefined;
  let start = 0;
  if (buf.length >= 2 && b0 === 0xff && b1 === 0xfe && !(buf.length >= 4 && buf[2] === 0 && buf[3] === 0)) {
    utf16 = 'le';
    start = 2;
  } else if (buf.length >= 2 && b0 === 0xfe && b1 === 0xff) {
    utf16 = 'be';
    start = 2;
  } else if (
    buf.length >= 2 &&
    b0 !== 0 &&
    b0 < 0x80 &&
    b1 === 0 &&
    !(buf.length >= 4 && buf[2] === 0 && buf[3] === 0)
  ) {
    utf16 = 'le';
  } else if (buf.length >= 2 && b0 === 0 && b1 !== 0 && b1 < 0x80) {
    utf16 = 'be';
  }
  if (utf16) {
    const body = buf.subarray(start);
    if (body.length % 2 !== 0) {
      throw new UsageError(
        `${display}: looks like UTF-16 but has an odd number of bytes (truncated?); save it as UTF-8`,
      );
    }
    // swap16 works in place: byte-swap a copy so the caller's buffer stays as read.
    const text = utf16 === 'le' ? body.toString('utf16le') : Buffer.from(body).swap16().toString('utf16le');
    if (!isWellFormedUtf16(text))
      throw new UsageError(`${display}: invalid UTF-16 (unpaired surrogate); save it as UTF-8`);
    return noNul(text, display);
  }
  return utf8(buf, display);
}

function utf8(buf: Buffer, display: string): string {
  if (!isUtf8(buf)) {
    const at = firstInvalidUtf8(buf);
    let line = 1;
    for (let i = buf.indexOf(10); i >= 0 && i < at; i = buf.indexOf(10, i + 1)) line++;
    throw new UsageError(
      `${display}: not UTF-8 text (invalid byte 0x${buf[at].toString(16)} on line ${line}); save it as UTF-8`,
    );
  }
  return noNul(buf.toString('utf8'), display);
}

function noNul(text: string, display: string): string {
  const at = text.indexOf('\0');
  if (at >= 0) throw new UsageError(`${display}: not a text file (NUL character at offset ${at}); save it as UTF-8`);
  return text;
}

function isWellFormedUtf16(s: string): boolean {
  // String.prototype.isWellFormed arrived with V8 11.3 (Node 20); the regex is the fallback.
  const f = (s as { isWellFormed?: () => boolean }).isWellFormed;
  if (f) return f.call(s);
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
}

/** Offset of the first byte that does not begin a valid UTF-8 sequence (only called once isUtf8 failed). */
function firstInvalidUtf8(buf: Buffer): number {
  for (let i = 0; i < buf.length;) {
    const b = buf[i];
    const n = b < 0x80 ? 0 : b >= 0xc2 && b < 0xe0 ? 1 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xf0 && b < 0xf5 ? 3 : -1;
    // isUtf8 of the one sequence also rules out overlong forms and surrogates.
    if (n < 0 || i + n >= buf.length || !isUtf8(buf.subarray(i, i + n + 1))) return i;
    i += n + 1;
  }
  return 0;
}

/** Read a text file with a size cap (see readBytes, decodeText). */
export function readText(file: string, o: ReadOptions): string {
  return decodeText(readBytes(file, o), o.display ?? file);
}

/**
 * JSON.parse with a one-line UsageError: control characters in V8's excerpt are escaped and `at position N`
 * is told as line and column. `hint` is appended in parentheses.
 */
export function parseJson(text: string, display: string, hint?: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    let msg = (err as Error).message.replace(
      / in JSON at position (\d+)$/,
      (_, p: string) => ` at ${lineCol(text, Number(p))}`,
    );
    msg = msg.replace(/ after JSON at position (\d+)$/, (_, p: string) => ` after JSON at ${lineCol(text, Number(p))}`);
    throw new UsageError(`${display}: invalid JSON: ${escapeControls(msg)}${hint ? ` (${hint})` : ''}`);
  }
}

function lineCol(text: string, pos: number): string {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < pos; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return `line ${line}, column ${pos - start + 1}`;
}

/** Control and invisible characters as `\uXXXX`, so a message stays one readable line. */
export function escapeControls(s: string): string {
  return s.replace(
    // eslint-disable-next-line no-control-regex -- control characters are what this escapes
    /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffd]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Read and parse a JSON file (size-capped, BOM and UTF-16 aware). */
export function readJsonFile(file: string, o: ReadOptions & { hint?: string }): unknown {
  const display = o.display ?? file;
  return parseJson(readText(file, o), display, o.hint);
}

/**
 * Parse YAML text: every syntax error on its own line `FILE:LINE:COL: invalid YAML: …`; alias expansion
 * bounded (YAML_MAX_ALIAS_COUNT); anything else the parser throws is a usage error naming the file too.
 */
export function parseYaml(text: string, display: string): unknown {
  const deep = yamlTooDeep(text, YAML_MAX_DEPTH);
  if (deep !== undefined) {
    throw new UsageError(`${display}:${deep}: invalid YAML: nested more than ${YAML_MAX_DEPTH} levels deep`);
  }
  let doc: YAML.Document.Parsed;
  try {
    doc = YAML.parseDocument(text, { prettyErrors: true });
  } catch (err) {
    throw new UsageError(`${display}: invalid YAML: ${escapeControls((err as Error).message.split('\n')[0])}`);
  }
  if (doc.errors.length > 0) {
    throw new UsageError(
      doc.errors
        .map((e) => {
          const pos = e.linePos?.[0];
          const msg = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
          return `${display}:${pos ? `${pos.line}:${pos.col}:` : ''} invalid YAML: ${escapeControls(msg)}`;
        })
        .join('\n'),
    );
  }
  try {
    return doc.toJS({ maxAliasCount: YAML_MAX_ALIAS_COUNT });
  } catch (err) {
    if (err instanceof ReferenceError && /alias count/i.test(err.message)) {
      throw new UsageError(
        `${display}: YAML aliases expand too far (more than ${YAML_MAX_ALIAS_COUNT} alias uses, an alias bomb?); ` +
          'write the values out',
      );
    }
    throw new UsageError(`${display}: invalid YAML: ${escapeControls((err as Error).message.split('\n')[0])}`);
  }
}

/**
 * The first line where an upper bound on a YAML text's nesting depth passes `limit`, in one pass without
 * parsing; undefined if it never does. The bound: the indentation plus block indicators (`- `, `? `, `: `)
 * a line starts with (every block level needs at least one of those), plus the flow brackets (`[`, `{`)
 * open at that point, counted everywhere (also inside quotes and comments: that only overestimates).
 */
function yamlTooDeep(text: string, limit: number): number | undefined {
  let line = 1;
  let flow = 0;
  let lead = 0;
  let atStart = true;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      lead = 0;
      atStart = true;
      continue;
    }
    if (atStart) {
      const next = i + 1 < n ? text.charCodeAt(i + 1) : 10;
      if (
        c === 32 ||
        ((c === 45 || c === 63 || c === 58) && (next === 32 || next === 9 || next === 10 || next === 13))
      ) {
        if (++lead + flow > limit) return line;
        continue;
      }
      atStart = false;
    }
    if (c === 91 || c === 123) {
      if (++flow + lead > limit) return line;
    } else if ((c === 93 || c === 125) && flow > 0) flow--;
  }
  return undefined;
}

/**
 * A config or suppressions file: JSON if it ends in `.json`, YAML otherwise; at most SETTINGS_LIMIT_BYTES.
 * Messages name `display` (default: the path).
 */
export function readStructuredFile(file: string, display: string = file, o: Partial<ReadOptions> = {}): unknown {
  const opts: ReadOptions = {
    display,
    what: 'file',
    maxBytes: SETTINGS_LIMIT_BYTES,
    limitName: 'limit for a settings file',
    ...o,
  };
  const text = readText(file, opts);
  return file.endsWith('.json') ? parseJson(text, display) : parseYaml(text, display);
}

/** The first of `names` (default file names, in order of preference) that exists in `dir`. */
export function firstExisting(dir: string, names: readonly string[]): string | undefined {
  return names.find((f) => existsSync(path.join(dir, f)));
}

/**
 * How a file is named in messages: relative to `cwd` when inside it, else absolute.
 */
export function displayPath(file: string, cwd: string): string {
  const abs = path.resolve(cwd, file);
  const rel = path.relative(cwd, abs);
  return rel && !rel.startsWith('..') ? rel : abs;
}

// ---- Writing ----

const MAX_LINKS = 40; // as Linux's ELOOP limit

interface Resolved {
  /** The path to write: the final target of any symlinks (absolute). */
  target: string;
  /** Stats of the target (followed), undefined when it does not exist yet. */
  stats?: Stats;
  /** The path went through /proc/<pid>/fd or /dev/fd: an open descriptor, written through whatever it is. */
  viaFd: boolean;
}

const isFdLink = (p: string) =>
  /^\/(proc\/(self|thread-self|\d+)\/fd|dev\/fd)\//.test(p) || /^\/dev\/std(in|out|err)$/.test(p);

function code(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? String(err);
}

/** Follow symlinks one hop at a time (a dangling symlink resolves to the path it would create). */
function resolveTarget(file: string): Resolved {
  let p = path.resolve(file);
  let viaFd = isFdLink(p);
  for (let hops = 0; ; hops++) {
    let l: Stats;
    try {
      l = lstatSync(p);
    } catch (err) {
      if (code(err) === 'ENOENT') return { target: p, viaFd };
      throw err;
    }
    if (!l.isSymbolicLink()) return { target: p, stats: l, viaFd };
    if (hops >= MAX_LINKS) throw Object.assign(new Error('too many symbolic links'), { code: 'ELOOP' });
    const link = readlinkSync(p);
    // /proc/self/fd/1 → "pipe:[1234]": not a path; stat through the magic link instead.
    if (viaFd && !link.startsWith('/')) return { target: p, stats: statSync(p), viaFd };
    p = path.resolve(path.dirname(p), link);
    viaFd ||= isFdLink(p);
  }
}

/**
 * What a path names, for "same file" checks: the real path of an existing file (symlinks and `..`
 * resolved), else the real path of its directory joined with its name.
 */
export function outputIdentity(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    /* does not exist (yet) */
  }
  let target: string;
  try {
    target = resolveTarget(file).target;
  } catch {
    target = path.resolve(file);
  }
  try {
    return path.join(realpathSync(path.dirname(target)), path.basename(target));
  } catch {
    return target;
  }
}

/** The output's resolved target; a usage error when it cannot be resolved or is a directory. */
function resolveOutput(file: string): Resolved {
  let r: Resolved;
  try {
    r = resolveTarget(file);
  } catch (err) {
    throw new UsageError(`${file}: cannot write (${code(err)})`);
  }
  if (r.stats?.isDirectory()) throw new UsageError(`${file}: cannot write: is a directory, expected a file`);
  return r;
}

/**
 * Check, before anything runs, that `file` can be written: its directory exists and it is not a
 * directory.
 */
export function checkWritable(file: string): void {
  const r = resolveOutput(file);
  if (!r.stats) {
    let dir: Stats;
    try {
      dir = statSync(path.dirname(r.target));
    } catch (err) {
      throw new UsageError(`${file}: cannot write (${code(err)})`);
    }
    if (!dir.isDirectory()) throw new UsageError(`${file}: cannot write (ENOTDIR)`);
  }
}

/** Write `content` (one string, or chunks for outputs beyond V8's longest string) to `file`; see above. */
export function writeFileAtomic(file: string, content: string | Iterable<string>): void {
  const r = resolveOutput(file);
  if (r.viaFd || (r.stats && !r.stats.isFile())) {
    // Device, FIFO, socket or an open descriptor: written through, never replaced.
    let fd: number | undefined;
    try {
      fd = openSync(r.viaFd ? file : r.target, 'w');
      writeAll(fd, content);
    } catch (err) {
      // A reader that went away early (`-o /dev/stdout | head`, a FIFO's reader) ends the output
      // quietly, as it does on stdout.
      if (code(err) === 'EPIPE') return;
      throw new UsageError(`${file}: cannot write (${code(err)})`);
    } finally {
      if (fd !== undefined) closeQuietly(fd);
    }
    return;
  }
  const tmp = path.join(path.dirname(r.target), `.${path.basename(r.target)}.${process.pid}.${tmpCounter++}.tmp`);
  try {
    const fd = openSync(tmp, 'wx');
    try {
      writeAll(fd, content);
    } finally {
      closeSync(fd);
    }
    // A replaced file keeps its permissions.
    if (r.stats) chmodSync(tmp, r.stats.mode & 0o7777);
    renameSync(tmp, r.target);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      /* already gone */
    }
    throw new UsageError(`${file}: cannot write (${code(err)})`);
  }
}

let tmpCounter = 0;

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    /* the write error is the one reported */
  }
}

function writeAll(fd: number, content: string | Iterable<string>): void {
  const put = (buf: Buffer, n: number) => {
    for (let off = 0; off < n;) off += writeSync(fd, buf, off, n - off);
  };
  if (typeof content === 'string') {
    const buf = Buffer.from(content, 'utf8');
    put(buf, buf.length);
    return;
  }
  // Chunked content: one reused buffer instead of a fresh Buffer.from(chunk) per chunk (~130 chunks of a
  // few MB for a 100k-group JSON report). A UTF-16 code unit takes at most 3 UTF-8 bytes, so a
  // buffer of 3 × chunk.length always holds the whole chunk.
  let buf = Buffer.allocUnsafe(0);
  for (const chunk of content) {
    if (chunk.length * 3 > buf.length) buf = Buffer.allocUnsafe(Math.max(chunk.length * 3, 1 << 24));
    put(buf, buf.write(chunk, 0, 'utf8'));
  }
}
