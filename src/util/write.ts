/**
 * Writing output files (reports, snapshots), issue #10:
 * - a regular file or a new path is written atomically: a temp file in the same directory, then a
 *   rename, so nothing is ever half-written (the mode of a file being replaced is kept);
 * - a character device, FIFO or socket (`-o /dev/null`, `-o /dev/stdout`, a named pipe) is written
 *   through, never replaced by a regular file;
 * - a symlink stays a symlink: its target is what gets (atomically) replaced;
 * - a directory is a usage error.
 * `outputIdentity` gives the file a path really names, for the collision checks made before a scan runs.
 */
import {
  chmodSync,
  closeSync,
  lstatSync,
  openSync,
  readlinkSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
  type Stats,
} from 'node:fs';
import path from 'node:path';
import { UsageError } from './errors.js';

const MAX_LINKS = 40; // as Linux's ELOOP limit

interface Resolved {
  /** The path to write: the final target of any symlinks (absolute). */
  target: string;
  /** Stats of the target (followed), undefined when it does not exist yet. */
  stats?: Stats;
  /** The path went through /proc/<pid>/fd or /dev/fd: an open descriptor, written through whatever it is. */
  viaFd: boolean;
}

const isFdLink = (p: string) => /^\/(proc\/(self|thread-self|\d+)\/fd|dev\/fd)\//.test(p) || /^\/dev\/std(in|out|err)$/.test(p);

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

/**
 * Check, before anything runs, that `file` can be written: its directory exists and it is not a
 * directory.
 */
export function checkWritable(file: string): void {
  let r: Resolved;
  try {
    r = resolveTarget(file);
  } catch (err) {
    throw new UsageError(`${file}: cannot write (${code(err)})`);
  }
  if (r.stats?.isDirectory()) throw new UsageError(`${file}: cannot write: is a directory, expected a file`);
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
  let r: Resolved;
  try {
    r = resolveTarget(file);
  } catch (err) {
    throw new UsageError(`${file}: cannot write (${code(err)})`);
  }
  if (r.stats?.isDirectory()) throw new UsageError(`${file}: cannot write: is a directory, expected a file`);
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
    for (let off = 0; off < n; ) off += writeSync(fd, buf, off, n - off);
  };
  if (typeof content === 'string') {
    const buf = Buffer.from(content, 'utf8');
    put(buf, buf.length);
    return;
  }
  // Chunked content: one reused buffer instead of a fresh Buffer.from(chunk) per chunk (~130 chunks of a
  // few MB for a 100k-group JSON report; issue #6). A UTF-16 code unit takes at most 3 UTF-8 bytes, so a
  // buffer of 3 × chunk.length always holds the whole chunk.
  let buf = Buffer.allocUnsafe(0);
  for (const chunk of content) {
    if (chunk.length * 3 > buf.length) buf = Buffer.allocUnsafe(Math.max(chunk.length * 3, 1 << 24));
    put(buf, buf.write(chunk, 0, 'utf8'));
  }
}
