/**
 * One process of the warm-analysis benchmark: reads a study (not timed), makes this process's
 * `Resources`, then times `analyzeStudy` on it once with nothing loaded (first call) and
 * `WARM_CALLS` more times with the same Resources (warm calls). Prints one JSON line:
 * { first, warm: [...], loadsAfterFirst, loadsAfterWarm }, each call's wall ms, CPU ms of this
 * process (user + system, all threads) and the analysis's own stage timings.
 */
import { nodeResources } from '../src/host/node-resources.js';
import { type CatalogEntry, openCatalog } from '../src/io/series-catalog.js';
import { analyzeStudy } from '../src/pipeline/analyze-study.js';
import { selectInputs } from '../src/pipeline/select-inputs.js';

const WARM_CALLS = Number(process.env.BENCH_WARM_CALLS ?? 2);
const files = process.argv.slice(2);
const entries: CatalogEntry[] = files.flatMap((f) => openCatalog(f).entries);
const selected = await selectInputs({ entries, task: 'auto' });
const input = { images: selected.images, task: selected.task };
const resources = nodeResources();
try {
  const call = async () => {
    const t = performance.now();
    const cpu = process.cpuUsage();
    const analysis = await analyzeStudy(input, resources);
    const used = process.cpuUsage(cpu);
    return {
      wallMs: performance.now() - t,
      cpuMs: (used.user + used.system) / 1000,
      stagesMs: analysis.timingsMs,
    };
  };
  const first = await call();
  const loadsAfterFirst = { ...resources.loads };
  const warm = [];
  for (let n = 0; n < WARM_CALLS; n++) warm.push(await call());
  process.stdout.write(
    `${JSON.stringify({ first, warm, loadsAfterFirst, loadsAfterWarm: resources.loads })}\n`,
  );
} finally {
  await resources.release();
}
