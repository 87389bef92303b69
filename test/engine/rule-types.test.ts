/**
 * Type-level checks of the rule kit: `npm run typecheck` (tsconfig.test.json) fails when an
 * `@ts-expect-error` below stops being an error, i.e. when a message id outside `meta.messages` compiles.
 */
import { describe, expect, it } from 'vitest';
import { defineRule, type Rule } from '../../src/engine/types.js';

const typed = defineRule({
  meta: {
    id: 'typed-messages',
    title: 'Typed messages',
    severity: 'low',
    category: 'hygiene',
    rationale: 'Type test.',
    remediation: 'None.',
    references: [],
    messages: { ok: 'ok', bad: 'bad' },
    needs: [],
  },
  check({ report, pass }) {
    const at = { accountId: '1', region: 'r', resource: { type: 'security-group', id: 'sg-1' } } as const;
    report({ ...at, status: 'fail', messageId: 'bad' });
    pass('ok', () => at);
    if (Math.random() > 2) {
      // @ts-expect-error 'typo' is not a key of meta.messages
      report({ ...at, status: 'fail', messageId: 'typo' });
      // @ts-expect-error 'typo' is not a key of meta.messages
      pass('typo', () => at);
    }
  },
});

describe('defineRule', () => {
  it('infers the message ids from meta.messages and still fits a plain Rule', () => {
    const plain: Rule = typed;
    const ids: ('ok' | 'bad')[] = Object.keys(typed.meta.messages) as (keyof typeof typed.meta.messages)[];
    expect(plain.meta.id).toBe('typed-messages');
    expect(ids.sort()).toEqual(['bad', 'ok']);
  });
});
