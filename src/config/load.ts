import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import type { z } from 'zod';
import { UsageError } from '../util/errors.js';
import { formatIssues } from '../util/zod-issues.js';
import { defaultSettings, resolveSettings, SettingsFileSchema, type Settings } from './schema.js';

export const DEFAULT_CONFIG_FILES = ['sg-audit.config.yaml', 'sg-audit.config.yml', 'sg-audit.config.json'];

/** What the settings loader needs to know about rules to validate `rules.<id>` entries. */
export interface RuleOptionsCatalog {
  has(id: string): boolean;
  optionsSchema(id: string): z.ZodType | undefined;
}

/** Parse a YAML or JSON file; a syntax error becomes a one-line UsageError naming the file. */
export function readStructuredFile(file: string, display: string = file): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`${display}: cannot read file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  if (file.endsWith('.json')) {
    try {
      return JSON.parse(text);
    } catch (err) {
      throw new UsageError(`${display}: invalid JSON: ${(err as Error).message}`);
    }
  }
  const doc = YAML.parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const line = e.linePos?.[0];
    throw new UsageError(`${display}:${line ? `${line.line}:${line.col}:` : ''} invalid YAML: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`);
  }
  return doc.toJS();
}

/**
 * Load settings: `--config FILE`, else the first default file in `cwd`, else built-in defaults.
 * Every problem is reported on its own line: `FILE: path: expected ...`.
 */
export function loadSettings(opts: { configPath?: string; cwd?: string; catalog?: RuleOptionsCatalog }): Settings {
  const cwd = opts.cwd ?? process.cwd();
  let file = opts.configPath;
  if (!file) {
    file = DEFAULT_CONFIG_FILES.map((f) => path.join(cwd, f)).find((f) => existsSync(f));
    if (!file) return defaultSettings();
  }
  const display = path.relative(cwd, path.resolve(cwd, file)) || file;
  const raw = readStructuredFile(path.resolve(cwd, file), display);
  return parseSettings(raw ?? {}, display, opts.catalog);
}

export function parseSettings(raw: unknown, display: string, catalog?: RuleOptionsCatalog): Settings {
  const parsed = SettingsFileSchema.safeParse(raw);
  if (!parsed.success) throw new UsageError(formatIssues(display, parsed.error).join('\n'));
  const settings = resolveSettings(parsed.data, display);
  if (catalog) {
    const problems: string[] = [];
    for (const [id, override] of Object.entries(settings.rules)) {
      if (!catalog.has(id)) {
        problems.push(`${display}: rules.${id}: unknown rule id (see 'sg-audit rules')`);
        continue;
      }
      const schema = catalog.optionsSchema(id);
      if (override.options !== undefined) {
        if (!schema) {
          problems.push(`${display}: rules.${id}.options: this rule takes no options`);
          continue;
        }
        const r = schema.safeParse(override.options);
        if (!r.success) problems.push(...formatIssues(display, r.error, ['rules', id, 'options']));
      }
    }
    if (problems.length) throw new UsageError(problems.join('\n'));
  }
  return settings;
}
