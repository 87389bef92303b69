/**
 * Table-driven rule tests (the tier rules): each case is an estate and the whole finding list the rule
 * must produce for it, as tuples in any order.
 */
import { expect, it } from 'vitest';
import type { Settings } from '../../src/config/schema.js';
import type { Rule } from '../../src/engine/types.js';
import type { Snapshot } from '../../src/snapshot/schema.js';
import { check, sortTuples, type Tuple } from './estate.js';

export interface RuleCase {
  name: string;
  snapshot: Snapshot;
  settings?: Settings;
  expected: Tuple[];
}

/** Tuple builders for one rule whose passes all carry `passMessageId`. */
export function tupleBuilders(ruleId: string, passMessageId = 'compliant') {
  return {
    pass: (id: string): Tuple => ['pass', ruleId, passMessageId, id],
    fail: (messageId: string, id: string): Tuple => ['fail', ruleId, messageId, id],
  };
}

/** One test per case, named after it: the rule's findings are exactly the expected tuples. */
export function itChecksEachCase(rule: Rule, cases: RuleCase[]): void {
  it.each(cases)('$name', ({ snapshot: snap, settings, expected }) => {
    expect(check(rule, snap, settings)).toEqual(sortTuples(expected));
  });
}
