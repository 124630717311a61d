/**
 * The layer rule of DESIGN.md as a pure function over source texts: imports point down only,
 * and the pure layers never use Node's built-in modules, so they run unchanged in a browser or
 * a worker. `layers.test.ts` runs it on `src/`; `layer-check.test.ts` feeds it planted
 * violations. Every way a file can name another module counts (module-references.ts); computed,
 * URL ('file:…') and subpath ('#…') specifiers are refused, and so is a file outside the folders
 * of the table.
 * Tests and test fixtures may reach across layers to get real data.
 */
import { isBuiltin } from 'node:module';
import { posix } from 'node:path';
import { moduleReferences } from './module-references.js';

export interface LayerTable {
  /** Layer (a folder under src/) → the layers it may import, itself included. */
  readonly allowed: Readonly<Record<string, readonly string[]>>;
  /** Layers that may not import Node's built-in modules. */
  readonly pure: ReadonlySet<string>;
  /** Files (relative to src/) allowed a computed import() specifier, each for a stated reason. */
  readonly computedImports: ReadonlySet<string>;
}

export interface SourceText {
  /** Path relative to src/, '/'-separated (e.g. 'core/volume.ts'). */
  readonly path: string;
  readonly text: string;
}

/**
 * The project's layers (DESIGN.md): cli on top, beside it service (cli may import it for `serve`);
 * host (the Node side of one analysis) under both; report (an Analysis → its outputs) between cli and
 * pipeline; core at the bottom.
 */
export const LAYERS: LayerTable = {
  allowed: {
    core: ['core'],
    preprocess: ['preprocess', 'core'],
    render: ['render', 'eval', 'core'],
    eval: ['eval', 'core'],
    models: ['models', 'preprocess', 'core'],
    registration: ['registration', 'preprocess', 'core'],
    pipeline: ['pipeline', 'models', 'registration', 'preprocess', 'core'],
    report: [
      'report',
      'pipeline',
      'models',
      'registration',
      'render',
      'eval',
      'io',
      'preprocess',
      'core',
    ],
    synth: ['synth', 'preprocess', 'core'],
    io: ['io', 'core'],
    fuzz: ['fuzz', 'io', 'core'],
    testing: ['testing', 'io', 'models', 'preprocess', 'core'],
    // The Node host of one analysis (resources from disk, outputs to disk), shared by cli and service.
    host: [
      'host',
      'report',
      'io',
      'pipeline',
      'models',
      'registration',
      'render',
      'preprocess',
      'core',
    ],
    // The web viewer (browser code, bundled by scripts/build-viewer.mjs); beside cli and service.
    viewer: ['viewer', 'pipeline', 'models', 'registration', 'report', 'io', 'preprocess', 'core'],
    // The triage service (HTTP, store, queue, workers); beside cli at the top.
    service: ['service', 'host', 'report', 'io', 'pipeline', 'models', 'preprocess', 'core'],
    cli: [
      'cli',
      'service',
      'host',
      'report',
      'io',
      'pipeline',
      'registration',
      'models',
      'synth',
      'eval',
      'render',
      'preprocess',
      'core',
    ],
  },
  pure: new Set([
    'core',
    'preprocess',
    'render',
    'synth',
    'eval',
    'registration',
    'pipeline',
    'report',
  ]),
  computedImports: new Set([
    // Loads dcm2niix's wasm build by file URL: the package's exports hide that file.
    'testing/dcm2niix-peer.ts',
  ]),
};

export function isTestCode(path: string): boolean {
  return /\.test\.ts$|(^|\/)test-fixtures\.ts$/.test(path);
}

/** The layer of a path relative to src/ (its first folder), or undefined for a file at the top. */
export function layerOf(path: string): string | undefined {
  const parts = path.split('/');
  return parts.length > 1 ? parts[0] : undefined;
}

/** Every broken rule, one line each ('file:line …'); empty when the sources keep the layers. */
export function layerViolations(files: readonly SourceText[], table: LayerTable): string[] {
  const problems: string[] = [];
  for (const { path, text } of files) {
    const layer = layerOf(path);
    const allowed =
      layer !== undefined && Object.hasOwn(table.allowed, layer) ? table.allowed[layer] : undefined;
    if (layer === undefined || !allowed) {
      problems.push(
        layer === undefined
          ? `${path}: a source file outside every layer folder`
          : `${path}: folder src/${layer} is not in the layer table`,
      );
      continue;
    }
    if (isTestCode(path)) continue;
    for (const { specifier, line } of moduleReferences(text, path)) {
      const at = `${path}:${line}`;
      if (specifier === undefined) {
        if (!table.computedImports.has(path))
          problems.push(`${at} imports a computed specifier, which cannot be checked`);
      } else if (specifier.startsWith('.') || specifier.startsWith('/')) {
        const target = posix.normalize(posix.join(posix.dirname(path), specifier));
        const targetLayer =
          target.startsWith('../') || specifier.startsWith('/') ? undefined : layerOf(target);
        if (targetLayer === undefined) problems.push(`${at} → ${specifier} is outside the layers`);
        else if (!allowed.includes(targetLayer))
          problems.push(`${at} → ${specifier}: ${layer} may not import ${targetLayer}`);
      } else if (/^#|^(?!node:)[a-z][a-z\d+.-]*:/i.test(specifier)) {
        problems.push(`${at} → ${specifier}: a URL or subpath import, which cannot be checked`);
      } else if (table.pure.has(layer) && isBuiltin(specifier)) {
        problems.push(`${at} uses ${specifier}: ${layer} is pure`);
      }
    }
  }
  return problems;
}
