/**
 * The synthesized template of the stack a resource belongs to, as the delivery rules walk it: every
 * `CfnResource` of the stack resolved to its CloudFormation form, plus helpers to follow `Ref` and
 * `Fn::GetAtt` between resources.
 */
import { CfnResource, type Stack } from 'aws-cdk-lib';

/** One resource of the template. */
export interface TemplateResource {
  readonly Type: string;
  readonly Properties: Record<string, unknown>;
}

/** The resources of a template, by logical id. */
export type TemplateResources = Readonly<Record<string, TemplateResource>>;

const cache = new WeakMap<Stack, TemplateResources>();

/** The resolved resources of `stack` (computed once per stack). */
export function templateOf(stack: Stack): TemplateResources {
  const known = cache.get(stack);
  if (known !== undefined) return known;
  const out: Record<string, TemplateResource> = {};
  for (const c of stack.node.findAll()) {
    if (!(c instanceof CfnResource) || Object.is(c.stack, stack) === false) continue;
    // biome-ignore lint/suspicious/noExplicitAny: the CDK's own rendering of the resource
    const rendered = stack.resolve((c as any)._toCloudFormation()) as {
      Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
    };
    for (const [id, r] of Object.entries(rendered.Resources))
      out[id] = { Type: r.Type, Properties: r.Properties ?? {} };
  }
  cache.set(stack, out);
  return out;
}

/** The logical id a value points at (`{Ref: X}`, `{Fn::GetAtt: [X, …]}`), else `null`. */
export function targetId(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (typeof v.Ref === 'string') return v.Ref;
  const att = v['Fn::GetAtt'];
  if (Array.isArray(att) && typeof att[0] === 'string') return att[0];
  return null;
}

/** A value as a list (CloudFormation allows one item or many). */
export function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** Whether two template values name the same thing (same id, or equal literals). */
export function sameTarget(a: unknown, b: unknown): boolean {
  const ia = targetId(a);
  if (ia !== null) return ia === targetId(b);
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Resources of one type. */
export function ofType(t: TemplateResources, type: string): [string, TemplateResource][] {
  return Object.entries(t).filter(([, r]) => r.Type === type);
}

/** A policy statement as the rules read it. */
export interface Statement {
  readonly Effect?: string;
  readonly Principal?: unknown;
  readonly Action?: unknown;
  readonly Resource?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

/** The statements of a policy document. */
export function statementsOf(document: unknown): Statement[] {
  if (typeof document !== 'object' || document === null) return [];
  return asList((document as { Statement?: unknown }).Statement) as Statement[];
}

/** Whether a statement's `Principal` names the service. */
export function allowsService(s: Statement, service: string): boolean {
  if (s.Effect !== 'Allow' || typeof s.Principal !== 'object' || s.Principal === null) return false;
  return asList((s.Principal as { Service?: unknown }).Service).includes(service);
}

/** Whether a statement's actions cover `action` (exact, `service:*` or a trailing `*`). */
export function coversAction(s: Statement, action: string): boolean {
  return asList(s.Action).some((a) => {
    if (typeof a !== 'string') return false;
    const lower = a.toLowerCase();
    const want = action.toLowerCase();
    return (
      lower === want ||
      lower === '*' ||
      (lower.endsWith('*') && want.startsWith(lower.slice(0, -1)))
    );
  });
}

/** The condition keys a statement sets, lower-cased, whatever the operator. */
export function conditionKeys(s: Statement): Set<string> {
  const keys = new Set<string>();
  for (const block of Object.values(s.Condition ?? {}))
    for (const k of Object.keys(block ?? {})) keys.add(k.toLowerCase());
  return keys;
}
