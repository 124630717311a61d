/**
 * report.json as a FHIR R4 DiagnosticReport (`report.fhir.json`), for hospital systems that take
 * FHIR rather than DICOM SR: status 'preliminary' (an unsigned machine read), the one-line
 * summary as the conclusion, one contained Observation per measured quantity (UCUM mL, mm),
 * the model as a contained Device (name, version, sha256), and the research-use notice. The
 * triage state (issue 25) is the conclusion code and a contained Observation: 'positive',
 * 'negative' or 'not assessable' (never negative for a study that could not be judged), and
 * each reason it was not assessable is an Observation with the reason as its value.
 */
import { TASK_TRAITS } from '../pipeline/task-spec.js';
import type { AnalyzeReport } from './report-schema.js';

const UCUM = 'http://unitsofmeasure.org';
const LOINC = 'http://loinc.org';
const SNOMED = 'http://snomed.info/sct';

/** The triage state as a CodeableConcept: SNOMED CT for positive/negative, text otherwise. */
function stateConcept(state: AnalyzeReport['triage']['state']): Record<string, unknown> {
  if (state === 'positive')
    return { coding: [{ system: SNOMED, code: '10828004', display: 'Positive' }], text: state };
  if (state === 'negative')
    return { coding: [{ system: SNOMED, code: '260385009', display: 'Negative' }], text: state };
  return { text: 'not assessable' };
}

/** The triage result, and each reason the study (or the rest of it) could not be judged. */
function stateObservations(report: AnalyzeReport): Record<string, unknown>[] {
  const base = {
    resourceType: 'Observation',
    status: 'preliminary',
    device: { reference: '#model' },
  };
  return [
    {
      ...base,
      id: 'triage-result',
      code: { text: 'triage result' },
      valueCodeableConcept: stateConcept(report.triage.state),
    },
    ...report.assessment.reasons.map((r, n) => ({
      ...base,
      id: `not-assessable-${n + 1}`,
      code: { text: `reason not assessable (${r.code})` },
      valueString: r.message,
    })),
  ];
}

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
  const states = stateObservations(report);
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
    conclusionCode: [stateConcept(report.triage.state)],
    contained: [
      {
        resourceType: 'Device',
        id: 'model',
        deviceName: [{ name: report.model.name, type: 'model-name' }],
        version: [{ value: report.model.version }],
        note: [{ text: `model sha256 ${report.model.sha256}` }, { text: report.notice }],
      },
      ...quantities.map(observation),
      ...states,
    ],
    result: [...quantities, ...states].map((q) => ({ reference: `#${String(q.id)}` })),
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
