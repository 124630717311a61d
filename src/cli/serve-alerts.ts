/**
 * `serve`'s alert flags (`--webhook URL`…, `--webhook-secret-file FILE`, `--fhir-endpoint URL`…,
 * `--alarm-no-result-min N`, `--alarm-failures N`) as the service's `AlertOptions`, checked
 * before anything starts: every problem is one `UserInputError` line.
 */
import { readFileSync } from 'node:fs';
import { UserInputError } from '../core/errors.js';
import type { AlertOptions } from '../service/alerts.js';

export interface ServeAlertFlags {
  readonly webhook: readonly string[];
  readonly webhookSecretFile?: string;
  readonly fhirEndpoint: readonly string[];
  readonly alarmNoResultMin: number;
  readonly alarmFailures: number;
}

function httpUrl(flag: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UserInputError(`${flag} must be an http(s) URL, got '${value}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UserInputError(`${flag} must be an http(s) URL, got '${value}'`);
  return url.href;
}

/** The alert options, or undefined when no webhook and no FHIR endpoint is given. */
export function alertOptionsOf(flags: ServeAlertFlags): AlertOptions | undefined {
  const webhooks = flags.webhook.map((u) => httpUrl('--webhook', u));
  const fhirEndpoints = flags.fhirEndpoint.map((u) => httpUrl('--fhir-endpoint', u));
  if (flags.webhookSecretFile !== undefined && webhooks.length === 0)
    throw new UserInputError('--webhook-secret-file needs --webhook');
  if (webhooks.length === 0 && fhirEndpoints.length === 0) return undefined;
  let secret: Uint8Array | undefined;
  if (flags.webhookSecretFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(flags.webhookSecretFile, 'utf8').trim();
    } catch (e) {
      const code = (e as { code?: string }).code ?? 'unreadable';
      throw new UserInputError(`--webhook-secret-file: cannot read it (${code})`);
    }
    if (text.length < 16)
      throw new UserInputError('--webhook-secret-file: the secret must be at least 16 characters');
    secret = new TextEncoder().encode(text);
  }
  return {
    webhooks,
    fhirEndpoints,
    ...(secret && { webhookSecret: secret }),
    noResultAlarmMs: Math.round(flags.alarmNoResultMin * 60_000),
    failureAlarmCount: flags.alarmFailures,
  };
}
