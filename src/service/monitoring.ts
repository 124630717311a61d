/**
 * Monitoring for drift (`GET /monitoring`): per scanner (manufacturer, model name, station name)
 * and ISO week of receipt, how many studies ended positive, negative, not assessable (the stored
 * triage state, migration 10), not analysed (the service refused the input) and failed, how many are
 * still pending, the median total lesion volume of the positives (mL) and the median time from
 * receipt to result (seconds). Each study's scanner is read once from its stored input
 * (study-scanner.ts) and kept in `studies.scanner` (migration 9); a NIfTI upload is an unknown
 * scanner (nulls).
 */
import type { ArtefactStore } from './artefact-store.js';
import type { Db } from './database.js';
import { type Scanner, UNKNOWN_SCANNER, scannerOfInput } from './study-scanner.js';

export interface MonitoringRow extends Scanner {
  /** ISO 8601 week of receipt, e.g. `2026-W49` (UTC). */
  readonly week: string;
  readonly positive: number;
  readonly negative: number;
  readonly notAssessable: number;
  readonly notAnalysed: number;
  readonly failed: number;
  readonly pending: number;
  /** Median total lesion volume of the positive results; null without one. */
  readonly medianPositiveLesionMl: number | null;
  /** Median seconds from receipt to result (finished studies); null without one. */
  readonly medianSecondsToResult: number | null;
}

/** The ISO 8601 week (Monday first; week 1 holds the year's first Thursday) of a UTC time. */
export function isoWeek(at: Date): string {
  const day = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  const weekday = day.getUTCDay() === 0 ? 7 : day.getUTCDay();
  day.setUTCDate(day.getUTCDate() + 4 - weekday); // the Thursday of this week
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((day.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? 0;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? upper) + upper) / 2;
}

type Row = Record<string, unknown>;

interface Group {
  readonly scanner: Scanner;
  readonly week: string;
  readonly counts: Record<
    'positive' | 'negative' | 'notAssessable' | 'notAnalysed' | 'failed' | 'pending',
    number
  >;
  readonly lesionsMl: number[];
  readonly secondsToResult: number[];
}

export class Monitoring {
  constructor(
    private readonly db: Db,
    private readonly artefacts: ArtefactStore,
  ) {}

  /** Reads the scanner of every study not read yet (once per study). */
  private fillScanners(): void {
    const unread = this.db.prepare('SELECT id FROM studies WHERE scanner IS NULL').all() as Row[];
    const update = this.db.prepare('UPDATE studies SET scanner = ? WHERE id = ?');
    for (const r of unread) {
      const id = String(r.id);
      let scanner = UNKNOWN_SCANNER;
      try {
        scanner = scannerOfInput(this.artefacts.inputDir(id));
      } catch {
        // an unreadable input is an unknown scanner
      }
      update.run(JSON.stringify(scanner), id);
    }
  }

  /** One row per scanner and week, newest week first, then by scanner. */
  rows(): MonitoringRow[] {
    this.fillScanners();
    const studies = this.db
      .prepare(
        `SELECT s.scanner, s.received_at, s.status, s.positive, s.triage_state, s.total_lesion_ml,
           (SELECT MAX(finished_at) FROM jobs j WHERE j.study_id = s.id) AS finished_at
         FROM studies s`,
      )
      .all() as Row[];
    const groups = new Map<string, Group>();
    for (const s of studies) {
      const scanner = parseScanner(s.scanner);
      const received = new Date(String(s.received_at));
      const week = isoWeek(received);
      const key = JSON.stringify([scanner.manufacturer, scanner.model, scanner.station, week]);
      let group = groups.get(key);
      if (!group) {
        group = {
          scanner,
          week,
          counts: {
            positive: 0,
            negative: 0,
            notAssessable: 0,
            notAnalysed: 0,
            failed: 0,
            pending: 0,
          },
          lesionsMl: [],
          secondsToResult: [],
        };
        groups.set(key, group);
      }
      const status = String(s.status);
      if (status === 'done') {
        // The stored state (migration 10); a not-assessable study is never counted negative.
        const state = s.triage_state ?? (Number(s.positive) === 1 ? 'positive' : 'negative');
        const positive = state === 'positive';
        group.counts[
          positive ? 'positive' : state === 'not assessable' ? 'notAssessable' : 'negative'
        ]++;
        if (positive && s.total_lesion_ml !== null) group.lesionsMl.push(Number(s.total_lesion_ml));
      } else if (status === 'not-analysed') group.counts.notAnalysed++;
      else if (status === 'failed') group.counts.failed++;
      else group.counts.pending++;
      const finished = s.finished_at === null ? NaN : Date.parse(String(s.finished_at));
      if (['done', 'not-analysed', 'failed'].includes(status) && Number.isFinite(finished))
        group.secondsToResult.push((finished - received.getTime()) / 1000);
    }
    return [...groups.values()]
      .map((g) => ({
        ...g.scanner,
        week: g.week,
        ...g.counts,
        medianPositiveLesionMl: median(g.lesionsMl),
        medianSecondsToResult: median(g.secondsToResult),
      }))
      .sort(
        (a, b) =>
          b.week.localeCompare(a.week) ||
          JSON.stringify([a.manufacturer, a.model, a.station]).localeCompare(
            JSON.stringify([b.manufacturer, b.model, b.station]),
          ),
      );
  }
}

function parseScanner(value: unknown): Scanner {
  if (typeof value !== 'string') return UNKNOWN_SCANNER;
  const json = JSON.parse(value) as Partial<Scanner>;
  return {
    manufacturer: json.manufacturer ?? null,
    model: json.model ?? null,
    station: json.station ?? null,
  };
}
