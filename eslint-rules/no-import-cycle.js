/**
 * ESLint rule `local/no-import-cycle`: no file may import, through any chain of the repository's
 * own files, a file that imports it back. Unlike import-x/no-cycle it counts type-only imports
 * (`import type`, `export type … from`, type-level `import('…')`): a cycle through types is
 * still two concepts that cannot be understood, moved or tested apart. Every form counts:
 * import, export … from, import(), import x = require(), require().
 *
 * The linted file's imports come from its current text; the rest of the graph from the files on
 * disk, parsed once (TypeScript's parser) and cached by modification time. Reported on each
 * import that starts a cycle, with the cycle spelled out.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, relative, resolve } from 'node:path';
import ts from 'typescript';

/** Literal module specifiers of a file, with their character offsets. */
export function moduleSpecifiers(text, fileName) {
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const out = [];
  const add = (expression) => {
    if (expression && ts.isStringLiteralLike(expression))
      out.push({
        specifier: expression.text,
        start: expression.getStart(file),
        end: expression.end,
      });
  };
  const visit = (node) => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) add(node.moduleSpecifier);
    else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference)
    )
      add(node.moduleReference.expression);
    else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(node.expression) && node.expression.text === 'require'))
    )
      add(node.arguments[0]);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument))
      add(node.argument.literal);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return out;
}

const SCRIPT = /\.[cm]?[jt]sx?$/;

function isFile(path) {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The repository file a relative specifier names (NodeNext style: './x.js' → x.ts), if any. */
export function resolveLocal(fromFile, specifier) {
  if (!specifier.startsWith('.') && !specifier.startsWith('/')) return undefined;
  const base = resolve(dirname(fromFile), specifier);
  const ext = extname(base);
  const stem = base.slice(0, base.length - ext.length);
  const candidates = {
    '.js': [`${stem}.ts`, `${stem}.tsx`, base],
    '.mjs': [`${stem}.mts`, base],
    '.cjs': [`${stem}.cts`, base],
    '.jsx': [`${stem}.tsx`, base],
  }[ext] ?? [base, `${base}.ts`, `${base}/index.ts`, `${base}.js`, `${base}/index.js`];
  return candidates.find(isFile);
}

const cache = new Map();

/** Files a file on disk imports (resolved, repository-local), cached by mtime and size. */
function importsOnDisk(path) {
  if (!SCRIPT.test(path) || !existsSync(path)) return [];
  const { mtimeMs, size } = statSync(path);
  const hit = cache.get(path);
  if (hit && hit.mtimeMs === mtimeMs && hit.size === size) return hit.targets;
  const text = readFileSync(path, 'utf8');
  const targets = [
    ...new Set(
      moduleSpecifiers(text, path)
        .map((s) => resolveLocal(path, s.specifier))
        .filter((t) => t !== undefined),
    ),
  ];
  cache.set(path, { mtimeMs, size, targets });
  return targets;
}

/** A chain of imports from `start` to `goal` (both included), or undefined. */
function pathTo(start, goal, dead) {
  const stack = [[start, [start]]];
  const seen = new Set([start]);
  while (stack.length > 0) {
    const [node, path] = stack.pop();
    for (const next of importsOnDisk(node)) {
      if (next === goal) return [...path, goal];
      if (seen.has(next) || dead.has(next)) continue;
      seen.add(next);
      stack.push([next, [...path, next]]);
    }
  }
  for (const node of seen) dead.add(node);
  return undefined;
}

export const noImportCycle = {
  meta: {
    type: 'problem',
    docs: { description: 'Disallow import cycles, type-only imports included' },
    schema: [],
    messages: { cycle: 'Import cycle: {{cycle}}' },
  },
  create(context) {
    const self = resolve(context.physicalFilename);
    if (!existsSync(dirname(self))) return {}; // text without a real place: nothing to follow
    return {
      Program() {
        const { sourceCode } = context;
        const dead = new Set();
        const shown = (p) => relative(context.cwd, p);
        for (const s of moduleSpecifiers(sourceCode.text, self)) {
          const target = resolveLocal(self, s.specifier);
          if (target === undefined || target === self) continue;
          const chain = pathTo(target, self, dead);
          if (!chain) continue;
          context.report({
            loc: {
              start: sourceCode.getLocFromIndex(s.start),
              end: sourceCode.getLocFromIndex(s.end),
            },
            messageId: 'cycle',
            data: { cycle: [self, ...chain].map(shown).join(' → ') },
          });
        }
      },
    };
  },
};

export const localRules = {
  meta: { name: 'neurotriage-local' },
  rules: { 'no-import-cycle': noImportCycle },
};
