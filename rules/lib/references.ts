/** Control references used by several rules (URLs only where they are stable public pages). */
import type { RuleReference } from '../../src/engine/types.js';

const SECURITY_HUB_EC2 = 'https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html';
const SECURITY_HUB_RDS = 'https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html';
const CONFIG_RULES = 'https://docs.aws.amazon.com/config/latest/developerguide';

export function securityHubEc2(control: number, title: string): RuleReference {
  return {
    title: `AWS Security Hub EC2.${control}: ${title}`,
    url: `${SECURITY_HUB_EC2}#ec2-${control}`,
    ids: [`SecurityHub EC2.${control}`],
  };
}

export function securityHubRds(control: number, title: string): RuleReference {
  return {
    title: `AWS Security Hub RDS.${control}: ${title}`,
    url: `${SECURITY_HUB_RDS}#rds-${control}`,
    ids: [`SecurityHub RDS.${control}`],
  };
}

export function configRule(name: string, title: string): RuleReference {
  return {
    title: `AWS Config managed rule ${name}: ${title}`,
    url: `${CONFIG_RULES}/${name}.html`,
    ids: [`Config ${name}`],
  };
}

export function cisAws(control: string, title: string): RuleReference {
  return {
    title: `CIS AWS Foundations Benchmark ${control}: ${title}`,
    url: 'https://www.cisecurity.org/benchmark/amazon_web_services',
    ids: [`CIS ${control}`],
  };
}

export const SG_RULES_DOC: RuleReference = {
  title: 'Amazon VPC User Guide: security group rules',
  url: 'https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html',
};

export const LIMIT_NETWORK_ACCESS: RuleReference = {
  title:
    'AWS Security Maturity Model: limit network access using security groups (least privilege, references ' +
    'between groups)',
  url: 'https://beta.maturitymodel.security.aws.dev/en/1.-quickwins/security-groups',
};
