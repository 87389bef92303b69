/**
 * Output collisions, decided on resolved paths before anything runs (issue #10): an output that is one
 * of the files read (`--input a.json -o a.json`), or two outputs naming the same file, whatever the
 * spelling (`out/r.json` and `./out/r.json`, a symlink and its target), is a usage error and nothing is
 * written. Each output is also checked for being writable (directory exists, not a directory).
 */
import path from 'node:path';
import { UsageError } from '../util/errors.js';
import { checkWritable, outputIdentity } from '../util/fs.js';

export interface NamedFile {
  /** The option as given: `-o out/r.json`, `--report json=out/r.json`, `--input a.json`… */
  label: string;
  /** As given (relative to cwd). */
  file: string;
}

/** Sinks that several outputs may share: what is written there is discarded. */
const SHARED_SINKS = new Set(['/dev/null']);

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
    if (other && !SHARED_SINKS.has(id)) {
      throw new UsageError(`${o.label}: same file as ${other.label}; give each output its own file`);
    }
    writtenBy.set(id, o);
    checkWritable(abs(o));
  }
}
