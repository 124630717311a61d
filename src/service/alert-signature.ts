/**
 * Webhook signatures. With a secret, each attempt carries
 *   X-NeuroTriage-Event: <event>
 *   X-NeuroTriage-Timestamp: <seconds since 1970, this attempt>
 *   X-NeuroTriage-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<event>.<body>")>
 * where <body> is the exact bytes of the request body (UTF-8 JSON). A receiver recomputes the
 * HMAC over the raw body (before parsing), compares in constant time, and refuses a timestamp
 * older than a few minutes (replay) or an event that differs from the body's.
 */
import { createHmac } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-neurotriage-signature';
export const EVENT_HEADER = 'x-neurotriage-event';
export const TIMESTAMP_HEADER = 'x-neurotriage-timestamp';

export function signedContent(timestampS: number, event: string, body: string): string {
  return `${timestampS}.${event}.${body}`;
}

/** The value of `X-NeuroTriage-Signature`. */
export function webhookSignature(
  secret: Uint8Array,
  timestampS: number,
  event: string,
  body: string,
): string {
  const hmac = createHmac('sha256', secret).update(signedContent(timestampS, event, body), 'utf8');
  return `sha256=${hmac.digest('hex')}`;
}

/** The headers of one webhook attempt (unsigned without a secret). */
export function webhookHeaders(options: {
  readonly event: string;
  readonly body: string;
  readonly secret: Uint8Array | undefined;
  readonly now?: Date;
}): Record<string, string> {
  const timestampS = Math.floor((options.now ?? new Date()).getTime() / 1000);
  return {
    'content-type': 'application/json',
    [EVENT_HEADER]: options.event,
    [TIMESTAMP_HEADER]: String(timestampS),
    ...(options.secret && {
      [SIGNATURE_HEADER]: webhookSignature(options.secret, timestampS, options.event, options.body),
    }),
  };
}
