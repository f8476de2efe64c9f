/**
 * Reads values out of synthesized templates: `Fn::Join` strings become plain text with `{Ref:X}`
 * / `{GetAtt:X.Y}` markers, so JSON bodies built from tokens (dashboard, Contributor Insights
 * rules) can be parsed and asserted on.
 */

/** A template's resources of one type, by logical id. */
export function resourcesOfType(
  template: { toJSON(): unknown },
  type: string
): Record<string, { Properties: Record<string, unknown> }> {
  const json = template.toJSON() as { Resources: Record<string, { Type: string }> };
  return Object.fromEntries(
    Object.entries(json.Resources).filter(([, r]) => r.Type === type)
  ) as unknown as Record<string, { Properties: Record<string, unknown> }>;
}

/** `value`, or a test failure naming `what` when it is missing. */
export function defined<T>(value: T | null | undefined, what = 'value'): T {
  if (value === null || value === undefined) throw new Error(`expected a ${what}`);
  return value;
}

/** The text of a string, `Ref`, `GetAtt` or `Fn::Join` value, with markers for references. */
export function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'object' && value !== null) {
    const v = value as Record<string, unknown>;
    if (typeof v.Ref === 'string') return `{Ref:${v.Ref}}`;
    if (Array.isArray(v['Fn::GetAtt']))
      return `{GetAtt:${(v['Fn::GetAtt'] as string[]).join('.')}}`;
    if (Array.isArray(v['Fn::Join'])) {
      const [sep, parts] = v['Fn::Join'] as [string, unknown[]];
      return parts.map(flatten).join(sep);
    }
    if (Array.isArray(v['Fn::Select'])) return `{Select:${JSON.stringify(v['Fn::Select'])}}`;
  }
  throw new Error(`cannot flatten ${JSON.stringify(value)}`);
}
