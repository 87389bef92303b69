/**
 * Errors that carry the process exit code they map to. Only the bin entry turns them into
 * `process.exitCode`; everything else throws.
 */
export const EXIT = {
  /** Every finding passed. */
  OK: 0,
  /** At least one failing finding (at or above --fail-on). */
  FINDINGS: 1,
  /** Usage, configuration or input error: nothing was scanned. */
  USAGE: 2,
  /**
   * No failing finding, but the scan was incomplete (collection or rule error, or a verdict a rule could not
   * reach).
   */
  INCOMPLETE: 3,
  /** Internal error: a bug in sg-audit (please report it with the output of --debug). */
  INTERNAL: 4,
  /** Interrupted by Ctrl-C (SIGINT, 128 + 2); SIGTERM exits 143 (128 + 15), as shells report it. */
  INTERRUPTED: 130,
} as const;

export class SgAuditError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number = EXIT.USAGE, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SgAuditError';
    this.exitCode = exitCode;
  }
}

/** Bad input (config, snapshot, flags): exit 2, one line, no stack trace. */
export class UsageError extends SgAuditError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, EXIT.USAGE, options);
    this.name = 'UsageError';
  }
}
