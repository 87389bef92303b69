import path from 'node:path';
import type { z } from 'zod';
import { UsageError } from '../util/errors.js';
import { firstExisting, readStructuredFile } from '../util/fs.js';
import { formatIssue } from '../util/zod-issues.js';
import { defaultSettings, resolveSettings, SettingsFileSchema, type Settings } from './schema.js';

export const DEFAULT_CONFIG_FILES = ['sg-audit.config.yaml', 'sg-audit.config.yml', 'sg-audit.config.json'];

/** What the settings loader needs to know about rules to validate `rules.<id>` entries. */
export interface RuleOptionsCatalog {
  has(id: string): boolean;
  optionsSchema(id: string): z.ZodType | undefined;
}

/**
 * Load settings: `--config FILE`, else the first default file in `cwd`, else built-in defaults.
 * Every problem is reported on its own line: `FILE: path: expected ...`.
 */
export function loadSettings(opts: { configPath?: string; cwd?: string; catalog?: RuleOptionsCatalog }): Settings {
  const cwd = opts.cwd ?? process.cwd();
  let file = opts.configPath;
  if (!file) {
    const found = firstExisting(cwd, DEFAULT_CONFIG_FILES);
    if (!found) return defaultSettings();
    file = path.join(cwd, found);
  }
  const display = path.relative(cwd, path.resolve(cwd, file)) || file;
  const raw = readStructuredFile(path.resolve(cwd, file), display);
  return parseSettings(raw ?? {}, display, opts.catalog);
}

/**
 * Validate a settings document. Every problem is reported, each on its own line, in document order as far
 * as zod gives it: schema problems outside `rules`, then per rule entry its schema problems, or `unknown
 * rule id`, or what its options schema rejects.
 */
export function parseSettings(raw: unknown, display: string, catalog?: RuleOptionsCatalog): Settings {
  const parsed = SettingsFileSchema.safeParse(raw);
  const issues = parsed.success ? [] : parsed.error.issues;
  const problems: string[] = [];
  const underRule = (i: { path: PropertyKey[] }) => i.path[0] === 'rules' && i.path.length >= 2;
  for (const issue of issues) if (!underRule(issue)) problems.push(formatIssue(display, issue));
  const rules = isRecord(raw) && isRecord(raw.rules) ? raw.rules : {};
  for (const [id, override] of Object.entries(rules)) {
    const own = issues.filter((i) => underRule(i) && i.path[1] === id);
    if (catalog && !catalog.has(id)) {
      // An unknown id is the problem; what its entry holds would only be noise.
      problems.push(`${display}: rules.${id}: unknown rule id (see 'sg-audit rules')`);
      continue;
    }
    problems.push(...own.map((i) => formatIssue(display, i)));
    const options = isRecord(override) ? override.options : undefined;
    if (!catalog || options === undefined || own.some((i) => i.path[2] === 'options')) continue;
    const schema = catalog.optionsSchema(id);
    if (!schema) {
      problems.push(`${display}: rules.${id}.options: this rule takes no options`);
      continue;
    }
    const r = schema.safeParse(options);
    if (!r.success) problems.push(...r.error.issues.map((i) => formatIssue(display, i, ['rules', id, 'options'])));
  }
  if (problems.length || !parsed.success) {
    throw new UsageError(problems.length ? problems.join('\n') : formatIssue(display, issues[0]));
  }
  return resolveSettings(parsed.data, display);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
