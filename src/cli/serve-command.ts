/**
 * `neurotriage serve --data DIR [--http-port 8042] [--host 127.0.0.1] [--workers N]
 * [--dicom-port 11112 | --no-dicom] [--ae-title NEUROTRIAGE] [--allow-ae A,B] [--settle-s 10]
 * [--dicom-idle-s 60] [--push AE@host:port]… [--redis redis://host:port [--redis-timeout-s 10]]
 * [--tls-cert FILE --tls-key FILE [--tls-ca FILE] [--dicom-tls] [--push-tls]]
 * [--webhook URL… [--webhook-secret-file FILE]] [--fhir-endpoint URL…] [--alarm-no-result-min 5]
 * [--alarm-failures 3] [--shadow]` runs the triage service (src/service) until SIGINT/SIGTERM; `neurotriage token create --data DIR
 * [--name NAME]` prints a new API token (only its SHA-256 is stored).
 */
import { resolve } from 'node:path';
import { UserInputError } from '../core/errors.js';
import { parseDestination } from '../service/dimse/ae-title.js';
import { redisAddress, redisConnection } from '../service/redis-jobs.js';
import { createServiceToken } from '../service/token-admin.js';
import { loadServiceTls } from '../service/tls-options.js';
import { startService } from '../service/triage-service.js';
import { RESEARCH_NOTICE } from './notice.js';
import { type ServeAlertFlags, alertOptionsOf } from './serve-alerts.js';
import { untilSignalled } from './until-signalled.js';

export interface ServeOptions extends ServeAlertFlags {
  readonly data: string;
  readonly httpPort: number;
  readonly host: string;
  readonly workers: number;
  readonly model?: string;
  readonly referenceData?: string;
  readonly maxUploadMb?: number;
  readonly quiet?: boolean;
  /** False with --no-dicom. */
  readonly dicom: boolean;
  readonly dicomPort: number;
  readonly aeTitle: string;
  /** Comma-separated calling AE titles. */
  readonly allowAe?: string;
  readonly settleS: number;
  /** Seconds without a byte from a DICOM sender before its association is aborted. */
  readonly dicomIdleS: number;
  /** AE@host:port, repeatable. */
  readonly push: readonly string[];
  /** redis://host:port: jobs on Redis for `neurotriage worker` processes. */
  readonly redis?: string;
  /** PEM files: HTTPS (and with `dicomTls` the DICOM port) over TLS; `tlsCa`: mutual TLS. */
  readonly tlsCert?: string;
  readonly tlsKey?: string;
  readonly tlsCa?: string;
  readonly dicomTls?: boolean;
  /** The --push destinations over TLS (our certificate; verified against --tls-ca). */
  readonly pushTls?: boolean;
  /** Seconds `--redis` may take to answer at start-up. */
  readonly redisTimeoutS: number;
  /** Shadow mode: analyse and record; push nothing, alert nothing. */
  readonly shadow?: boolean;
}

export async function runServe(options: ServeOptions): Promise<void> {
  if (!Number.isInteger(options.httpPort) || options.httpPort < 0 || options.httpPort > 65535)
    throw new UserInputError(`--http-port must be a port number, got ${options.httpPort}`);
  if (!Number.isInteger(options.dicomPort) || options.dicomPort < 0 || options.dicomPort > 65535)
    throw new UserInputError(`--dicom-port must be a port number, got ${options.dicomPort}`);
  const allowedCallers = (options.allowAe ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  // Checked before anything starts: a bad file is one line and no listening port.
  const tls = loadServiceTls({ cert: options.tlsCert, key: options.tlsKey, ca: options.tlsCa });
  if (options.dicomTls && !tls)
    throw new UserInputError('--dicom-tls needs --tls-cert and --tls-key');
  if (options.pushTls && !tls)
    throw new UserInputError('--push-tls needs --tls-cert and --tls-key');
  if (options.dicomTls && !options.dicom)
    throw new UserInputError('--dicom-tls needs the DICOM port (not --no-dicom)');
  const alerts = alertOptionsOf(options);
  const service = await startService({
    dataDir: resolve(options.data),
    httpPort: options.httpPort,
    host: options.host,
    workers: options.workers,
    ...(options.redis !== undefined && {
      redis: redisConnection(options.redis).url,
      redisTimeoutMs: Math.round(options.redisTimeoutS * 1000),
    }),
    ...(options.model !== undefined && { model: resolve(options.model) }),
    ...(options.referenceData !== undefined && { referenceData: resolve(options.referenceData) }),
    ...(options.maxUploadMb !== undefined && {
      limits: { maxUploadBytes: Math.round(options.maxUploadMb * 1024 * 1024) },
    }),
    logger: options.quiet ? false : { level: 'info' },
    ...(tls && { tls }),
    ...(alerts && { alerts }),
    ...(options.shadow === true && { shadow: true }),
    dicom: {
      aeTitle: options.aeTitle,
      ...(options.dicom && { port: options.dicomPort }),
      allowedCallers,
      settleMs: Math.round(options.settleS * 1000),
      idleTimeoutMs: Math.round(options.dicomIdleS * 1000),
      push: options.push.map(parseDestination),
      ...(options.dicomTls && tls && { tls }),
      ...(options.pushTls && tls && { pushTls: tls }),
    },
  });
  const analysis =
    options.redis !== undefined
      ? `jobs on redis ${redisAddress(options.redis)}`
      : `${options.workers} worker${options.workers === 1 ? '' : 's'}`;
  const mode = options.shadow === true ? '; SHADOW MODE: nothing is pushed or alerted' : '';
  process.stdout.write(
    `neurotriage service on ${service.url}${service.dicomPort !== undefined ? `, DICOM ${options.aeTitle} on port ${service.dicomPort}${options.dicomTls ? ' (TLS)' : ''}` : ''} (${analysis}, data in ${resolve(options.data)}${mode}). ${RESEARCH_NOTICE}\n`,
  );
  await untilSignalled();
  await service.close();
}

export function runTokenCreate(options: { readonly data: string; readonly name: string }): void {
  const token = createServiceToken({ dataDir: resolve(options.data), name: options.name });
  process.stderr.write(
    `token ${token.id} ('${token.name}') created; it is shown once, only its SHA-256 is stored:\n`,
  );
  process.stdout.write(`${token.token}\n`);
}
