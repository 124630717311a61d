// Bundles the web viewer (src/viewer/app, NiiVue included: no CDN) into dist/viewer with esbuild,
// beside its page and style sheet. Run by `npm run build`; `neurotriage serve` serves dist/viewer.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const app = join('src', 'viewer', 'app');
const out = join('dist', 'viewer');
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [join(app, 'main.ts')],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  outfile: join(out, 'app.js'),
  logLevel: 'warning',
});
for (const f of ['index.html', 'styles.css']) copyFileSync(join(app, f), join(out, f));
