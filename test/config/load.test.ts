import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadSettings, parseSettings, type RuleOptionsCatalog } from '../../src/config/load.js';
import { defaultSettings, tiersOf } from '../../src/config/schema.js';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { YAML_MAX_ALIAS_COUNT } from '../../src/util/fs.js';
import { tempDir, usageMessage as errorOf } from '../helpers/files.js';
import { aliasBomb } from '../helpers/hostile-input.js';

const catalog: RuleOptionsCatalog = {
  has: (id) => id === 'with-options' || id === 'no-options',
  optionsSchema: (id) =>
    id === 'with-options' ? z.object({ ports: z.array(z.number()).default([22]) }).strict() : undefined,
};

const tmp = (files: Record<string, string>) => tempDir('config', files);

describe('settings', () => {
  it('uses built-in defaults when no file exists', () => {
    const s = loadSettings({ cwd: tmp({}) });
    expect(s.source).toBe('(defaults)');
    expect(s.tiers.data).toEqual([{ key: 'Tier', value: 'data' }]);
    expect(s.ports).toEqual({ data: [3306, 1433, 1521, 5432], web: [80, 443] });
  });

  it('picks sg-audit.config.yaml from the working directory and merges with defaults', () => {
    const dir = tmp({
      'sg-audit.config.yaml': 'tiers:\n  data:\n    - key: Layer\n      value: db\nports:\n  data: [5432]\n',
    });
    const s = loadSettings({ cwd: dir });
    expect(s.source).toBe('sg-audit.config.yaml');
    expect(s.tiers.data).toEqual([{ key: 'Layer', value: 'db' }]);
    expect(s.tiers.web).toEqual([{ key: 'Tier', value: 'web' }]);
    expect(s.ports).toEqual({ data: [5432], web: [80, 443] });
  });

  it('ports.app is optional: unset by default (tier-chain-broken then checks any TCP port the app tier admits)', () => {
    const dir = tmp({ 'sg-audit.config.yaml': 'ports:\n  app: [8080, 8443]\n' });
    expect(loadSettings({ cwd: dir }).ports).toEqual({
      data: [3306, 1433, 1521, 5432],
      web: [80, 443],
      app: [8080, 8443],
    });
    expect('app' in loadSettings({ cwd: tmp({}) }).ports).toBe(false);
    expect(errorOf(() => parseSettings({ ports: { app: [] } }, 'c.yaml')).split('\n')).toEqual([
      'c.yaml: ports.app: expected at least 1 item',
    ]);
    expect(errorOf(() => parseSettings({ ports: { app: [8080.5, 70000] } }, 'c.yaml')).split('\n')).toEqual([
      'c.yaml: ports.app[0]: expected int, got number',
      'c.yaml: ports.app[1]: expected a number <= 65535',
    ]);
  });

  it('reads JSON via --config', () => {
    const dir = tmp({ 'custom.json': JSON.stringify({ tiers: { app: [{ key: 'Role' }] } }) });
    const s = loadSettings({ cwd: dir, configPath: 'custom.json' });
    expect(s.tiers.app).toEqual([{ key: 'Role' }]);
  });

  it('names file and path for a wrong type', () => {
    const dir = tmp({ 'sg-audit.config.yaml': 'tiers:\n  data:\n    - key: 42\n' });
    expect(errorOf(() => loadSettings({ cwd: dir }))).toBe(
      'sg-audit.config.yaml: tiers.data[0].key: expected string, got number',
    );
  });

  it('reports one line per problem', () => {
    const msg = errorOf(() => parseSettings({ tiers: { web: 'x' }, ports: { data: [70000] }, extra: 1 }, 'c.yaml'));
    expect(msg.split('\n').sort()).toEqual([
      "c.yaml: (root): unknown key 'extra'",
      'c.yaml: ports.data[0]: expected a number <= 65535',
      'c.yaml: tiers.web: expected array, got string',
    ]);
  });

  it('rejects unknown rule ids and validates rule options with the rule schema', () => {
    expect(errorOf(() => parseSettings({ rules: { nope: { enabled: false } } }, 'c.yaml', catalog))).toBe(
      "c.yaml: rules.nope: unknown rule id (see 'sg-audit rules')",
    );
    expect(
      errorOf(() => parseSettings({ rules: { 'with-options': { options: { ports: ['x'] } } } }, 'c.yaml', catalog)),
    ).toBe('c.yaml: rules.with-options.options.ports[0]: expected number, got string');
    expect(errorOf(() => parseSettings({ rules: { 'no-options': { options: {} } } }, 'c.yaml', catalog))).toBe(
      'c.yaml: rules.no-options.options: this rule takes no options',
    );
    expect(errorOf(() => parseSettings({ rules: { 'no-options': { severity: 'urgent' } } }, 'c.yaml', catalog))).toBe(
      'c.yaml: rules.no-options.severity: expected one of "critical", "high", "medium", "low", "info"',
    );
  });

  it('reports every problem at once: schema problems, unknown rule ids and rule options together (issue #10)', () => {
    const raw = {
      tiers: { web: 'x' },
      ports: { data: [], web: [80.5] },
      rules: {
        nope: { enabled: false, colour: 'red' },
        'with-options': { severity: 'urgent', options: { ports: ['x'] } },
        'no-options': { options: {} },
      },
    };
    expect(errorOf(() => parseSettings(raw, 'c.yaml', catalog)).split('\n')).toEqual([
      'c.yaml: tiers.web: expected array, got string',
      'c.yaml: ports.data: expected at least 1 item',
      'c.yaml: ports.web[0]: expected int, got number',
      "c.yaml: rules.nope: unknown rule id (see 'sg-audit rules')",
      'c.yaml: rules.with-options.severity: expected one of "critical", "high", "medium", "low", "info"',
      'c.yaml: rules.with-options.options.ports[0]: expected number, got string',
      'c.yaml: rules.no-options.options: this rule takes no options',
    ]);
  });

  it('a file with two problems names both, from disk too', () => {
    const dir = tmp({ 'sg-audit.config.yaml': 'tiers:\n  data:\n    - key: 42\nrules:\n  nope: {enabled: false}\n' });
    expect(errorOf(() => loadSettings({ cwd: dir, catalog })).split('\n')).toEqual([
      'sg-audit.config.yaml: tiers.data[0].key: expected string, got number',
      "sg-audit.config.yaml: rules.nope: unknown rule id (see 'sg-audit rules')",
    ]);
  });

  it('options that are not a map are reported once, by the settings schema', () => {
    expect(errorOf(() => parseSettings({ rules: { 'with-options': { options: 'x' } } }, 'c.yaml', catalog))).toBe(
      'c.yaml: rules.with-options.options: expected record, got string',
    );
  });

  it('reads a YAML or JSON config with a UTF-8 BOM, and UTF-16 (PowerShell) JSON', () => {
    const dir = tempDir('config-enc');
    writeFileSync(path.join(dir, 'sg-audit.config.yaml'), Buffer.from('\ufeffports:\n  web: [8443]\n', 'utf8'));
    writeFileSync(path.join(dir, 'c.json'), Buffer.from('\ufeff{"ports": {"web": [8443]}}', 'utf8'));
    writeFileSync(path.join(dir, 'u16.json'), Buffer.from('\ufeff{"ports": {"web": [8443]}}\r\n', 'utf16le'));
    expect(loadSettings({ cwd: dir }).ports.web).toEqual([8443]);
    expect(loadSettings({ cwd: dir, configPath: 'c.json' }).ports.web).toEqual([8443]);
    expect(loadSettings({ cwd: dir, configPath: 'u16.json' }).ports.web).toEqual([8443]);
  });

  it('a YAML alias bomb is a usage error naming the file (it was exit 3, "Excessive alias count")', () => {
    const dir = tmp({ 'sg-audit.config.yaml': aliasBomb() });
    expect(errorOf(() => loadSettings({ cwd: dir }))).toBe(
      `sg-audit.config.yaml: YAML aliases expand too far (more than ${YAML_MAX_ALIAS_COUNT} alias uses, an alias bomb?); write the values out`,
    );
  });

  it('reports every YAML syntax error, each with its line', () => {
    const dir = tmp({ 'sg-audit.config.yaml': 'ports: {}\nports: {}\ntiers: {}\ntiers: {}\n' });
    expect(errorOf(() => loadSettings({ cwd: dir })).split('\n')).toEqual([
      'sg-audit.config.yaml:2:1: invalid YAML: Map keys must be unique',
      'sg-audit.config.yaml:4:1: invalid YAML: Map keys must be unique',
    ]);
  });

  it('reports YAML syntax errors with file and line', () => {
    const dir = tmp({ 'sg-audit.config.yaml': 'tiers:\n  data: [\n' });
    expect(errorOf(() => loadSettings({ cwd: dir }))).toMatch(/^sg-audit\.config\.yaml:\d+:\d+: invalid YAML: \S/);
  });

  it('reports a missing --config file', () => {
    expect(errorOf(() => loadSettings({ cwd: tmp({}), configPath: 'missing.yaml' }))).toMatch(
      /missing\.yaml: cannot read file \(ENOENT\)/,
    );
  });
});

describe('tier matching', () => {
  it('matches key and value, or key alone when no value is given', () => {
    const s = defaultSettings();
    s.tiers.app = [{ key: 'Role' }, { key: 'Tier', value: 'app' }];
    expect(tiersOf({ Tier: 'data' }, s)).toEqual(['data']);
    expect(tiersOf({ Role: 'anything' }, s)).toEqual(['app']);
    expect(tiersOf({ Tier: 'Data' }, s)).toEqual([]);
    expect(tiersOf({}, s)).toEqual([]);
  });
});
