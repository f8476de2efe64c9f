/**
 * The per-condition trace of a trust-policy evaluation as text, in the layout `oidcwatch simulate`
 * prints: one line per statement, its principal and action, then one line per condition with the
 * verdict, the policy's values and the value tested.
 */
import type { EvaluationTrace } from '../../domain/types.js';
import type { Style } from './style.js';

/** The trace, two spaces in, one line per statement and condition. */
export function traceText(trace: EvaluationTrace, style: Style): string {
  const lines: string[] = [];
  for (const st of trace.statements) {
    const label = st.sid ?? `#${st.index}`;
    const verdict =
      st.verdict === 'match'
        ? style.green('matches')
        : st.verdict === 'unknown'
          ? style.yellow('unknown')
          : style.red('does not match');
    lines.push(`  ${st.effect} ${label}: ${verdict}`);
    lines.push(
      `    principal ${st.principalMatches ? 'matches' : style.red('does not match')}, action ${st.actionMatches ? 'matches' : style.red('does not match')}`
    );
    for (const c of st.conditions) {
      const v =
        c.verdict === 'pass'
          ? style.green('pass')
          : c.verdict === 'fail'
            ? style.red('fail')
            : style.yellow('unknown');
      const tested = c.tested === null ? '(no value)' : JSON.stringify(c.tested);
      lines.push(
        `    ${v.padEnd(4)} ${c.operator} ${c.key} ${JSON.stringify(c.values)} ← ${tested}${c.note ? style.dim(`  ${c.note}`) : ''}`
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
