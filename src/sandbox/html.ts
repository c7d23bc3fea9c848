// The sandbox's few HTML pages (consent, authorization errors, index). No scripts and no external
// resources; one inline stylesheet allowed by a per-response nonce; light and dark themes; real form
// controls with labels so keyboards and screen readers work without help.

import { escapeHtml as esc } from './http';

export interface Page {
  html: string;
  csp: string;
}

const STYLE = `
:root{color-scheme:light dark;--bg:#f3f5fa;--card:#fff;--text:#141a3a;--muted:#4d5472;--accent:#0a5ccc;
--on-accent:#fff;--border:#d3d8e6;--soft:#eef3fd;--focus:#c77700;--bad:#a4261c}
@media (prefers-color-scheme:dark){:root{--bg:#0e1124;--card:#181c38;--text:#eef0fb;--muted:#b4b9d6;
--accent:#6aaaff;--on-accent:#0a0f22;--border:#353c68;--soft:#1f2650;--focus:#ffb84d;--bad:#ff8a80}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--text);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:36rem;margin:0 auto;padding:2.5rem 1rem}
.brand{display:flex;align-items:center;gap:.6rem;font-weight:650;font-size:1.1rem;margin-bottom:1.25rem}
.brand svg{width:2rem;height:2rem}
.logo-bg{fill:var(--accent)}.logo-dot{fill:var(--on-accent)}
.logo-arc{fill:none;stroke:var(--on-accent);stroke-width:3;stroke-linecap:round}
.tag{font-size:.75rem;font-weight:600;text-transform:uppercase;letter-spacing:.06em;color:var(--muted);
border:1px solid var(--border);border-radius:999px;padding:.1rem .55rem}
.card{background:var(--card);border:1px solid var(--border);border-radius:14px;padding:1.75rem;
box-shadow:0 1px 2px rgb(0 0 0/.06),0 8px 24px rgb(0 0 0/.05)}
h1{font-size:1.45rem;line-height:1.3;margin:0 0 1.25rem}
h2{font-size:1rem;margin:1.5rem 0 .5rem}
.app{display:flex;align-items:center;gap:1rem;padding:.9rem 1rem;border-radius:10px;background:var(--soft)}
.app-icon{flex:none;width:2.75rem;height:2.75rem;border-radius:10px;display:grid;place-items:center;
background:var(--accent);color:var(--on-accent);font-weight:700;font-size:1.2rem}
.app-name{font-weight:650}
.muted,.note{color:var(--muted)}
.note{font-size:.9rem}
ul.scopes{margin:0;padding-left:1.25rem}
ul.scopes li{margin:.3rem 0}
fieldset{margin:1.5rem 0 0;border:1px solid var(--border);border-radius:10px;padding:.75rem 1rem 1rem}
legend{font-weight:650;padding:0 .35rem}
label.line{display:flex;gap:.6rem;align-items:baseline;padding:.35rem 0;cursor:pointer}
input[type=radio]{accent-color:var(--accent);width:1.1rem;height:1.1rem}
.actions{display:flex;flex-wrap:wrap;gap:.75rem;margin-top:1.5rem}
button{font:inherit;font-weight:650;min-height:44px;padding:.6rem 1.6rem;border-radius:999px;cursor:pointer;
border:2px solid var(--accent)}
button.primary{background:var(--accent);color:var(--on-accent)}
button.secondary{background:transparent;color:var(--accent)}
button:hover{filter:brightness(1.08)}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.error-code{font-weight:700;color:var(--bad)}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em;overflow-wrap:anywhere}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid var(--border);vertical-align:top}
footer{margin-top:1.25rem;text-align:center}
@media (prefers-reduced-motion:no-preference){button{transition:filter .15s}}
`;

const LOGO = `<svg viewBox="0 0 32 32" aria-hidden="true" focusable="false"><circle class="logo-bg" cx="16" cy="16" r="15"/>
<path class="logo-arc" d="M9 16a7 7 0 0 1 14 0"/><circle class="logo-dot" cx="16" cy="20" r="2.5"/></svg>`;

/** A whole page; `formTargets` are the extra origins a form on it may end up at (its redirect target). */
export function page(opts: { title: string; nonce: string; body: string; formTargets?: string[]; wide?: boolean }): Page {
  const width = opts.wide ? '<style nonce="' + opts.nonce + '">main{max-width:60rem}</style>' : '';
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${esc(opts.title)} · Telenor sandbox</title>
<style nonce="${opts.nonce}">${STYLE}</style>${width}
</head>
<body>
<main>
<div class="brand">${LOGO}<span>Telenor</span><span class="tag">Local sandbox</span></div>
${opts.body}
<footer class="note">A local emulator of Telenor's APIs. No real accounts, lines or data are involved.</footer>
</main>
</body>
</html>
`;
  // Browsers apply form-action to the redirect a form POST answers with, so the callback origin must be
  // allowed too, or Approve would be blocked on its way back to the app.
  const formAction = ["'self'", ...(opts.formTargets ?? [])].join(' ');
  const csp = [
    "default-src 'none'",
    `style-src 'nonce-${opts.nonce}'`,
    `form-action ${formAction}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
  return { html, csp };
}

/** `4791512345` → `+47 915 12 345`. */
export function formatMsisdn(msisdn: string): string {
  const m = /^47(\d{3})(\d{2})(\d{3})$/.exec(msisdn);
  return m ? `+47 ${m[1]} ${m[2]} ${m[3]}` : `+${msisdn}`;
}

export interface ConsentView {
  requestId: string;
  appName: string;
  clientId: string;
  /** Human descriptions of what the app asks for. */
  access: string[];
  lines: Array<{ id: string; msisdn: string; holder: string }>;
  /** Where the browser goes back to (shown, so the user can see which app receives the answer). */
  redirectOrigin: string;
}

export function consentPage(view: ConsentView, nonce: string): Page {
  const initial = esc(view.appName.trim().charAt(0).toUpperCase() || '?');
  const access = view.access.map((a) => `<li>${esc(a)}</li>`).join('');
  const lines = view.lines
    .map(
      (l, i) =>
        `<label class="line"><input type="radio" name="line" value="${esc(l.id)}"${i === 0 ? ' checked' : ''}>` +
        `<span><strong>${esc(formatMsisdn(l.msisdn))}</strong> <span class="muted">${esc(l.holder)}</span></span></label>`,
    )
    .join('\n');
  const body = `<div class="card">
<h1>Allow ${esc(view.appName)} to use your Telenor data?</h1>
<div class="app">
<div class="app-icon" aria-hidden="true">${initial}</div>
<div><div class="app-name">${esc(view.appName)}</div><div class="note">Client ID <code>${esc(view.clientId)}</code></div></div>
</div>
<h2 id="access-heading">The app asks to</h2>
<ul class="scopes" aria-labelledby="access-heading">${access}</ul>
<form method="post" action="/oauth/v2/authorize">
<input type="hidden" name="request_id" value="${esc(view.requestId)}">
<fieldset aria-describedby="line-help">
<legend>Your mobile line</legend>
<p class="note" id="line-help">Telenor recognises your line through the mobile network. In the sandbox, choose which line you are.</p>
${lines}
</fieldset>
<p class="note">Your answer is sent back to <code>${esc(view.redirectOrigin)}</code>.</p>
<div class="actions">
<button class="primary" type="submit" name="decision" value="approve">Approve</button>
<button class="secondary" type="submit" name="decision" value="deny">Deny</button>
</div>
</form>
</div>`;
  return page({ title: `Allow ${view.appName}`, nonce, body, formTargets: [view.redirectOrigin] });
}

/** An authorization error shown in the browser (never a redirect: the redirect target is not trusted). */
export function errorPage(opts: { title: string; code?: number; description: string; hint: string }, nonce: string): Page {
  const code = opts.code === undefined ? '' : `<p><span class="error-code">Error code ${opts.code}</span> — ${esc(opts.description)}</p>`;
  const lead = opts.code === undefined ? `<p>${esc(opts.description)}</p>` : '';
  const body = `<div class="card" role="alert">
<h1>${esc(opts.title)}</h1>
${code}${lead}
<p class="note">${esc(opts.hint)}</p>
</div>`;
  return page({ title: opts.title, nonce, body });
}

export interface IndexView {
  url: string;
  endpoints: Array<{ method: string; path: string; what: string }>;
  credentials: Array<{ what: string; value: string }>;
  specs: Array<{ file: string; title: string }>;
}

export function indexPage(view: IndexView, nonce: string): Page {
  const rows = (cells: string[][]): string =>
    cells.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n');
  const body = `<div class="card">
<h1>Telenor API sandbox</h1>
<p>Answers Telenor Sweden's and Norway's documented endpoints at <code>${esc(view.url)}</code> with the same
paths as production: point a client here instead of the real base URL.</p>
<h2>Demo credentials</h2>
<table><thead><tr><th scope="col">What</th><th scope="col">Value</th></tr></thead><tbody>
${rows(view.credentials.map((c) => [esc(c.what), `<code>${esc(c.value)}</code>`]))}
</tbody></table>
<h2>Endpoints</h2>
<table><thead><tr><th scope="col">Method</th><th scope="col">Path</th><th scope="col">What</th></tr></thead><tbody>
${rows(view.endpoints.map((e) => [esc(e.method), `<code>${esc(e.path)}</code>`, esc(e.what)]))}
</tbody></table>
<h2>OpenAPI specs</h2>
<ul>${view.specs.map((s) => `<li><a href="/specs/${encodeURIComponent(s.file)}">${esc(s.title)}</a> <span class="note">(${esc(s.file)})</span></li>`).join('')}</ul>
</div>`;
  return page({ title: 'Telenor API sandbox', nonce, body, wide: true });
}
