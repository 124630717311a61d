/**
 * Sends the outbox's deliveries: one POST per attempt with Node's fetch and a timeout; a 2xx is
 * delivered, anything else (another status, a network error, the timeout) is retried after
 * `retryBaseMs`, then twice that, … until `maxAttempts`, then recorded `failed` with the last
 * error. Runs on the main thread's event loop: nothing here is awaited by the analysis path.
 * Deliveries still pending at shutdown stay `pending` and `resume()` picks them up at the next
 * start, each at its recorded next attempt time.
 */
import type { AlertOutbox, DeliveryRecord } from './alert-outbox.js';
import { webhookHeaders } from './alert-signature.js';
import type { ServiceLog } from './dimse/service-log.js';

export interface AlertDeliveryOptions {
  readonly outbox: AlertOutbox;
  readonly log: () => ServiceLog;
  /** HMAC-SHA256 key of the webhooks' signature; absent: unsigned. */
  readonly secret?: Uint8Array | undefined;
  /** Attempts per delivery before `failed`; default 5. */
  readonly maxAttempts?: number | undefined;
  /** Wait before the first retry, doubled for each next one; default 10 s. */
  readonly retryBaseMs?: number | undefined;
  /** Timeout of one attempt; default 10 s. */
  readonly timeoutMs?: number | undefined;
}

/** The endpoint as logs and `GET /alerts` show it: origin and path (no query, no user info). */
export function endpointLabel(endpoint: string): string {
  try {
    const url = new URL(endpoint);
    return `${url.origin}${url.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

/** One line saying why an attempt failed. */
function attemptError(e: unknown): string {
  if (e instanceof Error) {
    const cause = (e as { cause?: { code?: unknown; message?: unknown } }).cause;
    const detail = cause?.code ?? cause?.message;
    const text = detail === undefined ? e.message : `${e.message} (${String(detail)})`;
    return text.split('\n')[0] ?? text;
  }
  return String(e).split('\n')[0] ?? '';
}

export class AlertDelivery {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly options: AlertDeliveryOptions) {}

  /** Starts the first attempt of deliveries just recorded. */
  send(deliveries: readonly DeliveryRecord[]): void {
    for (const d of deliveries) this.attempt(d.id);
  }

  /** Schedules the deliveries left pending by a previous run; returns how many. */
  resume(): number {
    const pending = this.options.outbox.pending();
    for (const d of pending) this.later(d.id, Date.parse(d.nextAttemptAt) - Date.now());
    return pending.length;
  }

  /** Stops retrying and waits for the attempts under way (their rows stay consistent). */
  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.inFlight]);
  }

  private later(id: number, delayMs: number): void {
    if (this.closed) return;
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        this.attempt(id);
      },
      Math.max(0, delayMs),
    );
    timer.unref();
    this.timers.add(timer);
  }

  private attempt(id: number): void {
    if (this.closed) return;
    const { outbox } = this.options;
    const delivery = outbox.delivery(id);
    if (delivery?.state !== 'pending') return;
    const run = this.post(delivery)
      .then(
        () => {
          outbox.attempted(id, { state: 'delivered' });
          this.options.log().info(this.logFields(delivery), 'alert delivered');
        },
        (e: unknown) => this.failed(delivery, attemptError(e)),
      )
      .catch((e: unknown) =>
        this.options
          .log()
          .error({ deliveryId: id, error: attemptError(e) }, 'alert delivery not recorded'),
      )
      .finally(() => this.inFlight.delete(run));
    this.inFlight.add(run);
  }

  private async post(delivery: DeliveryRecord): Promise<void> {
    const headers =
      delivery.kind === 'webhook'
        ? webhookHeaders({
            event: delivery.event,
            body: delivery.body,
            secret: this.options.secret,
          })
        : { 'content-type': 'application/fhir+json', accept: 'application/fhir+json' };
    const response = await fetch(delivery.endpoint, {
      method: 'POST',
      headers,
      body: delivery.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
    });
    await response.body?.cancel();
    if (response.status < 200 || response.status > 299)
      throw new Error(`HTTP ${response.status} ${response.statusText}`.trim());
  }

  private failed(delivery: DeliveryRecord, error: string): void {
    const maxAttempts = this.options.maxAttempts ?? 5;
    const attempt = delivery.attempts + 1;
    const fields = { ...this.logFields(delivery), attempt, error };
    if (attempt >= maxAttempts) {
      this.options.outbox.attempted(delivery.id, { state: 'failed', error });
      this.options.log().error(fields, 'alert not delivered; giving up');
      return;
    }
    const delayMs = (this.options.retryBaseMs ?? 10_000) * 2 ** (attempt - 1);
    this.options.outbox.attempted(delivery.id, {
      state: 'pending',
      error,
      nextAttemptAt: new Date(Date.now() + delayMs),
    });
    this.options.log().warn(fields, 'alert not delivered; retrying');
    this.later(delivery.id, delayMs);
  }

  private logFields(delivery: DeliveryRecord): object {
    return {
      deliveryId: delivery.id,
      studyId: delivery.studyId,
      event: delivery.event,
      endpoint: endpointLabel(delivery.endpoint),
    };
  }
}
