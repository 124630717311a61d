import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toFhirDiagnosticReport } from './fhir-report.js';
import type { AnalyzeReport } from './report-schema.js';

const report: AnalyzeReport = {
  version: 3,
  task: 'ich',
  summary:
    'Intracranial haemorrhage, 23.1 mL (intraparenchymal 20.0 mL, intraventricular 3.1 mL) in 2 lesions, right basal ganglia',
  input: { paths: ['ct'], series: "CT 'Head'", ids: ['1'] },
  model: {
    name: 'neurotriage-ich',
    version: '1.0.0',
    sha256: 'a'.repeat(64),
    path: 'models/ich-ct',
  },
  volumesMl: { intraparenchymal: 20, intraventricular: 3.1 },
  totalLesionMl: 23.1,
  lesionCount: 2,
  largestLesionMl: 20,
  removedSmallLesions: 0,
  minLesionMl: 0.01,
  triage: { state: 'positive', score: 0.97, positive: true, threshold: 0.5, rule: 'r' },
  assessment: { assessable: true, reasons: [], coverage: null, measures: {} },
  location: null,
  haemorrhage: { abcOver2Ml: 18.2, midlineShiftMm: -3.5, midlineShiftMethod: 'septum' },
  tta: false,
  nativeGrid: { shape: [1, 1, 1], spacingMm: [1, 1, 1] },
  modelGrid: { shape: [1, 1, 1], spacingMm: [2, 2, 2] },
  timingsMs: {},
  files: {},
  warnings: [],
  notice: 'NeuroTriage is for research use only; it is not a medical device.',
};

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
});
