/** `serve`'s alert flags → the service's alert options, and their one-line refusals. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { alertOptionsOf } from './serve-alerts.js';

const DEFAULTS = { webhook: [], fhirEndpoint: [], alarmNoResultMin: 5, alarmFailures: 3 };

describe('serve alert flags', () => {
  it('gives no alerts without a webhook or FHIR endpoint', () => {
    assert.equal(alertOptionsOf(DEFAULTS), undefined);
  });

  it('reads the secret file (whitespace trimmed) and converts minutes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nt-alert-flags-'));
    try {
      const file = join(dir, 'key');
      writeFileSync(file, '  0123456789abcdef0123\n');
      const options = alertOptionsOf({
        ...DEFAULTS,
        webhook: ['https://hooks.example/a', 'http://127.0.0.1:9000/b'],
        webhookSecretFile: file,
        fhirEndpoint: ['https://fhir.example/DiagnosticReport'],
        alarmNoResultMin: 2.5,
      });
      assert.deepEqual(options?.webhooks, ['https://hooks.example/a', 'http://127.0.0.1:9000/b']);
      assert.deepEqual(options?.fhirEndpoints, ['https://fhir.example/DiagnosticReport']);
      assert.equal(new TextDecoder().decode(options?.webhookSecret), '0123456789abcdef0123');
      assert.equal(options?.noResultAlarmMs, 150_000);
      assert.equal(options?.failureAlarmCount, 3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a bad URL, a secret without a webhook, a missing or short secret file', () => {
    assert.throws(() => alertOptionsOf({ ...DEFAULTS, webhook: ['ftp://x/'] }), /--webhook must/);
    assert.throws(
      () => alertOptionsOf({ ...DEFAULTS, fhirEndpoint: ['not a url'] }),
      /--fhir-endpoint must/,
    );
    assert.throws(
      () => alertOptionsOf({ ...DEFAULTS, webhookSecretFile: '/nonexistent' }),
      /needs --webhook/,
    );
    assert.throws(
      () =>
        alertOptionsOf({ ...DEFAULTS, webhook: ['http://h/'], webhookSecretFile: '/nonexistent' }),
      /cannot read it \(ENOENT\)/,
    );
    const dir = mkdtempSync(join(tmpdir(), 'nt-alert-flags-'));
    try {
      writeFileSync(join(dir, 'key'), 'short');
      assert.throws(
        () =>
          alertOptionsOf({
            ...DEFAULTS,
            webhook: ['http://h/'],
            webhookSecretFile: join(dir, 'key'),
          }),
        /at least 16/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
