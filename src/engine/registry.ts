import picomatch from 'picomatch';
import type { z } from 'zod';
import type { Settings } from '../config/schema.js';
import type { RuleOptionsCatalog } from '../config/load.js';
import { UsageError } from '../util/errors.js';
import type { Rule } from './types.js';

/** An explicit, ordered list of rules (no directory scanning). */
export class RuleRegistry implements RuleOptionsCatalog {
  private readonly byId = new Map<string, Rule>();
  constructor(readonly rules: readonly Rule[]) {
    for (const r of rules) {
      if (this.byId.has(r.meta.id)) throw new Error(`duplicate rule id ${r.meta.id}`);
      this.byId.set(r.meta.id, r);
    }
  }
  has(id: string): boolean {
    return this.byId.has(id);
  }
  get(id: string): Rule | undefined {
    return this.byId.get(id);
  }
  optionsSchema(id: string): z.ZodType | undefined {
    return this.byId.get(id)?.options;
  }

  /**
   * Rules to run: enabled by default or in settings, narrowed by `--rules` and `--skip-rules` (ids or globs).
   * Naming a rule in `--rules` runs it even when it is off by default. A pattern that matches no rule is
   * a usage error (a typo must not silently disable checks).
   */
  select(settings: Settings, include?: string[], exclude?: string[]): Rule[] {
    const match = (patterns: string[], flag: string) => {
      const matchers = patterns.map((p) => {
        const m = picomatch(p);
        if (!this.rules.some((r) => m(r.meta.id)))
          throw new UsageError(`${flag} ${p}: matches no rule (see 'sg-audit rules')`);
        return m;
      });
      return (id: string) => matchers.some((m) => m(id));
    };
    const inc = include && include.length ? match(include, '--rules') : undefined;
    const exc = exclude && exclude.length ? match(exclude, '--skip-rules') : undefined;
    return this.rules.filter((r) => {
      if (exc?.(r.meta.id)) return false;
      if (inc) return inc(r.meta.id) && settings.rules[r.meta.id]?.enabled !== false;
      return settings.rules[r.meta.id]?.enabled ?? r.meta.defaultEnabled ?? true;
    });
  }
}

/** Split comma-separated, repeatable flag values. */
export function splitList(values: string[] | undefined): string[] {
  return (values ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}
