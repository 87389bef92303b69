/**
 * Stable finding identity across runs, shared by SARIF `partialFingerprints` and `--baseline`.
 *
 * identity = rule id + account + region + resource id + message id. The message text, severity and
 * remediation are left out on purpose: rewording a message or changing a severity must not turn an old
 * finding into a new one. When one rule reports the same identity several times (e.g. one finding per
 * open port), findings are numbered in a deterministic order (message, then data) and the fingerprint is
 * `<hash>:<n>`, as GitHub does for its own line hashes (failing findings are numbered first).
 */
import crypto, { createHash } from 'node:crypto';
import type { Finding } from '../engine/types.js';

export const FINGERPRINT_KEY = 'sgAuditFinding/v1';

export type Identity = Pick<
  Finding,
  'ruleId' | 'accountId' | 'region' | 'messageId' | 'message' | 'data' | 'status'
> & {
  resource: { id: string };
};

const STATUS_RANK: Record<Finding['status'], number> = { fail: 0, error: 1, pass: 2 };

// One-shot crypto.hash (Node >= 20.12) is about twice as fast as createHash() for a million findings;
// the digest is the same.
const oneShot = (crypto as { hash?: (algorithm: string, data: string) => string }).hash;
const sha256Hex = oneShot
  ? (s: string) => oneShot('sha256', s)
  : (s: string) => createHash('sha256').update(s).digest('hex');

export function identityHash(f: Identity): string {
  return sha256Hex(
    `v1\u0000${f.ruleId}\u0000${f.accountId}\u0000${f.region}\u0000${f.resource.id}\u0000${f.messageId}`,
  ).slice(0, 32);
}

/** Fingerprints for `findings`, index-aligned. Deterministic for any input order. */
export function fingerprints(findings: readonly Identity[]): string[] {
  // Identity → the index of its only finding, or the indices of all its findings. Most identities are
  // unique, so no array per finding (a million findings at 100k SGs).
  const groups = new Map<string, number | number[]>();
  for (let i = 0; i < findings.length; i++) {
    const h = identityHash(findings[i]);
    const seen = groups.get(h);
    if (seen === undefined) groups.set(h, i);
    else if (typeof seen === 'number') groups.set(h, [seen, i]);
    else seen.push(i);
  }
  const out = new Array<string>(findings.length);
  for (const [h, idxs] of groups) {
    if (typeof idxs === 'number') {
      out[idxs] = `${h}:1`;
      continue;
    }
    // Failing findings are numbered first, so passes never shift a failing finding's number.
    const keys = new Map(
      idxs.map((i) => [
        i,
        `${STATUS_RANK[findings[i].status]}\u0000${findings[i].message}\u0000${stableJson(findings[i].data)}`,
      ]),
    );
    const tie = (i: number) => keys.get(i)!;
    idxs.sort((a, b) => (tie(a) < tie(b) ? -1 : tie(a) > tie(b) ? 1 : a - b));
    idxs.forEach((i, n) => (out[i] = `${h}:${n + 1}`));
  }
  return out;
}

function stableJson(data: Record<string, string | number> | undefined): string {
  if (!data) return '';
  return JSON.stringify(
    Object.keys(data)
      .sort()
      .map((k) => [k, data[k]]),
  );
}
