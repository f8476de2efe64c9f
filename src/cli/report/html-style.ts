/**
 * The report page's stylesheet, inlined so the page needs no network (system fonts only). Wide
 * screens (1280–1600 px) put each cause beside its explanation and fix, kept at a readable
 * measure; below 760 px everything is one column and tables become stacked rows.
 */

/** CSS of the HTML report. */
export const REPORT_CSS = `
:root { color-scheme: light; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --soft: #eef1f4; --bg: #f6f8fa; --card: #fff; --accent: #b3261e; --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
svg.defs { position: absolute; width: 0; height: 0; overflow: hidden; }
main { max-width: 1520px; margin: 0 auto; padding: 24px clamp(12px, 3vw, 36px) 48px; }
header h1 { margin: 0; font-size: 24px; font-weight: 600; overflow-wrap: anywhere; }
header p { margin: 4px 0 0; color: var(--muted); }
h2 { font-size: 18px; font-weight: 600; margin: 0 0 4px; }
h3 { font-size: 16px; font-weight: 600; margin: 0; overflow-wrap: anywhere; }
section { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 18px clamp(12px, 2vw, 24px); margin-top: 20px; }
section > p.note { margin: 0 0 12px; color: var(--muted); font-size: 13.5px; max-width: 110ch; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; margin-top: 20px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; min-width: 0; }
.card .value { font-size: 26px; font-weight: 600; font-variant-numeric: tabular-nums; }
.card .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.card.alert .value { color: var(--accent); }
.card .value.text { font-size: 15px; line-height: 1.3; min-height: 39px; display: flex; align-items: center; overflow-wrap: anywhere; }
.muted { color: var(--muted); fill: var(--muted); }
.empty { color: var(--muted); font-style: italic; }
.empty-state h2 { font-size: 20px; }
.empty-state p { max-width: 80ch; margin: 6px 0 0; }
.legend { list-style: none; display: flex; flex-wrap: wrap; gap: 6px 18px; padding: 0; margin: 0 0 10px; font-size: 13px; }
.legend li { display: flex; align-items: center; gap: 6px; }
.swatch { display: inline-block; width: 13px; height: 13px; flex: none; vertical-align: -2px; }
svg.chart { display: block; width: 100%; height: auto; font-size: 12px; }
svg .grid { stroke: #e6e9ed; }
svg .axis { stroke: #8c959f; }
svg .tick { fill: var(--muted); font-size: 11px; font-variant-numeric: tabular-nums; }
svg .axis-title { fill: var(--muted); font-size: 12px; }
svg .label { fill: var(--fg); font-size: 12.5px; }
svg .value { fill: var(--fg); font-size: 12px; font-variant-numeric: tabular-nums; }
svg .segment { stroke: #fff; stroke-width: .6; }
.arn { font-family: var(--mono); font-size: .86em; overflow-wrap: anywhere; }
.name { display: inline-flex; align-items: center; gap: 6px; margin-right: 10px; }
.code { font-family: var(--mono); font-size: .9em; font-weight: 600; }
article.repo { border-top: 2px solid var(--line); padding: 14px 0 4px; }
article.repo:first-of-type { border-top: 0; padding-top: 4px; }
.repo-head { margin-bottom: 6px; }
.repo-stats { margin: 2px 0 0; color: var(--muted); font-size: 13.5px; }
.roles { margin: 2px 0 0; color: var(--muted); font-size: 13.5px; }
.cause-block { display: grid; grid-template-columns: minmax(220px, 300px) minmax(0, 1fr); gap: 6px 28px; padding: 10px 0; border-top: 1px solid var(--soft); }
.cause-head { display: flex; flex-direction: column; align-items: flex-start; gap: 1px; min-width: 0; }
.cause-head .detail { font-family: var(--mono); font-size: 12.5px; color: var(--muted); padding-left: 19px; overflow-wrap: anywhere; }
.cause-head .count { font-size: 13.5px; padding-left: 19px; font-variant-numeric: tabular-nums; }
.cause-head .seen { font-size: 12.5px; color: var(--muted); padding-left: 19px; }
.cause-body { min-width: 0; max-width: 92ch; }
.explanation { margin: 0 0 8px; overflow-wrap: break-word; }
.fix { margin: 0 0 8px; overflow-wrap: break-word; }
.fix-label { display: inline-block; font-size: 11.5px; font-weight: 700; text-transform: uppercase; letter-spacing: .05em; color: #fff; background: #0b5394; border-radius: 4px; padding: 0 6px; margin-right: 4px; }
.badge { display: inline-block; font-size: 11.5px; font-weight: 600; color: #0b5394; border: 1px solid #0b5394; border-radius: 10px; padding: 0 7px; margin-left: 19px; }
.badge.tie { color: #6b4e00; border-color: #a07800; }
.remedy { margin: 4px 0 6px; }
.remedy-head { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; font-size: 13px; font-weight: 600; }
.verified { color: #0f6e2f; } .verified::before { content: "✓ "; }
.unverified { color: var(--accent); } .unverified::before { content: "✗ "; }
pre.diff, pre.command { margin: 6px 0; padding: 8px 10px; background: #f6f8fa; border: 1px solid var(--line); border-radius: 6px; font: 12.5px/1.5 var(--mono); white-space: pre-wrap; overflow-wrap: anywhere; }
pre.diff code > span { display: block; }
pre.diff .mark { display: inline; }
pre.diff .at { color: var(--muted); }
pre.diff .del { background: #ffebe9; }
pre.diff .add { background: #dafbe1; }
pre.diff .mark { font-weight: 700; }
ul.checks { list-style: none; padding: 0; margin: 4px 0 0; font-size: 13px; color: var(--muted); display: flex; flex-wrap: wrap; gap: 2px 16px; }
.problems, .declined { color: var(--accent); font-size: 13px; margin: 4px 0 0; }
details.policy { margin: 6px 0; font-size: 13px; }
details.policy summary { cursor: pointer; color: #0b5394; }
.remedy .notes { color: var(--muted); font-size: 13px; margin: 4px 0 0; }
table { width: 100%; border-collapse: collapse; font-size: 14px; }
th { text-align: left; font-weight: 600; color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .03em; border-bottom: 2px solid var(--line); padding: 6px 10px; white-space: nowrap; }
td { padding: 8px 10px; border-top: 1px solid var(--soft); vertical-align: top; overflow-wrap: anywhere; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
th.num { min-width: 76px; }
td.text { min-width: 24ch; }
td.arn-cell { min-width: 22ch; }
td.time { white-space: nowrap; font-variant-numeric: tabular-nums; }
table.causes td.cause { min-width: 24ch; }
footer { margin-top: 24px; color: var(--muted); font-size: 12px; text-align: center; }
@media (max-width: 760px) {
  body { font-size: 15px; }
  .cause-block { grid-template-columns: minmax(0, 1fr); }
  .cause-head { flex-direction: row; flex-wrap: wrap; align-items: baseline; gap: 2px 10px; }
  .cause-head .detail, .cause-head .count, .cause-head .seen, .badge { padding-left: 0; margin-left: 0; }
  table.stack, table.stack tbody, table.stack tr, table.stack td { display: block; width: 100%; }
  table.stack thead { display: none; }
  table.stack tr { border-top: 2px solid var(--line); padding: 6px 0; }
  table.stack td { border: 0; padding: 3px 0; text-align: left; min-width: 0; white-space: normal; }
  table.stack td::before { content: attr(data-label); display: block; font-size: 11px; font-weight: 600; text-transform: uppercase; letter-spacing: .03em; color: var(--muted); }
}
`;
