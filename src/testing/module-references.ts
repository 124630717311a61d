/**
 * Every module a TypeScript source names, found on its syntax tree (not by pattern, so comments,
 * strings and line breaks cannot hide one): `import … from`, `import type`, side-effect
 * `import '…'`, `export … from`, `import x = require('…')`, `import('…')`, `require('…')` and
 * type-level `import('…')`. A dynamic import of a `const` initialised with a string literal
 * counts as that literal; any other computed specifier is returned as `undefined`, so that a
 * checker can refuse what it cannot check.
 */
import ts from 'typescript';

export interface ModuleReference {
  /** The specifier as written, or undefined when it is computed. */
  readonly specifier: string | undefined;
  /** 1-based line of the reference. */
  readonly line: number;
}

function constStrings(file: ts.SourceFile): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (node: ts.Node): void => {
    if (
      ts.isVariableDeclarationList(node) &&
      (node.flags & ts.NodeFlags.Const) !== 0 &&
      node.declarations.length > 0
    )
      for (const d of node.declarations)
        if (ts.isIdentifier(d.name) && d.initializer && ts.isStringLiteralLike(d.initializer))
          out.set(d.name.text, d.initializer.text);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return out;
}

export function moduleReferences(text: string, fileName = 'source.ts'): ModuleReference[] {
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const constants = constStrings(file);
  const out: ModuleReference[] = [];
  const add = (node: ts.Node, expression: ts.Node | undefined): void => {
    let specifier: string | undefined;
    if (expression && ts.isStringLiteralLike(expression)) specifier = expression.text;
    else if (expression && ts.isIdentifier(expression)) specifier = constants.get(expression.text);
    const line = file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
    out.push({ specifier, line });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) {
      if (node.moduleSpecifier) add(node, node.moduleSpecifier);
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference)
    ) {
      add(node, node.moduleReference.expression);
    } else if (ts.isCallExpression(node)) {
      const isImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
      if (isImport || isRequire) add(node, node.arguments[0]);
    } else if (ts.isImportTypeNode(node)) {
      const arg = node.argument;
      add(node, ts.isLiteralTypeNode(arg) ? arg.literal : undefined);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return out;
}
