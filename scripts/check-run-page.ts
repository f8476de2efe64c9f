/**
 * A check run as GitHub shows it on the "Checks" tab of a run, as a self-contained HTML page: the
 * red cross and the check's name, its title, the summary, the annotation on the workflow line and
 * the text, the Markdown rendered as GitHub-flavoured Markdown (`marked`). Used to draw the
 * picture in the README and by the test that checks what a person sees.
 */
import { marked } from 'marked';
import type { CheckRunContent } from '../src/domain/annotate/check-run-content.js';

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `
  :root { color-scheme: light; }
  body { margin: 0; background: #f6f8fa; font: 14px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; color: #1f2328; }
  .page { width: 920px; margin: 0 auto; padding: 24px 0; }
  .check { background: #fff; border: 1px solid #d1d9e0; border-radius: 6px; overflow: hidden; }
  .head { display: flex; align-items: center; gap: 10px; padding: 16px 20px; border-bottom: 1px solid #d1d9e0; }
  .x { width: 20px; height: 20px; border-radius: 50%; background: #d1242f; color: #fff; display: grid; place-items: center; font-weight: 700; font-size: 13px; }
  .name { font-size: 20px; font-weight: 600; }
  .conclusion { margin-left: auto; color: #59636e; font-size: 12px; }
  .body { padding: 4px 20px 20px; }
  h2.title { font-size: 16px; margin: 16px 0 8px; }
  .markdown h2 { font-size: 16px; border-bottom: 1px solid #d1d9e0; padding-bottom: 4px; margin-top: 20px; }
  .markdown h3 { font-size: 15px; }
  .markdown code { font: 12px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #eff2f5; border-radius: 4px; padding: 1px 4px; }
  .markdown pre { background: #f6f8fa; border: 1px solid #d1d9e0; border-radius: 6px; padding: 12px; overflow: auto; }
  .markdown pre code { background: none; padding: 0; white-space: pre; }
  .markdown table { border-collapse: collapse; margin: 8px 0; }
  .markdown th, .markdown td { border: 1px solid #d1d9e0; padding: 4px 10px; text-align: left; vertical-align: top; }
  .markdown thead { display: none; }
  .markdown a { color: #0969da; text-decoration: none; }
  .diff-add { background: #dafbe1; display: block; }
  .diff-del { background: #ffebe9; display: block; }
  .diff-hunk { color: #59636e; background: #ddf4ff; display: block; }
  .annotations { border: 1px solid #d1d9e0; border-radius: 6px; margin: 16px 0; }
  .annotations .label { padding: 8px 12px; border-bottom: 1px solid #d1d9e0; font-weight: 600; background: #f6f8fa; }
  .annotation { padding: 10px 12px; display: flex; gap: 10px; }
  .annotation .x { width: 16px; height: 16px; font-size: 11px; flex: none; margin-top: 2px; }
  .annotation .where { color: #59636e; font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; }
  .annotation .atitle { font-weight: 600; }
`;

/** Colours diff lines as GitHub does in ```diff blocks. */
function colourDiff(html: string): string {
  return html.replace(
    /<pre><code class="language-diff">([\s\S]*?)<\/code><\/pre>/g,
    (_, body: string) => {
      const lines = body
        .replace(/\n$/, '')
        .split('\n')
        .map((l) =>
          l.startsWith('+')
            ? `<span class="diff-add">${l}</span>`
            : l.startsWith('-')
              ? `<span class="diff-del">${l}</span>`
              : l.startsWith('@@')
                ? `<span class="diff-hunk">${l}</span>`
                : `<span>${l}</span>`
        );
      return `<pre><code class="language-diff">${lines.join('')}</code></pre>`;
    }
  );
}

/**
 * The HTML page of a check run.
 *
 * @example
 * ```ts
 * const html = checkRunPage(content, 'acme-corp/payments-api');
 * ```
 */
export function checkRunPage(content: CheckRunContent, repository: string): string {
  const md = (s: string) => colourDiff(marked.parse(s, { gfm: true, async: false }) as string);
  const annotations = (content.output.annotations ?? [])
    .map(
      (a) => `<div class="annotation"><div class="x">✕</div><div>
        <div class="where">${escapeHtml(a.path)}#L${a.start_line}</div>
        <div class="atitle">${escapeHtml(a.title)}</div>
        <div>${escapeHtml(a.message)}</div></div></div>`
    )
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(content.name)} · ${escapeHtml(repository)}</title><style>${STYLE}</style></head>
<body><div class="page"><div class="check">
  <div class="head"><div class="x">✕</div><div class="name">${escapeHtml(content.name)}</div><div class="conclusion">failed · ${escapeHtml(repository)} @ ${escapeHtml(content.head_sha.slice(0, 7))}</div></div>
  <div class="body">
    <h2 class="title">${escapeHtml(content.output.title)}</h2>
    <div class="markdown">${md(content.output.summary)}</div>
    ${annotations === '' ? '' : `<div class="annotations"><div class="label">Annotations · ${content.output.annotations?.length} error</div>${annotations}</div>`}
    <div class="markdown">${md(content.output.text)}</div>
  </div>
</div></div></body></html>`;
}
