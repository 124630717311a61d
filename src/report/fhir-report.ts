/**
 * report.json as a FHIR R4 DiagnosticReport (`report.fhir.json`), for hospital systems that take
 * FHIR rather than DICOM SR: status 'preliminary' (an unsigned machine read), the one-line
 * summary as the conclusion, one contained Observation per measured quantity (UCUM mL, mm),
 * the model as a contained Device (name, version, sha256), and the research-use notice.
 */
import { TASK_TRAITS } from '../pipeline/task-spec.js';
import type { AnalyzeReport } from './report-schema.js';

const UCUM = 'http://unitsofmeasure.org';
const LOINC = 'http://loinc.org';

interface Quantity {
  readonly id: string;
  readonly text: string;
  readonly value: number;
  readonly unit: 'mL' | 'mm' | '1';
}

function observation(q: Quantity): Record<string, unknown> {
  return {
    resourceType: 'Observation',
    id: q.id,
    status: 'preliminary',
    code: { text: q.text },
    device: { reference: '#model' },
    valueQuantity: {
      value: q.value,
      unit: q.unit,
      system: UCUM,
      code: q.unit === 'mL' ? 'mL' : q.unit,
    },
  };
}

export function toFhirDiagnosticReport(
  report: AnalyzeReport,
  options: { readonly issued: string },
): Record<string, unknown> {
  const quantities: Quantity[] = [
    ...Object.entries(report.volumesMl).map(([name, ml], n) => ({
      id: `volume-${n + 1}`,
      text: `${name} volume`,
      value: ml,
      unit: 'mL' as const,
    })),
    { id: 'total', text: 'total lesion volume', value: report.totalLesionMl, unit: 'mL' },
    { id: 'count', text: 'lesion count', value: report.lesionCount, unit: '1' },
    {
      id: 'score',
      text: 'triage score (highest lesion probability)',
      value: report.triage.score,
      unit: '1',
    },
  ];
  if (report.haemorrhage) {
    quantities.push({
      id: 'abc2',
      text: 'haematoma volume by ABC/2 (largest lesion)',
      value: report.haemorrhage.abcOver2Ml,
      unit: 'mL',
    });
    if (report.haemorrhage.midlineShiftMm !== null)
      quantities.push({
        id: 'midline-shift',
        text: `midline shift (${report.haemorrhage.midlineShiftMethod})`,
        value: report.haemorrhage.midlineShiftMm,
        unit: 'mm',
      });
  }
  const ct = TASK_TRAITS[report.task].modality === 'CT';
  return {
    resourceType: 'DiagnosticReport',
    status: 'preliminary',
    category: [
      {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/v2-0074',
            code: 'RAD',
            display: 'Radiology',
          },
        ],
      },
    ],
    code: {
      coding: [
        ct
          ? { system: LOINC, code: '24725-4', display: 'CT Head' }
          : { system: LOINC, code: '24590-2', display: 'MR Brain' },
      ],
      text: ct
        ? 'Head CT: intracranial haemorrhage (machine read)'
        : 'Brain MRI DWI/ADC: acute infarct (machine read)',
    },
    issued: options.issued,
    conclusion: report.summary,
    conclusionCode: [
      {
        text: report.triage.positive ? 'positive' : 'negative',
      },
    ],
    contained: [
      {
        resourceType: 'Device',
        id: 'model',
        deviceName: [{ name: report.model.name, type: 'model-name' }],
        version: [{ value: report.model.version }],
        note: [{ text: `model sha256 ${report.model.sha256}` }, { text: report.notice }],
      },
      ...quantities.map(observation),
    ],
    result: quantities.map((q) => ({ reference: `#${q.id}` })),
    text: {
      status: 'generated',
      div: `<div xmlns="http://www.w3.org/1999/xhtml"><p>${escapeXml(report.summary)}</p><p>${escapeXml(report.notice)}</p></div>`,
    },
  };
}

function escapeXml(text: string): string {
  return text.replace(
    /[<>&"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!,
  );
}
