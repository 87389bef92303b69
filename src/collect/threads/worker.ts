/**
 * Entry of a collection worker thread (started by src/collect/threads/pool.ts; runs from dist/ as
 * dist/src/collect/threads/worker.js). It collects the account×region units the main thread hands it with the
 * same per-region code as the main thread (`collectRegion`), under its share of the call limit and its
 * own HTTP socket pool, and posts each finished RegionSnapshot back. It makes no STS call of its own:
 * credentials come from the main thread (see protocol.ts). It is stopped with `terminate()`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { makeRequestHandler, type SdkSettings } from '../aws/clients.js';
import { errorCode, errorMessage, Scrubber } from '../aws/errors.js';
import { CallRunner } from '../runner.js';
import type { CallCounters } from './dispatch.js';
import {
  credentialsFresh,
  fromWire,
  type FromWorker,
  type ToWorker,
  type WireCredentials,
  type WireError,
  type WorkerInit,
} from './protocol.js';
import { RegionThread } from './thread.js';

if (!parentPort) throw new Error('src/collect/threads/worker.js is a worker thread entry, not a program');
const port = parentPort;
const init = workerData as WorkerInit;

const post = (m: FromWorker) => port.postMessage(m);
const scrubber = new Scrubber(init.secretEnv);
const runner = new CallRunner(init.share);
const sdk: SdkSettings = {
  profile: init.profile,
  retryMode: init.retryMode,
  maxAttempts: init.maxAttempts,
  requestHandler: makeRequestHandler(init.share, init.requestTimeoutMs),
};

const counters = (): CallCounters => {
  const { calls, retries, failed, pending } = runner.stats;
  return { calls, retries, failed, pending };
};

// Credentials per scope (account): the latest set the main thread sent, and requests for fresh ones.
const latest = new Map<number, WireCredentials>();
const providers = new Map<number, AwsCredentialIdentityProvider>();
const requests = new Map<number, { resolve: (c: WireCredentials) => void; reject: (e: Error) => void }>();
let nextRequest = 0;

function remember(scope: number, c: WireCredentials): void {
  scrubber.addCredentials(c);
  latest.set(scope, c);
}

function credentials(scope: number): AwsCredentialIdentityProvider {
  let provider = providers.get(scope);
  if (!provider) {
    let asking: Promise<AwsCredentialIdentity> | undefined;
    provider = async () => {
      const c = latest.get(scope);
      if (credentialsFresh(c)) return c!;
      asking ??= new Promise<WireCredentials>((resolve, reject) => {
        const id = nextRequest++;
        requests.set(id, { resolve, reject });
        post({ type: 'credentials', id, scope });
      })
        .then((fresh) => {
          remember(scope, fresh);
          return fresh;
        })
        .finally(() => {
          asking = undefined;
        });
      return asking;
    };
    providers.set(scope, provider);
  }
  return provider;
}

function wireError(err: unknown): WireError {
  return { code: errorCode(err), message: errorMessage(err, scrubber) };
}

const thread = new RegionThread({
  runner,
  share: init.share,
  sdk,
  scrubber,
  needs: new Set(init.needs),
  credentials,
  want: () => post({ type: 'want' }),
  done: (unit, region) => post({ type: 'result', id: unit.id, region, counters: counters() }),
  failed: (unit, err) => post({ type: 'failed', id: unit.id, error: wireError(err) }),
});

port.on('message', (m: ToWorker) => {
  if (m.type === 'unit') {
    if (m.credentials) remember(m.unit.scope, m.credentials);
    thread.assign(m.unit);
  } else if (m.type === 'credentials') {
    const r = requests.get(m.id);
    if (!r) return;
    requests.delete(m.id);
    if (m.credentials) r.resolve(m.credentials);
    else r.reject(fromWire(m.error ?? { code: 'CredentialsProviderError', message: 'no credentials' }));
  }
});

// Progress: counters at most every 100 ms, only when they changed (results carry them too).
let last = '';
setInterval(() => {
  const c = counters();
  const key = `${c.calls}/${c.retries}/${c.failed}/${c.pending}`;
  if (key !== last) {
    last = key;
    post({ type: 'stats', counters: c });
  }
}, 100).unref();

thread.pump();
