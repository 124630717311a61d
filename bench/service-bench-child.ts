/**
 * One configuration of the service benchmark, in its own process so that peak RSS is its own:
 * `node service-bench-child.js '<ServiceConfig JSON>' N CONCURRENCY`. Makes N studies (before the
 * service starts: not timed), starts the service in this process on a free port of 127.0.0.1,
 * uploads them over HTTP (CONCURRENCY requests at a time, as fast as the service takes them),
 * waits until every study is finished and prints one JSON line (`ChildResult`).
 *
 * Latency is read from the service's own store: `receivedAt` (the study admitted, after its last
 * byte and just before the 202) to `updatedAt` of the finished study (the result recorded), so
 * no polling interval is in it; it includes the wait in the queue.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningService, startService } from '../src/service/triage-service.js';
import { type ServiceConfig, type StudyPayload, makeStudies } from './service-load.js';

export interface StudyTiming {
  readonly kind: StudyPayload['kind'];
  readonly status: string;
  /** Admitted (202) → result recorded, ms. */
  readonly latencyMs: number;
  /** The analysis alone, as the worker timed it, ms. */
  readonly analysisMs: number | null;
}

export interface ChildResult {
  readonly config: ServiceConfig;
  /** ONNX Runtime threads per worker (the service's default: the cores shared among workers). */
  readonly threadsPerWorker: number;
  /** First upload sent → last result recorded, ms. */
  readonly wallMs: number;
  /** First upload sent → last 202, ms. */
  readonly uploadMs: number;
  readonly uploadedBytes: number;
  readonly studies: StudyTiming[];
  /** RSS once the service (and its workers) started, MiB. */
  readonly startRssMb: number;
  /** Kernel high-water mark of the whole process (main thread, workers, client), MiB. */
  readonly peakRssMb: number;
  /** User + system CPU of the process over the run (all threads), s. */
  readonly cpuS: number;
  /** 1-minute load average of the machine when the uploads started and when the last ended. */
  readonly loadAverage: readonly [number, number];
}

async function startConfigured(config: ServiceConfig, dataDir: string): Promise<RunningService> {
  switch (config.kind) {
    case 'embedded':
      return startService({ dataDir, httpPort: 0, workers: config.workers });
    case 'redis':
      throw new Error('the Redis queue configuration is not implemented yet');
  }
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '') as ServiceConfig;
  const count = Number(process.argv[3] ?? 100);
  const concurrency = Number(process.argv[4] ?? 2);
  const payloads = makeStudies(count);
  const uploadedBytes = payloads.reduce(
    (s, p) => s + p.files.reduce((t, f) => t + f.bytes.length, 0),
    0,
  );
  const dataDir = mkdtempSync(join(tmpdir(), 'nt-service-bench-'));
  const service = await startConfigured(config, dataDir);
  try {
    const startRssMb = process.memoryUsage().rss / 2 ** 20;
    const auth = { authorization: `Bearer ${service.tokens.create('bench').token}` };
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const t0Date = Date.now();
    const load0 = loadavg()[0] ?? 0;
    const ids: string[] = new Array<string>(count);
    let next = 0;
    const uploader = async () => {
      for (let i = next++; i < count; i = next++) {
        const form = new FormData();
        for (const f of payloads[i]!.files) form.append('file', new Blob([f.bytes]), f.name);
        const r = await fetch(`${service.url}/studies`, {
          method: 'POST',
          headers: auth,
          body: form,
        });
        const body = (await r.json()) as { id?: string; error?: string };
        if (r.status !== 202 || !body.id)
          throw new Error(`upload ${i}: HTTP ${r.status} ${JSON.stringify(body)}`);
        ids[i] = body.id;
      }
    };
    await Promise.all(Array.from({ length: concurrency }, uploader));
    const uploadMs = performance.now() - t0;
    const finished = new Set(['done', 'not-analysed', 'failed']);
    const timeoutAt = Date.now() + 60 * 60_000;
    while (!ids.every((id) => finished.has(service.store.study(id)?.status ?? ''))) {
      if (Date.now() > timeoutAt) throw new Error('studies still unfinished after an hour');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const studies = ids.map((id, i) => {
      const s = service.store.study(id)!;
      return {
        kind: payloads[i]!.kind,
        status: s.status === 'done' ? 'done' : `${s.status}: ${s.reason ?? ''}`,
        latencyMs: Date.parse(s.updatedAt) - Date.parse(s.receivedAt),
        analysisMs: service.store.jobOfStudy(id)?.durationMs ?? null,
      };
    });
    const lastDone = Math.max(...ids.map((id) => Date.parse(service.store.study(id)!.updatedAt)));
    const wallMs = lastDone - t0Date;
    const cpu = process.cpuUsage(cpu0);
    const result: ChildResult = {
      config,
      threadsPerWorker: Math.max(1, Math.floor(availableParallelism() / config.workers)),
      wallMs,
      uploadMs,
      uploadedBytes,
      studies,
      startRssMb,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      cpuS: (cpu.user + cpu.system) / 1e6,
      loadAverage: [load0, loadavg()[0] ?? 0],
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await service.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
