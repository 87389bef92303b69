/**
 * Issue #10 item 19: the packed tarball installs cleanly. The build runs in `prepack` (no `prepare`, so
 * installing the tarball or `npm ci` runs no tsc), the tarball carries LICENSE, and no source map ships
 * without its source (the build emits none; `!dist/**\/*.map` keeps stale ones out). The file list is
 * asserted exactly: every compiled module of src/ and rules/, the demo estate, README, LICENSE, package.json.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  license: string;
  version: string;
  scripts: Record<string, string>;
  bin: Record<string, string>;
};
const tsconfig = JSON.parse(readFileSync(path.join(ROOT, 'tsconfig.json'), 'utf8')) as { compilerOptions: { sourceMap?: boolean } };

/** `src/cli/bin.ts` → `dist/src/cli/bin.js`, for every module the build compiles into the package. */
function compiled(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && d.name.endsWith('.ts') && !d.name.endsWith('.d.ts'))
    .map((d) => path.posix.join('dist', path.relative(ROOT, path.join(d.parentPath, d.name)).split(path.sep).join('/')).replace(/\.ts$/, '.js'));
}

function packDryRun(): { files: { path: string }[]; filename: string } {
  // --ignore-scripts: list what the current build (npm test builds first) would ship, without rebuilding.
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return (JSON.parse(out) as { files: { path: string }[]; filename: string }[])[0];
}

describe('npm package', () => {
  it('builds in prepack, not prepare (installing the tarball runs no tsc)', () => {
    expect(pkg.scripts.prepare).toBeUndefined();
    expect(pkg.scripts.prepack).toBe('npm run build');
    // A clean build: dist/ is removed first, so a module whose source moved or went away never ships stale.
    expect(pkg.scripts.build).toBe(
      `node -e "require('node:fs').rmSync('dist',{recursive:true,force:true})" && tsc -p tsconfig.json`,
    );
    // npm ci no longer builds: everything the README and .ci/run start with builds first.
    expect(pkg.scripts.test).toMatch(/^npm run build && /);
    expect(pkg.scripts.demo).toMatch(/^npm run build && /);
    expect(pkg.scripts.docs).toMatch(/^npm run build && /);
  });

  it('ships the Apache-2.0 LICENSE that package.json names, in full', () => {
    expect(pkg.license).toBe('Apache-2.0');
    const text = readFileSync(path.join(ROOT, 'LICENSE'), 'utf8');
    expect(text).toContain('Apache License\n                           Version 2.0, January 2004');
    expect(text).toContain('TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION');
    expect(text).toContain('END OF TERMS AND CONDITIONS');
    expect(text.length).toBeGreaterThan(11_000);
  });

  it('the build emits no source maps (their sources are not shipped)', () => {
    expect(tsconfig.compilerOptions.sourceMap).toBe(false);
  });

  it('npm pack --dry-run lists exactly the compiled modules, the demo estate, README, LICENSE and package.json', () => {
    const packed = packDryRun();
    expect(packed.filename).toBe(`sg-audit-${pkg.version}.tgz`);
    const expected = [
      ...compiled('src'),
      ...compiled('rules'),
      'LICENSE',
      'README.md',
      'fixtures/demo/README.md',
      'fixtures/demo/describe-security-groups.json',
      'fixtures/demo/estate.json',
      'package.json',
    ].sort();
    const files = packed.files.map((f) => f.path).sort();
    expect(files).toEqual(expected);
    expect(files).toContain(pkg.bin['sg-audit']);
    expect(files.filter((f) => f.endsWith('.map') || f.endsWith('.ts') || f.startsWith('test/') || f.startsWith('dist/test/') || f.startsWith('dist/bench/'))).toEqual([]);
  });

  // Resolves the tarball's dependencies from the npm registry, which this machine and CI reach.
  it('npm pack, install into a temp prefix, scan the demo estate', () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'sg-audit-pack-'));
    try {
      execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', tmp], { cwd: ROOT, stdio: 'ignore' });
      const prefix = path.join(tmp, 'prefix');
      const install = spawnSync('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', `./sg-audit-${pkg.version}.tgz`], { cwd: tmp, encoding: 'utf8' });
      expect(install.status, install.stderr).toBe(0);
      expect(install.stderr).not.toMatch(/prepare|tsc/);
      const estate = path.join(prefix, 'lib/node_modules/sg-audit/fixtures/demo/estate.json');
      const scan = spawnSync(path.join(prefix, 'bin/sg-audit'), ['scan', '--input', estate, '--format', 'json'], { cwd: tmp, encoding: 'utf8' });
      expect(scan.stderr).toBe('');
      expect(scan.status).toBe(1);
      expect(JSON.parse(scan.stdout).tool).toEqual({ name: 'sg-audit', version: pkg.version });
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
