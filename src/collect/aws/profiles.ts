/**
 * The named profile of a live collection, decided once before any AWS call.
 *
 * An explicit `--profile` (else AWS_PROFILE) is what the user asked for, so it wins over
 * AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY in the environment (the AWS CLI's precedence: command-line
 * options first,
 * https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-quickstart.html#cli-configure-quickstart-precedence;
 * the SDK's chain does the same and says so in a 9-line console warning, which sg-audit silences and
 * replaces with one line of its own).
 *
 * The profile must exist in the shared config or credentials file; these are found as every SDK finds
 * them (AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/config and ~/.aws/credentials,
 * https://docs.aws.amazon.com/sdkref/latest/guide/file-location.html) and read with the SDK's own
 * reader. Without this check a missing profile reads as "credentials missing or expired" (the SDK's
 * chain moves on past the profile, to container or instance credentials where those exist).
 */
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../../util/errors.js';
import { configSdk } from './sdk.js';

export interface ProfileChoice {
  name: string;
  /** How it was chosen, as the user would write it: `--profile dev` or `AWS_PROFILE=dev`. */
  source: string;
}

/** The profile the SDK will use: `--profile`, else a non-empty AWS_PROFILE; undefined for the default chain. */
export function chosenProfile(flag: string | undefined, env: NodeJS.ProcessEnv): ProfileChoice | undefined {
  if (flag) return { name: flag, source: `--profile ${flag}` };
  if (env.AWS_PROFILE) return { name: env.AWS_PROFILE, source: `AWS_PROFILE=${env.AWS_PROFILE}` };
  return undefined;
}

/**
 * The one line sg-audit prints when a profile and environment keys are both set (no values, only
 * variable names), or undefined when there is nothing to say.
 */
export function profileOverridesEnvNotice(
  choice: ProfileChoice | undefined,
  env: NodeJS.ProcessEnv,
): string | undefined {
  if (!choice || !env.AWS_ACCESS_KEY_ID || !env.AWS_SECRET_ACCESS_KEY) return undefined;
  return `${choice.source} is used; AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY in the environment are ignored`;
}

interface SharedFile {
  path: string;
  /** The variable that chose the path, when one did. */
  variable?: string;
  /** Why it could not be read (`not found`, `unreadable (EACCES)`), undefined when readable. */
  problem?: string;
}

function sharedFile(
  variable: 'AWS_CONFIG_FILE' | 'AWS_SHARED_CREDENTIALS_FILE',
  fallback: string,
  env: NodeJS.ProcessEnv,
): SharedFile {
  const home = configSdk().getHomeDir();
  const set = env[variable];
  const raw = set || path.join(home, '.aws', fallback);
  const resolved = raw.startsWith('~/') ? path.join(home, raw.slice(2)) : raw;
  let problem: string | undefined;
  try {
    accessSync(resolved, constants.R_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    problem = code === 'ENOENT' ? 'not found' : `unreadable (${code ?? 'error'})`;
  }
  return { path: resolved, ...(set ? { variable } : {}), ...(problem ? { problem } : {}) };
}

function describe(f: SharedFile): string {
  const notes = [f.variable, f.problem].filter(Boolean);
  return notes.length ? `${f.path} (${notes.join(', ')})` : f.path;
}

/** Sections that are not profiles (`[sso-session x]`, `[services x]` in the config file). */
const NOT_A_PROFILE = /^(?:sso-session|services)\./;

/**
 * Throws a one-line usage error when the chosen profile is in neither shared file, naming both files
 * (and the variables that chose them) and the profiles they do hold.
 */
export async function assertProfileExists(choice: ProfileChoice, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const config = sharedFile('AWS_CONFIG_FILE', 'config', env);
  const credentials = sharedFile('AWS_SHARED_CREDENTIALS_FILE', 'credentials', env);
  const files = await configSdk().loadSharedConfigFiles({
    configFilepath: config.path,
    filepath: credentials.path,
    ignoreCache: true,
  });
  const has = (o: Record<string, unknown>) => Object.prototype.hasOwnProperty.call(o, choice.name);
  if (has(files.configFile) || has(files.credentialsFile)) return;
  const known = [...new Set([...Object.keys(files.configFile), ...Object.keys(files.credentialsFile)])]
    .filter((k) => !NOT_A_PROFILE.test(k))
    .sort();
  const shown = known.length > 10 ? `${known.slice(0, 10).join(', ')}, … (${known.length})` : known.join(', ');
  const there = known.length ? `profiles there: ${shown}` : 'no profiles there';
  const hint =
    config.variable || credentials.variable
      ? ''
      : ' (AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE choose other files)';
  throw new UsageError(
    `${choice.source}: no such profile in ${describe(config)} or ${describe(credentials)}${hint}; ${there}`,
  );
}
