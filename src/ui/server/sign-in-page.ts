import { dashboardStylesheet } from './static-assets.js';

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** What a sign-in page says: a heading, paragraphs, and optionally a list. */
export interface SignInPageText {
  title: string;
  paragraphs: string[];
  list?: { caption: string; items: string[] };
}

/**
 * A small HTML page for the end of a dashboard sign-in that did not start a
 * session (refused, expired, failed), with a link back to the sign-in. Plain
 * HTML, no script or style, so the dashboard's content security policy holds.
 */
export function signInPage(text: SignInPageText): string {
  const stylesheet = dashboardStylesheet();
  const list = text.list
    ? `<p>${escapeHtml(text.list.caption)}</p>\n<ul>${text.list.items.map((item) => `<li><code>${escapeHtml(item)}</code></li>`).join('')}</ul>\n`
    : '';
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(text.title)} · claude-gateway</title><link rel="icon" href="/ui/icon.svg" type="image/svg+xml">${stylesheet ? `<link rel="stylesheet" href="${escapeHtml(stylesheet)}">` : ''}</head>
<body>
<main class="login" id="sign-in-result">
<h1>${escapeHtml(text.title)}</h1>
${text.paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`).join('\n')}
${list}<p><a class="button" href="/ui/">Back to the dashboard's sign-in</a></p>
</main>
</body>
</html>
`;
}
