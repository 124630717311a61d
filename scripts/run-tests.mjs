// Runs every compiled test file (dist/src/**/*.test.js and dist/bench/**/*.test.js) with node's
// built-in test runner. Node 20's `--test` does not expand globs, so we list the files ourselves.
// A compiled test whose .ts source is gone (tsc does not delete outputs) is left out.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';

function findTests(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...findTests(path));
    else if (name.endsWith('.test.js')) out.push(path);
  }
  return out;
}

const ROOTS = ['dist/src', 'dist/bench'];
const hasSource = (f) => existsSync(f.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
const filter = process.argv[2];
const files = ROOTS.filter((root) => existsSync(root))
  .flatMap(findTests)
  .filter(hasSource)
  .filter((f) => !filter || f.includes(filter))
  .sort();
if (files.length === 0) {
  console.error(`no test files found under ${ROOTS.join(' or ')}`);
  process.exit(1);
}
// The spec reporter prints its summary and then, when a `todo` test fails, the details of that
// failure; so that the output still ends with the summary CI reads, the counts are repeated
// as a last line `N passed, N failed` (todo tests run, and are reported, but do not fail).
const child = spawn(
  process.execPath,
  ['--test', '--test-reporter=spec', '--test-concurrency=2', ...files],
  { stdio: ['inherit', 'pipe', 'inherit'] },
);
let tail = '';
child.stdout.setEncoding('utf8');
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  tail = (tail + chunk).slice(-200000);
});
child.on('close', (code) => {
  const count = (name) => Number(new RegExp(`ℹ ${name} (\\d+)`).exec(tail)?.[1] ?? NaN);
  const [pass, fail, todo] = [count('pass'), count('fail'), count('todo')];
  if (Number.isFinite(pass) && Number.isFinite(fail))
    process.stdout.write(`\n${pass} passed, ${fail} failed${todo ? ` (${todo} todo)` : ''}\n`);
  process.exit(code ?? 1);
});
