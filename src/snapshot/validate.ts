/**
 * Fast, in-place validation of a large parsed snapshot.
 *
 * `SnapshotSchema.safeParse` (zod) returns a deep copy of its input: for a 100k-group snapshot that doubles
 * the memory held and adds seconds of allocation and garbage collection. This validator is compiled (ajv)
 * from the same zod schema (`z.toJSONSchema`, output mode) and works on the parsed JSON itself: it fills in
 * the `.default(...)` values (`useDefaults`) and drops unknown keys (`removeAdditional`, as zod strips them),
 * so an accepted input ends up equal to what zod would have returned (test/snapshot/validate.test.ts).
 * When it rejects an input, the caller falls back to zod, which then words the (unchanged) error message —
 * or returns the data, should zod accept.
 *
 * What JSON Schema cannot say — a permission's ports checked by its protocol, fromPort ≤ toPort, the
 * protocol normalised (`"6"` → `tcp`) — is done by one pass over the permissions after ajv accepted, with
 * the functions the zod schema's refinement and overwrite use (src/snapshot/aws-values.ts).
 *
 * Loading and compiling ajv costs ~0.15 s, more than zod spends on a small snapshot, so ajv is loaded
 * lazily and only used for large inputs (see `IN_PLACE_MIN_CHARS` in load.ts).
 */
import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';
import { z } from 'zod';
import { canonicalProtocol, permissionProblems, SNAPSHOT_FIELDS } from './aws-values.js';
import { SnapshotSchema, type Permission, type Snapshot } from './schema.js';

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (!compiled) {
    const require = createRequire(import.meta.url);
    const { Ajv2020 } = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
    const schema = z.toJSONSchema(SnapshotSchema) as Record<string, unknown>;
    delete schema.$schema;
    const ajv = new Ajv2020({ useDefaults: true, removeAdditional: true, strict: false, allErrors: false });
    compiled = ajv.compile(schema);
  }
  return compiled;
}

/**
 * True when `raw` is a valid snapshot; it is then completed in place (defaults filled, unknown keys removed)
 * and can be used as a `Snapshot`. When false, `raw` may be partly completed: validate it with zod for the
 * error message.
 */
export function validateSnapshotInPlace(raw: unknown): raw is Snapshot {
  if (validator()(raw) !== true) return false;
  for (const r of (raw as Snapshot).regions) {
    for (const g of r.securityGroups) {
      if (!permissionsInPlace(g.ingress) || !permissionsInPlace(g.egress)) return false;
    }
  }
  return true;
}

/** The zod refinement and overwrite of `PermissionSchema`, in place: false on the first problem. */
function permissionsInPlace(perms: Permission[]): boolean {
  for (const p of perms) {
    if (permissionProblems(SNAPSHOT_FIELDS, p.protocol, p.fromPort, p.toPort).length > 0) return false;
    p.protocol = canonicalProtocol(p.protocol)!;
  }
  return true;
}
