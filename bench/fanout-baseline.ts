/**
 * Fan-out baseline as a process, as the fan-out benchmark runs it beside sg-audit (the reads themselves:
 * support/fanout-baseline.ts). Prints or writes the counts it read.
 *
 *   AWS_ENDPOINT_URL=http://127.0.0.1:PORT node dist/bench/fanout-baseline.js --out counts.json
 *     [--retry-mode standard|adaptive] [--max-attempts 5]
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { runBaseline } from '../support/fanout-baseline.js';

async function cli(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: 'string' },
      'retry-mode': { type: 'string', default: 'standard' },
      'max-attempts': { type: 'string', default: '5' },
      region: { type: 'string', default: process.env.AWS_REGION ?? 'us-east-1' },
    },
  });
  const retryMode = values['retry-mode'] === 'adaptive' ? 'adaptive' : 'standard';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const counts = await runBaseline({
    retryMode,
    maxAttempts: Number(values['max-attempts']),
    homeRegion: values.region,
  });
  const text = JSON.stringify(counts) + '\n';
  if (values.out) writeFileSync(values.out, text);
  else process.stdout.write(text);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  cli(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (err: unknown) => {
      process.stderr.write(`fanout-baseline: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
