import { describe, expect, test } from 'vitest';
import { paginate } from '../../../src/collect/listings/paginate.js';

describe('pagination helper', () => {
  test('hands pages over in order and stops on an empty token', async () => {
    const pages: Record<string, { items: number[]; next?: string }> = {
      '': { items: [1], next: 'a' },
      a: { items: [2], next: '' },
    };
    const seen: number[] = [];
    await paginate(
      async (t) => pages[t ?? ''],
      (p) => p.next,
      (p) => seen.push(...p.items),
    );
    expect(seen).toEqual([1, 2]);
  });
});
