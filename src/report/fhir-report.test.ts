import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toFhirDiagnosticReport } from './fhir-report.js';
import { notAssessableReport, positiveReport as report } from './report-test-fixture.js';

function emptyArrays(value: unknown, path = ''): string[] {
  if (Array.isArray(value))
    return value.length === 0 ? [path] : value.flatMap((v, n) => emptyArrays(v, `${path}[${n}]`));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => emptyArrays(v, `${path}.${k}`));
  return [];
}

describe('FHIR DiagnosticReport', () => {
  it('carries the conclusion, the measurements in UCUM, the model and the notice', () => {
    const fhir = toFhirDiagnosticReport(report, { issued: '2026-11-22T05:00:00Z' }) as {
      resourceType: string;
      status: string;
      conclusion: string;
      code: { coding: { code: string }[] };
      contained: {
        resourceType: string;
        id: string;
        valueQuantity?: { value: number; system: string; code: string };
        note?: { text: string }[];
      }[];
      result: { reference: string }[];
    };
    assert.equal(fhir.resourceType, 'DiagnosticReport');
    assert.equal(fhir.status, 'preliminary');
    assert.equal(fhir.code.coding[0]!.code, '24725-4');
    assert.equal(fhir.conclusion, report.summary);
    const byId = new Map(fhir.contained.map((r) => [r.id, r]));
    assert.deepEqual(byId.get('volume-1')!.valueQuantity, {
      value: 20,
      unit: 'mL',
      system: 'http://unitsofmeasure.org',
      code: 'mL',
    });
    assert.equal(byId.get('abc2')!.valueQuantity!.value, 18.2);
    assert.equal(byId.get('midline-shift')!.valueQuantity!.code, 'mm');
    const device = byId.get('model')!;
    assert.match(JSON.stringify(device.note), /sha256 a{64}.*not a medical device/);
    // Every result points at a contained resource; FHIR JSON has no empty arrays.
    for (const r of fhir.result) assert.ok(byId.has(r.reference.slice(1)), r.reference);
    assert.deepEqual(emptyArrays(fhir), []);
  });

  it('concludes "not assessable" with each reason for a study it could not judge, never negative', () => {
    const fhir = toFhirDiagnosticReport(notAssessableReport, {
      issued: '2026-11-22T05:00:00Z',
    }) as {
      status: string;
      conclusion: string;
      conclusionCode: { text: string; coding?: unknown[] }[];
      contained: {
        id: string;
        valueCodeableConcept?: { text: string };
        valueString?: string;
      }[];
      result: { reference: string }[];
    };
    assert.equal(fhir.status, 'preliminary');
    assert.match(fhir.conclusion, /^Not assessable: cerebellum 20 % imaged/);
    assert.deepEqual(fhir.conclusionCode, [{ text: 'not assessable' }]);
    const byId = new Map(fhir.contained.map((r) => [r.id, r]));
    assert.equal(byId.get('triage-result')!.valueCodeableConcept!.text, 'not assessable');
    assert.deepEqual(
      fhir.contained.filter((r) => r.id.startsWith('not-assessable')).map((r) => r.valueString),
      ['cerebellum 20 % imaged (below 50 %)', 'grey-white contrast 2.0 HU is below 4'],
    );
    for (const r of fhir.result) assert.ok(byId.has(r.reference.slice(1)), r.reference);
    assert.doesNotMatch(JSON.stringify(fhir), /negative/i);
    assert.deepEqual(emptyArrays(fhir), []);
  });
});
