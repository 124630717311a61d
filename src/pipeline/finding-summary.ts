/**
 * The one-line summary of a finding, e.g. "Acute infarct, 12.4 mL in 3 lesions, right MCA
 * territory (frontal, insular)" or "Intracranial haemorrhage, 23.1 mL (intraparenchymal 20.0 mL,
 * intraventricular 3.1 mL), right basal ganglia". Pure.
 */
import type { TriageState } from './assessment/triage-state.js';
import type { Localisation, Share } from './localise-lesions.js';
import type { Task } from './select-inputs.js';
import { TASK_TRAITS } from './task-spec.js';

export interface FindingSummaryOptions {
  readonly task: Task;
  readonly totalLesionMl: number;
  readonly lesionCount: number;
  readonly volumesMl: Readonly<Record<string, number>>;
  /** Undefined when registration failed or was not run: no location is given then. */
  readonly localisation?: Localisation;
  /** The triage decision; when false, segmented regions are called candidates, not a finding. */
  readonly positive?: boolean;
}

const ml = (x: number) => `${x.toFixed(1)} mL`;

/** 'MCA right' → 'right MCA'. */
function sidedGroup(group: string): string {
  const m = /^(.*) (left|right)$/.exec(group);
  return m ? `${m[2]} ${m[1]}` : group;
}

function territoryPhrase(territories: readonly Share[], subTerritories: readonly Share[]): string {
  const groups = territories.filter((t) => t.name !== 'outside atlas');
  if (!groups.length) return '';
  const main = groups[0]!.name;
  const artery = main.replace(/ (left|right)$/, '');
  const parts = subTerritories
    .map((s) => s.name)
    .filter((n) => n.startsWith(`${artery} `))
    .map((n) => n.slice(artery.length + 1));
  const others = groups.slice(1).map((g) => sidedGroup(g.name));
  const names = [sidedGroup(main), ...others];
  const head = names.length > 1 ? `${names.join(' and ')} territories` : `${names[0]} territory`;
  return parts.length ? `${head} (${parts.join(', ')})` : head;
}

function structurePhrase(side: string, structures: readonly Share[], region: string): string {
  const names = structures.map((s) => s.name).filter((n) => n !== 'outside atlas' && n !== region);
  if (!names.length) return '';
  const sided = side === 'bilateral' ? 'bilateral' : side;
  return `${sided} ${names.join(', ')}`;
}

export function findingSummary(options: FindingSummaryOptions): string {
  const traits = TASK_TRAITS[options.task];
  const what = traits.findingName;
  if (options.lesionCount === 0) return `No ${what.toLowerCase()} detected`;
  if (options.positive === false) {
    const n = options.lesionCount;
    return `No ${what.toLowerCase()} detected (${n} candidate region${n === 1 ? '' : 's'}, ${ml(options.totalLesionMl)}, below the triage threshold)`;
  }
  const count = `${options.lesionCount} lesion${options.lesionCount === 1 ? '' : 's'}`;
  const parts: string[] = [];
  if (traits.summaryBySubtype) {
    const labels = Object.entries(options.volumesMl)
      .filter(([, v]) => v > 0)
      .sort((a, b) => b[1] - a[1])
      .map(([name, v]) => `${name} ${ml(v)}`);
    parts.push(
      `${what}, ${ml(options.totalLesionMl)}${labels.length > 1 ? ` (${labels.join(', ')})` : ''} in ${count}`,
    );
  } else parts.push(`${what}, ${ml(options.totalLesionMl)} in ${count}`);
  const total = options.localisation?.total;
  if (!total) return parts.join(', ');
  if (total.region !== 'supratentorial' && total.region !== 'outside atlas')
    parts.push(total.region);
  if (traits.summaryWhere === 'territory') {
    const t = territoryPhrase(total.territories, total.subTerritories);
    if (t) parts.push(t);
  } else {
    const s = structurePhrase(total.side, total.structures, total.region);
    if (s) parts.push(s);
  }
  return parts.join(', ');
}

/**
 * The headline of a picture: "positive, 12.4 mL", "negative", or, when regions were segmented
 * but the triage score is under the operating point, "negative (19.5 mL sub-threshold)" —
 * so that a negative image never shows a bare volume that reads like a finding. A study that
 * could not be judged (issue 25) is "NOT ASSESSABLE: <first reason>", never negative.
 */
export function triageHeadline(options: {
  readonly state: TriageState;
  readonly totalLesionMl: number;
  /** The first reason a not-assessable study could not be judged. */
  readonly reason?: string;
}): string {
  if (options.state === 'positive') return `positive, ${ml(options.totalLesionMl)}`;
  if (options.state === 'not assessable')
    return options.reason ? `NOT ASSESSABLE: ${options.reason}` : 'NOT ASSESSABLE';
  return options.totalLesionMl > 0
    ? `negative (${ml(options.totalLesionMl)} sub-threshold)`
    : 'negative';
}
