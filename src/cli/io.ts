import tty from 'node:tty';

/** The process surface the CLI uses, injectable for tests. */
export interface CliIO {
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown; isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Aborted on SIGINT/SIGTERM. */
  signal?: AbortSignal;
}

export function processIO(signal?: AbortSignal, stdout: CliIO['stdout'] = process.stdout): CliIO {
  return { stdout, stderr: process.stderr, env: process.env, cwd: process.cwd(), signal };
}

interface Stream {
  write(s: string): boolean;
  on(event: 'error', listener: (err: NodeJS.ErrnoException) => void): unknown;
  isTTY?: boolean;
}

/**
 * stdout that never throws nor emits an unhandled 'error': the first write failure (EPIPE
 * when the reader went away, ENOSPC/EIO from `> /dev/full`, thrown by a synchronous file write or
 * emitted by a pipe) goes to `onFailure` once, and later writes are dropped.
 */
export function guardStream(stream: Stream, onFailure: (err: NodeJS.ErrnoException) => void): CliIO['stdout'] {
  let failed = false;
  const fail = (err: NodeJS.ErrnoException) => {
    if (failed) return;
    failed = true;
    onFailure(err);
  };
  stream.on('error', fail);
  return {
    isTTY: stream.isTTY,
    write(s: string) {
      if (failed) return false;
      try {
        return stream.write(s);
      } catch (err) {
        fail(err as NodeJS.ErrnoException);
        return false;
      }
    },
  };
}

/**
 * Colours on stdout: never with NO_COLOR set and non-empty (https://no-color.org); with FORCE_COLOR set,
 * as Node reads it (`''`, `1`, `true`, `2`, `3` force colours; `0`, `false` and anything else turn them
 * off: https://nodejs.org/api/tty.html#writestreamgetcolordepthenv); else only on a terminal that has them.
 */
export function colorEnabled(io: CliIO): boolean {
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  // Only the variables that decide: Node warns when NO_COLOR is set next to FORCE_COLOR.
  if (io.env.FORCE_COLOR !== undefined)
    return tty.WriteStream.prototype.hasColors(16, { FORCE_COLOR: io.env.FORCE_COLOR });
  if (!io.stdout.isTTY) return false;
  const env = { ...io.env };
  delete env.NO_COLOR;
  return tty.WriteStream.prototype.hasColors(16, env);
}
