/**
 * `oidcwatch policy --terraform`: an `aws_iam_role` resource whose `assume_role_policy` is the
 * checked policy written as a `jsonencode({...})` object, formatted as `terraform fmt` does. Values
 * escape HCL's template sequences (`${` → `$${`, `%{` → `%%{`) so IAM policy variables stay literal.
 * Without an account the provider ARN comes from `aws_partition` and `aws_caller_identity`.
 */
import type { GeneratedTrustPolicy } from '../../domain/generate/generate-trust-policy.js';
import type { RoleSettings } from './role-settings.js';

const INDENT = '  ';
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** A JSON value. */
type Json = string | number | boolean | null | readonly Json[] | { readonly [k: string]: Json };

/** An HCL quoted string: JSON's escapes, plus HCL's template sequences escaped. */
export function hclString(value: string): string {
  // A function replacement: in a replacement string "$$" would stand for one "$".
  return JSON.stringify(value)
    .replaceAll('${', () => '$${')
    .replaceAll('%{', () => '%%{');
}

function hclKey(key: string): string {
  return IDENTIFIER.test(key) ? key : hclString(key);
}

function render(value: Json, depth: number, raw: ReadonlyMap<string, string>): string {
  if (typeof value === 'string') return raw.get(value) ?? hclString(value);
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  const pad = INDENT.repeat(depth + 1);
  const close = INDENT.repeat(depth);
  if (Array.isArray(value)) {
    const items = (value as readonly Json[]).map((v) => render(v, depth + 1, raw));
    const inline = `[${items.join(', ')}]`;
    if (!items.some((i) => i.includes('\n')) && inline.length + depth * 2 < 80) return inline;
    return `[\n${items.map((i) => `${pad}${i},`).join('\n')}\n${close}]`;
  }
  const entries = Object.entries(value as Record<string, Json>).map(
    ([k, v]) => [hclKey(k), render(v, depth + 1, raw)] as const
  );
  return `{\n${alignedAttributes(entries, pad)}\n${close}}`;
}

/**
 * `key = value` lines with the `=` of each run of single-line attributes aligned, as
 * `terraform fmt` aligns them (a multi-line value stands alone, between runs).
 */
function alignedAttributes(entries: readonly (readonly [string, string])[], pad: string): string {
  const lines: string[] = [];
  let run: (readonly [string, string])[] = [];
  const flush = () => {
    const width = Math.max(0, ...run.map(([k]) => k.length));
    for (const [k, v] of run) lines.push(`${pad}${k.padEnd(width)} = ${v}`);
    run = [];
  };
  for (const entry of entries) {
    if (entry[1].includes('\n')) {
      flush();
      lines.push(`${pad}${entry[0]} = ${entry[1]}`);
    } else run.push(entry);
  }
  flush();
  return lines.join('\n');
}

/** A Terraform identifier from a role name: `gha-acme-corp-api` → `gha_acme_corp_api`. */
export function terraformLabel(roleName: string): string {
  const label = roleName.toLowerCase().replace(/[^a-z0-9_]+/g, '_');
  return /^[a-z_]/.test(label) ? label : `role_${label}`;
}

/**
 * The Terraform configuration.
 *
 * @param comments - lines put at the top as `#` comments (the command, the checks)
 *
 * @example
 * ```ts
 * io.stdout.write(renderTerraform(generated, roleSettings(generated.request, {}), ['checked …']));
 * ```
 */
export function renderTerraform(
  generated: GeneratedTrustPolicy,
  role: RoleSettings,
  comments: readonly string[]
): string {
  const { request, document } = generated;
  const raw = new Map<string, string>();
  const lines = comments.map((c) => `# ${c}`.trimEnd());
  lines.push('');
  if (request.account === null) {
    raw.set(
      request.providerArn,
      `"arn:\${data.aws_partition.current.partition}:iam::\${data.aws_caller_identity.current.account_id}:oidc-provider/${request.issuer.url}"`
    );
    lines.push('data "aws_partition" "current" {}', 'data "aws_caller_identity" "current" {}', '');
  }
  const attributes: [string, string][] = [
    ['name', hclString(role.name)],
    ['description', hclString(role.description)],
    ['max_session_duration', String(role.maxSessionDuration)],
  ];
  if (role.permissionsBoundary !== null)
    attributes.push(['permissions_boundary', hclString(role.permissionsBoundary)]);
  attributes.push([
    'assume_role_policy',
    `jsonencode(${render(document as unknown as Json, 1, raw)})`,
  ]);
  lines.push(
    `resource "aws_iam_role" "${terraformLabel(role.name)}" {`,
    alignedAttributes(attributes, INDENT),
    '}'
  );
  return `${lines.join('\n')}\n`;
}
