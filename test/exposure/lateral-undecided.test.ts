/**
 * A lateral search must never read "no path" where the data was not collected: an interface without a subnet or
 * address (a version-1 snapshot, raw aws-cli input) makes every path to or through it undecided (issue #13,
 * "missing data = unknown").
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyseLateral } from '../../src/exposure/lateral.js';
import { eni, graphOf, region, sg, snapshot, tcp, WITHOUT_NETWORK } from '../helpers/estate.js';
import { ROOT } from '../helpers/files.js';
import { assertCliBuilt, runCli } from '../helpers/spawn-cli.js';

describe('lateral search without the network data', () => {
  const graph = graphOf(
    snapshot(
      region({
        collected: WITHOUT_NETWORK,
        groups: [sg('sg-app'), sg('sg-db', { ingress: [tcp(5432, 'sg-app')] })],
        enis: [eni('eni-app', ['sg-app']), eni('eni-db', ['sg-db'])],
      }),
    ),
  );

  it('search from an interface lists the target that cannot be decided as undecided, with the reason', () => {
    const r = analyseLateral(graph).search(['eni-app'], ['eni-db'], { maxSteps: 1 });
    expect(r.paths).toEqual([]);
    expect(r.undecided).toEqual([
      { from: '*', to: 'eni-db', reason: expect.stringMatching(/^the subnet of eni-db was not collected/) },
    ]);
  });

  it('search from the internet in two steps does too', () => {
    const r = analyseLateral(graph).search('internet', ['eni-db'], { maxSteps: 2 });
    expect(r.paths).toEqual([]);
    expect(r.undecided.map((u) => [u.from, u.to])).toContainEqual(['internet', 'eni-db']);
  });

  it('sg-audit paths --from web --to data on the version-1 demo snapshot exits 3 and says undecided', () => {
    assertCliBuilt();
    const demoV1 = path.join(ROOT, 'fixtures/snapshots/demo-v1.json');
    const r = runCli(['paths', '--input', demoV1, '--from', 'web', '--to', 'data', '--format', 'json'], { cwd: ROOT });
    expect(r.code).toBe(3);
    const out = JSON.parse(r.stdout) as { paths: unknown[]; undecided: { from: string; reason: string }[] };
    expect(out.paths).toEqual([]);
    expect(out.undecided.length).toBeGreaterThan(0);
    expect(out.undecided.every((u) => /was not collected/.test(u.reason))).toBe(true);
  });
});
