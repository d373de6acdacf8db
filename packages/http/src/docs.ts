import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Hono } from 'hono';

const require = createRequire(import.meta.url);
let assets: { css: string; js: string } | undefined;

function swaggerAssets() {
  if (!assets) {
    const dir = dirname(require.resolve('swagger-ui-dist/package.json'));
    assets = {
      css: readFileSync(join(dir, 'swagger-ui.css'), 'utf8'),
      js: readFileSync(join(dir, 'swagger-ui-bundle.js'), 'utf8'),
    };
  }
  return assets;
}

/**
 * A human docs page at /docs, rendering /openapi.json with Swagger UI served from this process (no
 * CDN: centres and ministry networks may have no internet beyond the platform).
 */
// biome-ignore lint/suspicious/noExplicitAny: mounts on any Hono app
export function mountDocs(app: Hono<any>, title: string): void {
  const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} — API docs</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/docs/swagger-ui.css"></head>
<body><div id="docs"></div><script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script></body></html>`;
  const init = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#docs', deepLinking: true });`;
  const cacheable = { 'cache-control': 'public, max-age=3600' };
  app.get('/docs', (c) => c.html(page));
  app.get('/docs/init.js', (c) => c.body(init, 200, { 'content-type': 'text/javascript', ...cacheable }));
  app.get('/docs/swagger-ui.css', (c) =>
    c.body(swaggerAssets().css, 200, { 'content-type': 'text/css', ...cacheable }),
  );
  app.get('/docs/swagger-ui-bundle.js', (c) =>
    c.body(swaggerAssets().js, 200, { 'content-type': 'text/javascript', ...cacheable }),
  );
}

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}
