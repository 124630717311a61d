/**
 * One run of one configuration of the service benchmark, in its own process so that peak RSS is
 * its own: `node service-bench-child.js '<ServiceConfig JSON>' N CONCURRENCY LIMIT_S`. Makes N
 * studies (before the service starts: not timed), starts the service in this process on a free
 * port of 127.0.0.1 — embedded (worker threads here) or with `redis` (what `serve --redis` runs;
 * a throw-away redis-server unless the configuration names one, and `neurotriage worker`
 * processes) — uploads them over HTTP (CONCURRENCY requests at a time, as fast as the service
 * takes them), waits until every study is finished or LIMIT_S has passed since the first upload,
 * and prints one JSON line (`ChildResult`).
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
import {
  type BenchProcess,
  type ProcessUsage,
  startRedisServer,
  startWorkerProcess,
  usageSince,
} from './service-processes.js';

export interface StudyTiming {
  readonly kind: StudyPayload['kind'];
  /** `done`, another final status with its reason, or `unfinished` at the time limit. */
  readonly status: string;
  /** Admitted (202) → result recorded, ms (NaN when unfinished). */
  readonly latencyMs: number;
  /** The analysis alone, as the worker timed it, ms. */
  readonly analysisMs: number | null;
}

export interface ChildResult {
  readonly config: ServiceConfig;
  /** ONNX Runtime threads per analysis thread. */
  readonly threadsPerWorker: number;
  /** First upload sent → last result recorded (the time limit when it ran out), ms. */
  readonly wallMs: number;
  /** Whether the run was stopped at the time limit with studies unfinished. */
  readonly timedOut: boolean;
  readonly limitS: number;
  /** First upload sent → last 202, ms. */
  readonly uploadMs: number;
  readonly uploadedBytes: number;
  readonly studies: StudyTiming[];
  /** RSS of this process once the service (and its workers) started, MiB. */
  readonly startRssMb: number;
  /** Kernel high-water mark of this process (service, its worker threads, the client), MiB. */
  readonly peakRssMb: number;
  /** User + system CPU of this process over the run (all threads), s. */
  readonly cpuS: number;
  /** The Redis configurations' other processes: worker processes, then redis-server if ours. */
  readonly processes: ProcessUsage[];
  /** 1-minute load average of the machine when the uploads started and when the last ended. */
  readonly loadAverage: readonly [number, number];
}

interface Started {
  readonly service: RunningService;
  readonly threadsPerWorker: number;
  /** Worker processes first, then redis-server when this run started one. */
  readonly processes: BenchProcess[];
}

const START_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 10_000;

async function startConfigured(
  config: ServiceConfig,
  dataDir: string,
  processes: BenchProcess[],
): Promise<Started> {
  if (config.kind === 'embedded') {
    const service = await startService({ dataDir, httpPort: 0, workers: config.workers });
    const threadsPerWorker = Math.max(1, Math.floor(availableParallelism() / config.workers));
    return { service, threadsPerWorker, processes };
  }
  let url = config.url;
  const redisProcesses: BenchProcess[] = [];
  if (url === undefined) {
    const redis = await startRedisServer(START_TIMEOUT_MS);
    redisProcesses.push(redis.process);
    url = redis.url;
  }
  const service = await startService({ dataDir, httpPort: 0, redis: url });
  try {
    for (let index = 0; index < config.workers; index++) {
      const options = { index, url, dataDir, threads: config.threads, timeoutMs: START_TIMEOUT_MS };
      processes.push(await startWorkerProcess(options));
    }
  } catch (e) {
    await Promise.all([...processes, ...redisProcesses].map((p) => p.stop(0)));
    await service.close();
    throw e;
  }
  processes.push(...redisProcesses);
  return { service, threadsPerWorker: config.threads, processes };
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '') as ServiceConfig;
  const count = Number(process.argv[3] ?? 100);
  const concurrency = Number(process.argv[4] ?? 2);
  const limitS = Number(process.argv[5] ?? 300);
  const payloads = makeStudies(count);
  const uploadedBytes = payloads.reduce(
    (s, p) => s + p.files.reduce((t, f) => t + f.bytes.length, 0),
    0,
  );
  const dataDir = mkdtempSync(join(tmpdir(), 'nt-service-bench-'));
  const processes: BenchProcess[] = [];
  let started: Started | undefined;
  try {
    started = await startConfigured(config, dataDir, processes);
    const { service } = started;
    const startRssMb = process.memoryUsage().rss / 2 ** 20;
    const usage = usageSince(processes);
    const auth = { authorization: `Bearer ${service.tokens.create('bench').token}` };
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const t0Date = Date.now();
    const deadline = t0Date + limitS * 1000;
    const load0 = loadavg()[0] ?? 0;
    const ids: (string | undefined)[] = new Array<string | undefined>(count).fill(undefined);
    let next = 0;
    let timedOut = false;
    const uploader = async () => {
      for (let i = next++; i < count && !timedOut; i = next++) {
        const form = new FormData();
        for (const f of payloads[i]!.files) form.append('file', new Blob([f.bytes]), f.name);
        let r: Response;
        try {
          r = await fetch(`${service.url}/studies`, {
            method: 'POST',
            headers: auth,
            body: form,
            signal: AbortSignal.timeout(Math.max(1, deadline - Date.now())),
          });
        } catch (e) {
          if (Date.now() < deadline) throw e;
          timedOut = true;
          return;
        }
        const body = (await r.json()) as { id?: string; error?: string };
        if (r.status !== 202 || !body.id)
          throw new Error(`upload ${i}: HTTP ${r.status} ${JSON.stringify(body)}`);
        ids[i] = body.id;
      }
    };
    await Promise.all(Array.from({ length: concurrency }, uploader));
    const uploadMs = performance.now() - t0;
    const finished = new Set(['done', 'not-analysed', 'failed']);
    const isFinished = (id: string | undefined) =>
      id !== undefined && finished.has(service.store.study(id)?.status ?? '');
    while (!timedOut && !ids.every(isFinished)) {
      if (Date.now() > deadline) timedOut = true;
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const studies = ids.map((id, i): StudyTiming => {
      const kind = payloads[i]!.kind;
      const s = id === undefined ? undefined : service.store.study(id);
      if (s === undefined)
        return { kind, status: 'unfinished (not uploaded)', latencyMs: NaN, analysisMs: null };
      if (!finished.has(s.status))
        return { kind, status: `unfinished (${s.status})`, latencyMs: NaN, analysisMs: null };
      return {
        kind,
        status: s.status === 'done' ? 'done' : `${s.status}: ${s.reason ?? ''}`,
        latencyMs: Date.parse(s.updatedAt) - Date.parse(s.receivedAt),
        analysisMs: service.store.jobOfStudy(s.id)?.durationMs ?? null,
      };
    });
    const lastDone = Math.max(
      ...ids.filter(isFinished).map((id) => Date.parse(service.store.study(id!)!.updatedAt)),
    );
    const cpu = process.cpuUsage(cpu0);
    const result: ChildResult = {
      config,
      threadsPerWorker: started.threadsPerWorker,
      wallMs: timedOut ? limitS * 1000 : lastDone - t0Date,
      timedOut,
      limitS,
      uploadMs,
      uploadedBytes,
      studies,
      startRssMb,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      cpuS: (cpu.user + cpu.system) / 1e6,
      // Read while they still run: VmHWM is gone once a process has exited.
      processes: usage(),
      loadAverage: [load0, loadavg()[0] ?? 0],
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    // Workers before the service (they finish a running job first), redis-server last.
    const workers = processes.filter((p) => p.name !== 'redis-server');
    await Promise.all(workers.map((p) => p.stop(STOP_GRACE_MS)));
    await started?.service.close();
    await Promise.all(processes.map((p) => p.stop(STOP_GRACE_MS)));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
