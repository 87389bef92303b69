/**
 * Live progress on stderr while collecting: one self-rewriting line (regions done/total, calls, retries,
 * elapsed). Only on an interactive terminal: silent when stderr is not a TTY, under CI, or with --quiet.
 * stdout never sees it.
 */
import type { CollectStats } from '../collect/runner.js';
import type { ProgressSink } from '../collect/settings.js';

export interface ProgressStream {
  write(s: string): unknown;
  isTTY?: boolean;
}

export function progressEnabled(stderr: ProgressStream, env: NodeJS.ProcessEnv, quiet: boolean | undefined): boolean {
  if (quiet) return false;
  if (env.CI !== undefined && env.CI !== '') return false;
  return Boolean(stderr.isTTY);
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const CLEAR_LINE = '\r\x1b[2K';

export function formatProgress(s: Readonly<CollectStats>, elapsedMs: number): string {
  const regions = s.regionsTotal > 0 ? `${s.regionsDone}/${s.regionsTotal} regions` : 'resolving accounts and regions';
  const parts = [regions, `${s.calls} ${s.calls === 1 ? 'call' : 'calls'}`];
  if (s.retries > 0) parts.push(`${s.retries} ${s.retries === 1 ? 'retry' : 'retries'}`);
  if (s.failed > 0) parts.push(`${s.failed} failed`);
  parts.push(`${(elapsedMs / 1000).toFixed(1)}s`);
  return parts.join(' · ');
}

export class ProgressLine implements ProgressSink {
  private timer: NodeJS.Timeout | undefined;
  private stats: Readonly<CollectStats> | undefined;
  private started = 0;
  private frame = 0;

  constructor(
    private readonly out: ProgressStream,
    private readonly intervalMs = 100,
    private readonly now: () => number = Date.now,
  ) {}

  start(stats: Readonly<CollectStats>): void {
    this.stats = stats;
    this.started = this.now();
    this.render();
    this.timer = setInterval(() => this.render(), this.intervalMs);
    this.timer.unref();
  }

  private render(): void {
    if (!this.stats) return;
    const spin = SPINNER[this.frame++ % SPINNER.length];
    this.out.write(
      `${CLEAR_LINE}${spin} sg-audit: collecting · ${formatProgress(this.stats, this.now() - this.started)}`,
    );
  }

  stop(result?: { ok: boolean }): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (!this.stats) return;
    const line = result?.ok ? `sg-audit: collected ${formatProgress(this.stats, this.now() - this.started)}\n` : '';
    this.out.write(`${CLEAR_LINE}${line}`);
    this.stats = undefined;
  }
}
