/**
 * Output collisions, decided on resolved paths before anything runs: an output that is one
 * of the files read (`--input a.json -o a.json`), or two outputs naming the same file, whatever the
 * spelling (`out/r.json` and `./out/r.json`, a symlink and its target), is a usage error and nothing is
 * written. Each output is also checked for being writable (directory exists, not a directory).
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../util/errors.js';
import { checkWritable, outputIdentity } from '../util/fs.js';

export interface NamedFile {
  /** The option as given: `-o out/r.json`, `--report json=out/r.json`, `--input a.json`… */
  label: string;
  /** As given (relative to cwd). */
  file: string;
}

/**
 * Sinks that several outputs may share: what is written there is discarded. The null device is told by its
 * device number (Linux char 1:3), whatever it is called or linked as.
 */
const NULL_DEVICE = (1 << 8) | 3;
function isNullDevice(file: string): boolean {
  if (file === '/dev/null') return true; // elsewhere (macOS) the null device has another number
  try {
    const st = statSync(file);
    return st.isCharacterDevice() && st.rdev === NULL_DEVICE;
  } catch {
    return false;
  }
}

export function checkOutputs(outputs: NamedFile[], reads: NamedFile[], cwd: string): void {
  const abs = (f: NamedFile) => path.resolve(cwd, f.file);
  const readBy = new Map<string, NamedFile>();
  for (const r of reads) if (!readBy.has(outputIdentity(abs(r)))) readBy.set(outputIdentity(abs(r)), r);
  const writtenBy = new Map<string, NamedFile>();
  for (const o of outputs) {
    const id = outputIdentity(abs(o));
    const read = readBy.get(id);
    if (read) throw new UsageError(`${o.label}: is also read as ${read.label}; write the output to another file`);
    const other = writtenBy.get(id);
    if (other && !isNullDevice(abs(o))) {
      throw new UsageError(`${o.label}: same file as ${other.label}; give each output its own file`);
    }
    writtenBy.set(id, o);
    checkWritable(abs(o));
  }
}
