/**
 * The demo estate is something AWS could return: served by the fake endpoint (support/fake-aws) to account
 * 111122223333, `sg-audit collect` (the built CLI, dist/) reads back exactly the demo's two regions of that
 * account — every kind, every field (ENI addresses, EIPs on secondary addresses, IPv6, device indexes, routes,
 * ACL entries, listeners and their rules, target groups and their targets) — and `paths` on the collected
 * snapshot prints what it prints on the demo file.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegionSnapshot, Snapshot } from '../../src/snapshot/schema.js';
import { startFakeAws, type FakeAws } from '../../support/fake-aws/server.js';
import { DEMO_ESTATE } from '../helpers/files.js';
import { spawnCli } from '../helpers/spawn-cli.js';

const ACCOUNT = '111122223333';
const credentials = { keyId: 'AKIASGAUDITDEMO00042', secret: 'sgAuditDemoSecret/DoNotPrint+0123456789' };

const demo = JSON.parse(readFileSync(DEMO_ESTATE, 'utf8')) as Snapshot;
const mine = demo.regions.filter((r) => r.accountId === ACCOUNT);

/** A region with every list sorted by its id and no collection time: what must be equal. */
function comparable(r: RegionSnapshot): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) {
    if (k === 'collectedAt') continue;
    if (k === 'collected') {
      out[k] = [...(v as string[])].sort();
      continue;
    }
    out[k] = Array.isArray(v)
      ? [...(v as Record<string, unknown>[])].sort((a, b) =>
          String(a.id ?? a.groupId ?? a.arn).localeCompare(String(b.id ?? b.groupId ?? b.arn)),
        )
      : v;
  }
  return out;
}

describe('the demo estate round-trips through the fake AWS endpoint and `sg-audit collect`', () => {
  let aws: FakeAws;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'sg-audit-demo-roundtrip-'));
    aws = await startFakeAws({
      estates: new Map(mine.map((r) => [r.region, r])),
      accountId: ACCOUNT,
      regions: ['us-east-1', 'eu-west-1'],
    });
  });
  afterAll(async () => {
    await aws?.close();
  });

  it('collect reads back both regions exactly, and paths gives the same listing', async () => {
    const run = (args: string[]) => spawnCli(args, { dir, credentials, endpoint: aws.url });
    const c = await run(['collect', '--regions', 'us-east-1,eu-west-1', '-o', 'collected.json']);
    expect(c.stderr).not.toMatch(/\n\s+at /);
    expect(c.code, c.stderr).toBe(0);
    const got = JSON.parse(readFileSync(path.join(dir, 'collected.json'), 'utf8')) as Snapshot;
    expect(got.regions.map((r) => `${r.accountId}/${r.region}`).sort()).toEqual([
      `${ACCOUNT}/eu-west-1`,
      `${ACCOUNT}/us-east-1`,
    ]);
    for (const want of mine) {
      const r = got.regions.find((x) => x.region === want.region)!;
      // The fake endpoint serves a prefix list whose entries the snapshot lacks (the CloudFront list) as empty.
      const unread = new Set(want.prefixLists.filter((pl) => !pl.entries).map((pl) => pl.id));
      for (const pl of r.prefixLists) {
        if (unread.has(pl.id)) {
          expect(pl.entries, pl.id).toEqual([]);
          delete pl.entries;
        }
      }
      expect(comparable(r), want.region).toEqual(comparable(want));
    }
    const fromDemo = await run(['paths', '--input', DEMO_ESTATE, '--format', 'json']);
    const fromCollected = await run(['paths', '--input', 'collected.json', '--format', 'json']);
    expect(fromCollected.code).toBe(0);
    const ours = (text: string) =>
      (JSON.parse(text) as { paths: { accountId: string }[] }).paths.filter((p) => p.accountId === ACCOUNT);
    expect(ours(fromCollected.stdout)).toEqual(ours(fromDemo.stdout));
    expect(ours(fromDemo.stdout).length).toBeGreaterThan(0);
  });
});
