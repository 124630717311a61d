// Bundles the web viewer (src/viewer/app, NiiVue included: no CDN) into dist/viewer with esbuild,
// beside its page and style sheet, and the in-browser analysis worker (analysis-worker.js: the
// byte readers, the pipeline, the report builder, onnxruntime-web) with onnxruntime-web's wasm
// files under dist/viewer/ort/ (served by the service, so nothing comes from a CDN). Run by
// `npm run build`; `neurotriage serve` serves dist/viewer.
//
// Node builtins: the bundles may pull in none, except the two third-party requires in branches a
// browser never takes, stubbed as src/io/browser-bundle.test.ts explains (the Cornerstone codecs'
// emscripten glue requires fs and path in its Node-only branch; dicom-parser's UMD wrapper
// requires zlib as its default inflater, which parse-dicom.ts replaces with fflate).
import { copyFileSync, mkdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { build } from 'esbuild';

const app = join('src', 'viewer', 'app');
const out = join('dist', 'viewer');
mkdirSync(join(out, 'ort'), { recursive: true });

const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
function deadBranch(path, importer) {
  if (/node_modules\/@cornerstonejs\/codec-[^/]+\/dist\//.test(importer))
    return path === 'fs' || path === 'path';
  return path === 'zlib' && /node_modules\/dicom-parser\/dist\//.test(importer);
}
const stubDeadBranches = {
  name: 'stub-dead-node-branches',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (!BUILTINS.has(args.path)) return undefined;
      if (!deadBranch(args.path, args.importer))
        return { errors: [{ text: `${args.path} (a Node builtin) in the browser bundle` }] };
      return { path: args.path, namespace: 'stub' };
    });
    b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'module.exports = {};' }));
  },
};

const common = {
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  logLevel: 'warning',
  // onnxruntime-web's build that loads its wasm glue from `ort.env.wasm.wasmPaths` (ours).
  conditions: ['onnxruntime-web-use-extern-wasm'],
  plugins: [stubDeadBranches],
};
await build({ ...common, entryPoints: [join(app, 'main.ts')], outfile: join(out, 'app.js') });
await build({
  ...common,
  entryPoints: [join(app, 'analysis-worker.ts')],
  outfile: join(out, 'analysis-worker.js'),
});
for (const f of ['index.html', 'styles.css']) copyFileSync(join(app, f), join(out, f));
const ort = join('node_modules', 'onnxruntime-web', 'dist');
for (const f of ['ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.wasm'])
  copyFileSync(join(ort, f), join(out, 'ort', f));
