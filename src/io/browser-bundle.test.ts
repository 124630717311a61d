/**
 * The byte-level readers (NIfTI bytes → Volume, DICOM bytes → Volume) run unchanged in a browser
 * or a worker: esbuild bundles them for `platform: 'browser'` and the test fails when any Node
 * builtin is pulled in. Two third-party exceptions, named here and stubbed as browser bundlers
 * are told to: the Cornerstone codecs' emscripten glue `require`s fs and path inside its
 * Node-only branch (Cornerstone documents `fallback: { fs: false, path: false }`), and
 * dicom-parser's UMD wrapper `require`s zlib as its default inflater, which parse-dicom.ts
 * replaces with fflate. The bundle is then run on a NIfTI file and a small DICOM series. The
 * analysis a browser worker would run (pipeline's `analyzeStudy` + `report`) is checked the same
 * way; its model comes through the `ResourceLoader` (onnxruntime-web there).
 */
import assert from 'node:assert/strict';
import { builtinModules } from 'node:module';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { type Plugin, build } from 'esbuild';
import type { Volume } from '../core/volume.js';
import { ctSliceFixture } from '../testing/dicom-writer.js';
import { sharedDataPath } from '../testing/shared-data.js';
import type { assembleSeries } from './dicom/assemble-series.js';
import type { scanDicom } from './dicom/scan-dicom.js';
import { readNiftiFile } from './nifti/nifti-file.js';
import type { readNifti } from './nifti/read-nifti.js';

const ENTRY = `
export { readNifti } from './nifti/read-nifti.js';
export { scanDicom } from './dicom/scan-dicom.js';
export { assembleSeries } from './dicom/assemble-series.js';
`;
/** The analysis a browser worker runs: the pipeline's entry and the report builders. */
const ANALYSIS_ENTRY = `
export { catalogFromFiles } from './files-catalog.js';
export { analyzeStudy } from '../pipeline/analyze-study.js';
export { createResources } from '../pipeline/resources.js';
export { selectInputs } from '../pipeline/select-inputs.js';
export { buildReport } from '../report/build-report.js';
export { dicomOutputs } from '../report/dicom-outputs.js';
export { toFhirDiagnosticReport } from '../report/fhir-report.js';
export { overviewPng } from '../report/overview.js';
`;
const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
/** Third-party requires of builtins in branches a browser never takes (see above). */
function deadBranch(path: string, importer: string): boolean {
  if (/node_modules\/@cornerstonejs\/codec-[^/]+\/dist\//.test(importer))
    return path === 'fs' || path === 'path';
  return path === 'zlib' && /node_modules\/dicom-parser\/dist\//.test(importer);
}

interface Bundled {
  readonly code: string;
  readonly builtins: string[];
  readonly stubbed: string[];
}

async function bundleForBrowser(entry: string): Promise<Bundled> {
  const builtins: string[] = [];
  const stubbed: string[] = [];
  const watchBuiltins: Plugin = {
    name: 'no-node-builtins',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (!BUILTINS.has(args.path)) return undefined;
        const where = `${args.path} (from ${args.importer.replace(/.*node_modules\//, '')})`;
        if (deadBranch(args.path, args.importer)) stubbed.push(where);
        else builtins.push(where);
        return { path: args.path, namespace: 'stub' };
      });
      b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'module.exports = {};' }));
    },
  };
  const result = await build({
    stdin: { contents: entry, resolveDir: dirname(fileURLToPath(import.meta.url)) },
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    logLevel: 'silent',
    plugins: [watchBuiltins],
  });
  return { code: result.outputFiles[0]!.text, builtins, stubbed: [...new Set(stubbed)] };
}

interface Readers {
  readNifti: typeof readNifti;
  scanDicom: typeof scanDicom;
  assembleSeries: typeof assembleSeries;
}

describe('byte readers in a browser bundle', () => {
  let bundled: Bundled | undefined;
  const get = async () => (bundled ??= await bundleForBrowser(ENTRY));

  it('pull in no Node builtin (esbuild, platform browser)', async () => {
    const { builtins, stubbed } = await get();
    assert.deepEqual(builtins, []);
    assert.ok(stubbed.length <= 7, stubbed.join(', '));
  });

  it('so does the analysis itself: the catalog of files in memory, analyzeStudy, Resources and the report builders', async () => {
    const { builtins } = await bundleForBrowser(ANALYSIS_ENTRY);
    assert.deepEqual(builtins, []);
  });

  it('read NIfTI and DICOM bytes from the bundle as the Node readers do', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'neurotriage-browser-'));
    try {
      const file = join(dir, 'readers.mjs');
      writeFileSync(file, (await get()).code);
      const readers = (await import(pathToFileURL(file).href)) as Readers;

      const path = sharedDataPath('cases', 'isles22-mca-example', 'adc.nii.gz');
      const gz = new Uint8Array(readFileSync(path));
      const fromBundle = readers.readNifti(gz).volumes[0]!;
      const fromNode = readNiftiFile(path).volumes[0]!;
      assert.deepEqual(fromBundle.geometry, fromNode.geometry);
      assert.deepEqual(fromBundle.data, fromNode.data);

      const slices = [0, 1, 2].map((n) => ({
        name: `slice-${n}.dcm`,
        bytes: ctSliceFixture({
          seriesUid: '1.2.3.4',
          instance: n + 1,
          positionMm: [-4, -4, n * 2],
        }),
      }));
      const scan = readers.scanDicom(slices);
      assert.equal(scan.series.length, 1);
      const assembled = await readers.assembleSeries(scan.series[0]!, scan.files);
      const volume: Volume = assembled.volumes[0]!;
      assert.deepEqual([...volume.geometry.shape].slice(2), [3]);
      assert.equal(volume.meta.units, 'HU');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
