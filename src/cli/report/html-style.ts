/**
 * The report page's stylesheet, inlined so the page needs no network (system fonts only).
 */

/** CSS of the HTML report. */
export const REPORT_CSS = `
:root { color-scheme: light; --fg: #1f2328; --muted: #656d76; --line: #d8dee4; --bg: #f6f8fa; --card: #fff; --accent: #cf222e; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 28px 24px 48px; }
header h1 { margin: 0; font-size: 24px; font-weight: 600; }
header p { margin: 4px 0 0; color: var(--muted); }
h2 { font-size: 17px; font-weight: 600; margin: 0 0 4px; }
section { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 18px 20px; margin-top: 20px; }
section > p.note { margin: 0 0 12px; color: var(--muted); font-size: 13px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; margin-top: 20px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; }
.card .value { font-size: 26px; font-weight: 600; font-variant-numeric: tabular-nums; }
.card .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.card.alert .value { color: var(--accent); }
.card .value.text { font-size: 15px; line-height: 1.3; min-height: 39px; display: flex; align-items: center; }
.muted { color: var(--muted); fill: var(--muted); }
.empty { color: var(--muted); font-style: italic; }
.legend { list-style: none; display: flex; flex-wrap: wrap; gap: 6px 18px; padding: 0; margin: 0 0 10px; font-size: 12.5px; }
.legend li { display: flex; align-items: center; gap: 6px; }
.swatch { display: inline-block; width: 11px; height: 11px; border-radius: 2px; flex: none; }
svg.chart { display: block; width: 100%; height: auto; font-size: 12px; }
svg .grid { stroke: #eaeef2; }
svg .axis { stroke: #8c959f; }
svg .tick { fill: var(--muted); font-size: 11px; font-variant-numeric: tabular-nums; }
svg .axis-title { fill: var(--muted); font-size: 12px; }
svg .label { fill: var(--fg); font-size: 12.5px; }
svg .value { fill: var(--fg); font-size: 12px; font-variant-numeric: tabular-nums; }
svg .segment:hover { opacity: .8; }
table { width: 100%; border-collapse: collapse; font-size: 13px; }
th { text-align: left; font-weight: 600; color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .03em; border-bottom: 2px solid var(--line); padding: 6px 8px; }
td { padding: 7px 8px; border-top: 1px solid #eaeef2; vertical-align: top; }
tbody.repo { border-top: 2px solid var(--line); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.repositories { table-layout: fixed; }
td { overflow-wrap: break-word; }
td.repo { font-weight: 600; }
td.repo .roles { font-weight: 400; font-size: 12px; color: var(--muted); display: block; margin-top: 2px; }
td.cause { font-size: 12.5px; }
td.cause .name { display: flex; align-items: baseline; gap: 6px; }
td.cause .swatch { position: relative; top: 1px; }
td.cause .detail { display: block; color: var(--muted); font-size: 12px; padding-left: 17px; }
td.fix code, td.explanation code { font-size: 12px; }
td.explanation { color: #424a53; }
.badge { display: inline-block; font-size: 11px; font-weight: 600; color: #1a7f37; border: 1px solid #4ac26b; border-radius: 10px; padding: 0 7px; margin-left: 6px; }
.mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; word-break: break-all; }
footer { margin-top: 24px; color: var(--muted); font-size: 12px; text-align: center; }
`;
