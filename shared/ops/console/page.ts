/**
 * The console's one page: a frame of empty sections that the inline script fills from the JSON
 * API and refreshes every 5 s. No external asset, no framework: the page must work on a laptop
 * with no network but the stack's, and the CSP (nonce) lets nothing else run.
 */
import { readFileSync } from 'node:fs';

/** Read once: a real .js file, so the linter and an editor see the page's script as code. */
const SCRIPT = readFileSync(new URL('./page-script.js', import.meta.url), 'utf8');

const CSS = `
:root{--fg:#1d2433;--muted:#5b6478;--line:#d9dde5;--bg:#f6f7f9;--ok:#1f7a3f;--bad:#b3261e;--warn:#8a5a00}
*{box-sizing:border-box}
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg);margin:0}
header{background:#fff;border-bottom:1px solid var(--line);padding:12px 24px;display:flex;gap:16px;align-items:baseline;flex-wrap:wrap}
header h1{font-size:18px;margin:0}
header .where,header .state{color:var(--muted)}
main{padding:16px 24px;display:grid;gap:16px}
section{background:#fff;border:1px solid var(--line);border-radius:6px;padding:12px 16px;overflow-x:auto}
section h2{font-size:15px;margin:0 0 8px;display:flex;gap:12px;align-items:center}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-weight:600;color:var(--muted);font-size:12px;white-space:nowrap}
th.group{text-align:center;border-bottom:2px solid var(--line)}
td.actions{white-space:nowrap}
td.num{text-align:right;font-variant-numeric:tabular-nums}
td.id,code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}
td.fix{color:var(--ok)}
.empty{color:var(--muted);font-style:italic}
button{font:inherit;font-size:12px;padding:2px 8px;margin:1px;border:1px solid #9aa3b5;border-radius:4px;background:#fff;cursor:pointer}
button:hover{background:#eef1f6}
button:disabled{opacity:.5;cursor:wait}
.badge{display:inline-block;padding:0 6px;border-radius:8px;font-size:12px;background:#eef1f6}
.badge.bad{background:#fde8e7;color:var(--bad)}
.badge.ok{background:#e5f4ea;color:var(--ok)}
#notice{display:none;border-radius:6px;padding:8px 12px;border:1px solid var(--line);background:#fff}
#notice.ok{display:block;border-color:var(--ok)}
#notice.error{display:block;border-color:var(--bad);background:#fdf3f2}
#notice.working{display:block}
#notice .hint{margin-top:4px}
.grid2{display:grid;grid-template-columns:repeat(auto-fit,minmax(360px,1fr));gap:16px}
`;

const BODY = `
<header>
  <h1>salesforce-intacct-sync</h1>
  <span class="where" id="where">connecting…</span>
  <span class="state" id="state"></span>
  <label><input type="checkbox" id="auto" checked> refresh every 5 s</label>
  <button id="refresh" type="button">Refresh</button>
</header>
<main>
  <div id="notice" role="alert" aria-live="polite"></div>
  <section id="failures-section"><h2>Open failures <span class="badge" id="failure-count">…</span>
    <button type="button" id="redrive-all">Redrive all</button></h2><div id="failures"></div></section>
  <section><h2>Flows</h2><div id="flows"></div></section>
  <div class="grid2">
    <section><h2>Queues</h2><div id="queues"></div></section>
    <section><h2>Intacct budget</h2><div id="budget"></div></section>
  </div>
  <section><h2>Recent record activity</h2><div id="activity"></div></section>
  <section><h2>Schedules</h2><div id="schedules"></div></section>
</main>`;

/** The page, carrying the console's token for its actions and the nonce its CSP allows. */
export function consolePage(options: { token: string; nonce: string }): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="sfi-console-token" content="${options.token}">
<title>sfi console</title>
<style nonce="${options.nonce}">${CSS}</style>
</head><body>${BODY}
<script nonce="${options.nonce}">${SCRIPT}</script>
</body></html>
`;
}
