/**
 * Run the built CLI (dist/, built by `npm test`): runCli for local inputs; spawnCli with an isolated AWS
 * environment: no ~/.aws of the machine running the tests, no instance metadata, dummy keys, and the
 * fake endpoint when given.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export const CLI_BIN = path.resolve(import.meta.dirname, '../../dist/src/cli/bin.js');

/** Call in beforeAll: a clear message instead of failing runs when dist/ is not built. */
export function assertCliBuilt(): void {
  if (!existsSync(CLI_BIN)) throw new Error(`${CLI_BIN} is missing: run 'npx tsc -p .' first (npm test does)`);
}

/**
 * Run the built CLI on local inputs, synchronously, with only PATH and HOME (plus `env`) set: for
 * commands that never reach AWS. Use spawnCli for anything that may.
 */
export function runCli(args: string[], o: { cwd: string; env?: Record<string, string> }) {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...o.env };
  const r = spawnSync(process.execPath, [CLI_BIN, ...args], { cwd: o.cwd, env, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface SpawnCliOptions {
  /** Working directory, also HOME (so no real AWS config is read). */
  dir: string;
  credentials: { keyId: string; secret: string; sessionToken?: string };
  /** Fake AWS endpoint URL (AWS_ENDPOINT_URL). */
  endpoint?: string;
  /** Extra variables; `undefined` removes one. */
  env?: Record<string, string | undefined>;
  /** Polled every 20 ms; when it returns true the child gets SIGINT. */
  interruptWhen?: () => boolean;
  /** Receives stdout and stderr of every run (for the no-secrets checks). */
  outputs?: string[];
}

export function spawnCli(args: string[], o: SpawnCliOptions): Promise<CliRun> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: o.dir,
    AWS_CONFIG_FILE: path.join(o.dir, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(o.dir, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ACCESS_KEY_ID: o.credentials.keyId,
    AWS_SECRET_ACCESS_KEY: o.credentials.secret,
    ...(o.credentials.sessionToken ? { AWS_SESSION_TOKEN: o.credentials.sessionToken } : {}),
    AWS_REGION: 'us-east-1',
    ...(o.endpoint ? { AWS_ENDPOINT_URL: o.endpoint } : {}),
  };
  for (const [k, v] of Object.entries(o.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_BIN, ...args], { cwd: o.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    if (o.interruptWhen) {
      const poll = setInterval(() => {
        if (o.interruptWhen!()) {
          clearInterval(poll);
          child.kill('SIGINT');
        }
      }, 20);
      child.on('close', () => clearInterval(poll));
    }
    child.on('error', reject);
    child.on('close', (code, signal) => {
      o.outputs?.push(stdout, stderr);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - t0 });
    });
  });
}
