/**
 * The web viewer (src/viewer) at `/`: its page and bundled assets (`dist/viewer`, made by
 * `npm run build`), served without a token — they hold no data; every data request the page
 * makes carries the token entered on its login page. Nothing here reads the store.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { packageRoot } from '../io/data-root.js';

/** Route patterns that need no token: the viewer's static files. */
export const VIEWER_ROUTES: readonly string[] = ['/', '/*'];

/** Where `npm run build` puts the bundled viewer. */
export function viewerRoot(): string {
  return join(packageRoot(), 'dist', 'viewer');
}

export async function registerViewerRoutes(app: FastifyInstance): Promise<void> {
  const root = viewerRoot();
  if (!existsSync(join(root, 'index.html'))) {
    app.get('/', { schema: { hide: true } }, async (_request, reply) =>
      reply
        .code(503)
        .type('text/plain')
        .send('the viewer is not built here: run `npm run build` in the neurotriage folder\n'),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    index: 'index.html',
    // Cross-origin isolation lets onnxruntime-web use threads in the page (SharedArrayBuffer).
    setHeaders: (res) => {
      res.header('cross-origin-opener-policy', 'same-origin');
      res.header('cross-origin-embedder-policy', 'require-corp');
      res.header('x-content-type-options', 'nosniff');
    },
  });
}
