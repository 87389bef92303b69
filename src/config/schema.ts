import { z } from 'zod';

export const TIERS = ['lb', 'web', 'app', 'data'] as const;
export type Tier = (typeof TIERS)[number];

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

const TagMatcher = z
  .object({
    key: z.string().min(1),
    /** No value = any value of the key. */
    value: z.string().optional(),
  })
  .strict();
export type TagMatcher = z.infer<typeof TagMatcher>;

const Port = z.number().int().min(0).max(65535);

export const RuleOverrideSchema = z
  .object({
    enabled: z.boolean().optional(),
    severity: z.enum(SEVERITIES).optional(),
    /** Validated against the rule's own options schema at load time. */
    options: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
export type RuleOverride = z.infer<typeof RuleOverrideSchema>;

export const SettingsFileSchema = z
  .object({
    tiers: z
      .object({
        lb: z.array(TagMatcher).optional(),
        web: z.array(TagMatcher).optional(),
        app: z.array(TagMatcher).optional(),
        data: z.array(TagMatcher).optional(),
      })
      .strict()
      .optional(),
    ports: z
      .object({
        data: z.array(Port).min(1).optional(),
        web: z.array(Port).min(1).optional(),
        app: z.array(Port).min(1).optional(),
      })
      .strict()
      .optional(),
    rules: z.record(z.string(), RuleOverrideSchema).optional(),
  })
  .strict();
export type SettingsFile = z.infer<typeof SettingsFileSchema>;

export interface Settings {
  /** Where the settings came from: a path, or `(defaults)`. */
  source: string;
  tiers: Record<Tier, TagMatcher[]>;
  /** `app`: TCP ports the web tier must reach the app tier on (tier-chain-broken); unset = any the app tier admits. */
  ports: { data: number[]; web: number[]; app?: number[] };
  rules: Record<string, RuleOverride>;
}

export const DEFAULT_DATA_PORTS = [3306, 1433, 1521, 5432];
export const DEFAULT_WEB_PORTS = [80, 443];

export function defaultSettings(): Settings {
  return {
    source: '(defaults)',
    tiers: {
      lb: [{ key: 'Tier', value: 'lb' }],
      web: [{ key: 'Tier', value: 'web' }],
      app: [{ key: 'Tier', value: 'app' }],
      data: [{ key: 'Tier', value: 'data' }],
    },
    ports: { data: [...DEFAULT_DATA_PORTS], web: [...DEFAULT_WEB_PORTS] },
    rules: {},
  };
}

export function resolveSettings(file: SettingsFile, source: string): Settings {
  const d = defaultSettings();
  return {
    source,
    tiers: {
      lb: file.tiers?.lb ?? d.tiers.lb,
      web: file.tiers?.web ?? d.tiers.web,
      app: file.tiers?.app ?? d.tiers.app,
      data: file.tiers?.data ?? d.tiers.data,
    },
    ports: {
      data: file.ports?.data ?? d.ports.data,
      web: file.ports?.web ?? d.ports.web,
      ...(file.ports?.app ? { app: file.ports.app } : {}),
    },
    rules: file.rules ?? {},
  };
}

/** Tiers whose matchers a tag set satisfies. */
export function tiersOf(tags: Record<string, string>, settings: Settings): Tier[] {
  const out: Tier[] = [];
  for (const tier of TIERS) {
    if (settings.tiers[tier].some((m) => m.key in tags && (m.value === undefined || tags[m.key] === m.value))) {
      out.push(tier);
    }
  }
  return out;
}
