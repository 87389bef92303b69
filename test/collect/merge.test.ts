/**
 * Collecting account by account (one `collect -o` per account) and auditing once: snapshots merge into
 * one graph in which cross-account group references resolve.
 */
import { describe, expect, test } from 'vitest';
import { defaultSettings } from '../../src/config/schema.js';
import { buildGraph } from '../../src/graph/build.js';
import { mergeSnapshots } from '../../src/snapshot/load.js';
import { region, sg, snapshot, tcp } from '../helpers/estate.js';

const A = '111111111111';
const B = '222222222222';

describe('mergeSnapshots', () => {
  test('a reference to another account’s group resolves once both accounts are merged', () => {
    const accountA = snapshot(
      region({ accountId: A, groups: [sg('sg-app-a', { ownerId: A, ingress: [tcp(8080, `${B}/sg-lb-b`)] })] }),
    );
    const accountB = snapshot(region({ accountId: B, groups: [sg('sg-lb-b', { ownerId: B, tier: 'lb' })] }));

    const alone = buildGraph(accountA, defaultSettings());
    expect([...alone.unresolvedReferences.keys()]).toEqual(['sg-lb-b']);

    const merged = buildGraph(mergeSnapshots([accountA, accountB]), defaultSettings());
    expect(merged.scopes.map((s) => s.key)).toEqual([`${A}/us-east-1`, `${B}/us-east-1`]);
    expect([...merged.unresolvedReferences.keys()]).toEqual([]);
    const entry = merged.groupsById.get('sg-app-a')!.ingress[0];
    expect(entry.source.kind).toBe('group');
    if (entry.source.kind !== 'group') return;
    expect(entry.source.crossAccount).toBe(true);
    expect(entry.source.target?.id).toBe('sg-lb-b');
    expect(entry.source.target?.accountId).toBe(B);
    expect(merged.groupsById.get('sg-lb-b')!.referencedBy.map((e) => e.group.id)).toEqual(['sg-app-a']);
  });

  test('the same account/region from two files is combined: resources de-duplicated, kinds and errors united', () => {
    const first = snapshot(
      region({
        accountId: A,
        groups: [sg('sg-1'), sg('sg-2')],
        collected: ['securityGroups'],
        errors: [{ api: 'rds:DescribeDBInstances', code: 'AccessDenied', message: 'no' }],
      }),
    );
    const second = snapshot(
      region({ accountId: A, groups: [sg('sg-2'), sg('sg-3')], collected: ['securityGroups', 'dbInstances'] }),
    );
    const merged = mergeSnapshots([first, second]);
    expect(merged.regions).toHaveLength(1);
    expect(merged.regions[0].securityGroups.map((g) => g.groupId)).toEqual(['sg-1', 'sg-2', 'sg-3']);
    expect(merged.regions[0].collected).toEqual(['securityGroups', 'dbInstances']);
    expect(merged.regions[0].errors).toEqual([{ api: 'rds:DescribeDBInstances', code: 'AccessDenied', message: 'no' }]);
  });
});
