/**
 * The request panel's HTML shell: a strict CSP, the bundle and its stylesheet, nothing else. All content is
 * built by the script with DOM calls (textContent), so no value from a spec or a response is ever parsed as
 * HTML. Pure: the caller passes the webview's CSP source, URIs and a nonce from `crypto`.
 */
export interface PanelHtmlOptions {
  /** `webview.cspSource`. */
  cspSource: string;
  /** Per page load, from `crypto.randomBytes`: the only script allowed to run carries it. */
  nonce: string;
  scriptUri: string;
  styleUri: string;
  /** The document title (screen readers announce it): "GET /path — API". */
  title: string;
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
  ].join('; ');
}

export function panelHtml(o: PanelHtmlOptions): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(o.cspSource, o.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(o.styleUri)}">
<title>${text(o.title)}</title>
</head>
<body>
<main id="app" aria-busy="true"><p class="loading">Loading the request form…</p></main>
<script nonce="${attr(o.nonce)}" src="${attr(o.scriptUri)}"></script>
</body>
</html>`;
}

function text(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function attr(s: string): string {
  return text(s).replace(/"/g, '&quot;');
}
