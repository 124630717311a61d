/**
 * The drift rule of the monitoring page (issue 25): a scanner's week is flagged when more than
 * 20 % of its studies are not assessable, or when its share of positives is at least twice that
 * of the same scanner's previous week in the table (the latest earlier week with studies; a
 * previous share of 0 never flags). Shares are of all the week's studies. Shared by the page
 * (src/viewer/app/monitoring-page.ts) and its Node test.
 */

/** What the rule reads of a `GET /monitoring` row (src/viewer/app/types.ts MonitoringRow extends it). */
export interface ScannerWeek {
  readonly manufacturer: string | null;
  readonly model: string | null;
  readonly station: string | null;
  /** ISO 8601 week of receipt, e.g. `2026-W49` (UTC). */
  readonly week: string;
  readonly positive: number;
  readonly negative: number;
  readonly notAssessable: number;
  readonly notAnalysed: number;
  readonly failed: number;
  readonly pending: number;
}

export const NOT_ASSESSABLE_LIMIT = 0.2;

export const DRIFT_RULE =
  'Highlighted: more than 20 % of the week’s studies not assessable, or a share of positives at least twice the same scanner’s previous week in this table.';

export function studiesOf(row: ScannerWeek): number {
  return (
    row.positive + row.negative + row.notAssessable + row.notAnalysed + row.failed + row.pending
  );
}

export function scannerKey(row: ScannerWeek): string {
  return JSON.stringify([row.manufacturer, row.model, row.station]);
}

const share = (count: number, row: ScannerWeek): number => {
  const n = studiesOf(row);
  return n === 0 ? 0 : count / n;
};

/** Whether each row (newest week first, as the service sends them) shows drift. */
export function driftFlags(rows: readonly ScannerWeek[]): boolean[] {
  return rows.map((row, i) => {
    if (share(row.notAssessable, row) > NOT_ASSESSABLE_LIMIT) return true;
    const key = scannerKey(row);
    const previous = rows
      .slice(i + 1)
      .find((r) => scannerKey(r) === key && r.week.localeCompare(row.week) < 0);
    if (!previous) return false;
    const before = share(previous.positive, previous);
    return before > 0 && share(row.positive, row) >= 2 * before;
  });
}
