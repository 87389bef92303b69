import { describe, expect, it } from 'vitest';
import { classifyCidr, isWorld } from '../../src/graph/net.js';

describe('classifyCidr', () => {
  it.each([
    // cidr, family, world, private, public, valid
    ['0.0.0.0/0', 4, true, false, false, true],
    ['::/0', 6, true, false, false, true],
    ['10.0.0.0/8', 4, false, true, false, true],
    ['10.20.30.40/32', 4, false, true, false, true],
    ['172.16.0.0/12', 4, false, true, false, true],
    ['172.32.0.0/16', 4, false, false, true, true],
    ['192.168.10.0/24', 4, false, true, false, true],
    ['100.64.0.0/10', 4, false, true, false, true],
    ['8.0.0.0/7', 4, false, false, true, true],
    ['0.0.0.0/1', 4, false, false, true, true],
    // 10.0.0.0/7 reaches 11.x, which is public
    ['10.0.0.0/7', 4, false, false, true, true],
    ['203.0.113.7', 4, false, false, true, true],
    ['fd00::/8', 6, false, true, false, true],
    ['fe80::/10', 6, false, true, false, true],
    ['2600:1f18::/32', 6, false, false, true, true],
    ['not-a-cidr', 4, false, false, false, false],
  ] as const)('%s', (cidr, family, world, priv, pub, valid) => {
    expect(classifyCidr(cidr)).toMatchObject({ cidr, family, world, private: priv, public: pub, valid });
  });

  it('IPv4-mapped IPv6 behaves like the IPv4 prefix but keeps the text as written', () => {
    expect(classifyCidr('::ffff:10.0.0.0/104')).toMatchObject({
      cidr: '::ffff:10.0.0.0/104',
      family: 4,
      prefixLength: 8,
      private: true,
      world: false,
    });
    expect(classifyCidr('::ffff:0.0.0.0/96')).toMatchObject({ cidr: '::ffff:0.0.0.0/96', world: true });
  });

  it('isWorld', () => {
    expect(isWorld('0.0.0.0/0')).toBe(true);
    expect(isWorld('::/0')).toBe(true);
    expect(isWorld('0.0.0.0/1')).toBe(false);
  });
});
