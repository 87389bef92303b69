/**
 * The one rule tester, in typescript-eslint's shape: `ruleTester(rule).run({ valid, invalid })`, one test per
 * case, named after it. Each case is an estate (and optional settings); the tester runs the rule alone and
 * compares the WHOLE list of failing and error findings with `findings` (any order), so nothing else may fire.
 * `passes`, when given, is compared as a whole too. Message ids are typed by the rule's `meta.messages`.
 */
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { Settings, Severity } from '../../src/config/schema.js';
import type { Finding, ResourceRef, Rule } from '../../src/engine/types.js';
import type { Permission, PrefixList, Snapshot } from '../../src/snapshot/schema.js';
import { region, runRules, settingsWith, sg, snapshot } from './estate.js';

/** One expected failing (or `error`) finding. Fields other than `messageId` and `resource` are optional. */
export interface ExpectedFinding<M extends string> {
  messageId: M;
  /** The id of the finding's resource (`sg-1`, `111111111111/us-east-1`). */
  resource: string;
  /** Default `fail`. */
  status?: 'fail' | 'error';
  message?: string;
  severity?: Severity;
  /** Compared with `toMatchObject`: the keys listed must hold these values. */
  data?: Record<string, string | number>;
  remediation?: string[];
  related?: ResourceRef[];
  /** Anything else to assert on this finding. */
  check?: (f: Finding) => void;
}

/** One expected pass. */
export interface ExpectedPass<M extends string> {
  messageId: M;
  resource: string;
}

export interface ValidCase<M extends string> {
  name: string;
  snapshot: Snapshot;
  settings?: Settings;
  /** The whole list of passes (any order); omitted: not checked. */
  passes?: ExpectedPass<M>[];
  /** Anything else to assert on the rule's findings (all of them, passes included). */
  check?: (findings: Finding[]) => void;
}

export interface InvalidCase<M extends string> extends ValidCase<M> {
  /** The whole list of failing and error findings (any order). */
  findings: ExpectedFinding<M>[];
}

type Key = [status: string, messageId: string, resourceId: string];
const keyOf = (f: { status?: string; messageId: string; resource: string | ResourceRef }): Key => [
  f.status ?? 'fail',
  f.messageId,
  typeof f.resource === 'string' ? f.resource : f.resource.id,
];
const sorted = (keys: Key[]) => [...keys].sort((a, b) => a.join('|').localeCompare(b.join('|')));

export interface RuleTester<M extends string> {
  run(cases: { valid?: ValidCase<M>[]; invalid?: InvalidCase<M>[] }): void;
  /** The rule's findings for one estate, passes included (for assertions no case field covers). */
  findings(snap: Snapshot, settings?: Settings): Finding[];
  /** The one finding (any status) of resource `id`; throws unless there is exactly one. */
  finding(snap: Snapshot, id: string, settings?: Settings): Finding;
  /** One case's assertions inside a test of its own (a case that shares setup with other assertions). */
  assert(c: Omit<InvalidCase<M>, 'name'>): void;
  /**
   * `passes` and `findings` of a case with exactly one finding, from a table row's status and message id
   * (`it.each` rows type them as plain strings; the comparison is still exact).
   */
  verdict(status: string, messageId: string, resource: string): Pick<InvalidCase<M>, 'passes' | 'findings'>;
  /**
   * Cases from a table, one row each (typed like `it.each` rows): cases with findings are `invalid`, the
   * others `valid`. `t.run(t.each(rows, (name, ingress) => ({ name, snapshot: oneGroup(ingress), … })))`.
   */
  each<T extends unknown[] | [unknown]>(rows: readonly T[], toCase: (...row: T) => TableCase<M>): Cases<M>;
  /** Rows that are not arrays (`[22, 3389]`) are passed as they are, as `it.each` does. */
  each<T>(rows: readonly T[], toCase: (row: T) => TableCase<M>): Cases<M>;
}

type TableCase<M extends string> = ValidCase<M> & { findings: ExpectedFinding<M>[] };
type Cases<M extends string> = { valid: ValidCase<M>[]; invalid: InvalidCase<M>[] };

export function ruleTester<M extends string>(rule: Rule<z.ZodType, M>): RuleTester<M> {
  const findings = (snap: Snapshot, settings?: Settings) => runRules([rule], snap, settings);
  const checkCase = (c: Omit<ValidCase<M>, 'name'>, expected: ExpectedFinding<M>[]) => {
    const all = findings(c.snapshot, c.settings);
    const failing = all.filter((f) => f.status !== 'pass');
    expect(sorted(failing.map(keyOf))).toEqual(sorted(expected.map(keyOf)));
    if (c.passes) {
      const passes = all.filter((f) => f.status === 'pass');
      expect(sorted(passes.map(keyOf))).toEqual(sorted(c.passes.map((p) => keyOf({ ...p, status: 'pass' }))));
    }
    // Details: each expected finding against the next unused actual finding with the same key.
    const used = new Set<Finding>();
    for (const e of expected) {
      const k = keyOf(e).join('|');
      const f = failing.find((x) => !used.has(x) && keyOf(x).join('|') === k)!;
      used.add(f);
      if (e.message !== undefined) expect(f.message).toBe(e.message);
      if (e.severity !== undefined) expect(f.severity).toBe(e.severity);
      if (e.data !== undefined) expect(f.data).toMatchObject(e.data);
      if (e.remediation !== undefined) expect(f.remediation).toEqual(e.remediation);
      if (e.related !== undefined) expect(f.related).toEqual(e.related);
      e.check?.(f);
    }
    c.check?.(all);
  };
  return {
    findings,
    finding(snap, id, settings) {
      const fs = findings(snap, settings).filter((f) => f.resource.id === id);
      if (fs.length !== 1) throw new Error(`expected one finding for ${id}, got ${fs.length}`);
      return fs[0];
    },
    assert: (c) => checkCase(c, c.findings),
    each(rows: readonly unknown[], toCase: (...row: unknown[]) => TableCase<M>) {
      const cases = rows.map((row) => (Array.isArray(row) ? toCase(...row) : toCase(row)));
      return { valid: cases.filter((c) => !c.findings.length), invalid: cases.filter((c) => c.findings.length) };
    },
    verdict(status, messageId, resource) {
      const one = { messageId: messageId as M, resource };
      if (status === 'pass') return { passes: [one], findings: [] };
      if (status !== 'fail' && status !== 'error') throw new Error(`unknown status ${status}`);
      return { passes: [], findings: [{ ...one, status }] };
    },
    run({ valid = [], invalid = [] }) {
      if (valid.length) {
        describe('valid', () => {
          it.each(valid)('$name', (c) => checkCase(c, []));
        });
      }
      if (invalid.length) {
        describe('invalid', () => {
          it.each(invalid)('$name', (c) => checkCase(c, c.findings));
        });
      }
    },
  };
}

/** A one-region estate with one group `sg-1` with these inbound permissions. */
export function oneGroup(ingress: Permission[], prefixLists: PrefixList[] = []): Snapshot {
  return snapshot(region({ groups: [sg('sg-1', { ingress })], prefixLists }));
}

/** Settings with options for one rule. */
export function withOptions(ruleId: string, options: Record<string, unknown>): Settings {
  return settingsWith({ rules: { [ruleId]: { options } } });
}
