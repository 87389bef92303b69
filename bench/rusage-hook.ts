/**
 * Fallback measurement hook when GNU time is not installed: loaded with `node --import`, it writes the
 * process's resource usage (peak RSS, CPU time) to $SG_AUDIT_BENCH_RUSAGE when the process exits.
 */
import { writeFileSync } from 'node:fs';

const out = process.env.SG_AUDIT_BENCH_RUSAGE;
if (out) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(
      out,
      JSON.stringify({ maxRssKB: u.maxRSS, userMs: u.userCPUTime / 1000, sysMs: u.systemCPUTime / 1000 }),
    );
  });
}
