/** What `neurotriage analyze` prints: the state first, and for a study it could not judge, why. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatSummary } from './format-summary.js';
import { notAssessableReport, positiveReport } from './report-test-fixture.js';

describe('formatSummary', () => {
  it('prints POSITIVE for a positive study', () => {
    const first = formatSummary(positiveReport).split('\n')[0]!;
    assert.match(first, /: POSITIVE \(score 0\.970, threshold 0\.5\)$/);
  });

  it('prints NOT ASSESSABLE with each reason and the coverage, never negative', () => {
    const text = formatSummary(notAssessableReport);
    const lines = text.split('\n');
    assert.match(lines[0]!, /: NOT ASSESSABLE \(score 0\.200/);
    assert.ok(lines.includes('not assessable: cerebellum 20 % imaged (below 50 %)'), text);
    assert.ok(lines.includes('not assessable: grey-white contrast 2.0 HU is below 4'), text);
    assert.ok(lines.includes('coverage: 85 % of the brain imaged; incomplete: cerebellum'), text);
    assert.doesNotMatch(text, /negative/i);
  });

  it('says a negative on a partly imaged brain covers the imaged part only', () => {
    const partial = {
      ...notAssessableReport,
      summary: 'No haemorrhage found; covers the imaged part only: cerebellum 80 % imaged',
      triage: { ...notAssessableReport.triage, state: 'negative' as const },
      assessment: { ...notAssessableReport.assessment, assessable: true, reasons: [] },
    };
    const lines = formatSummary(partial).split('\n');
    assert.match(lines[0]!, /: negative \(score/);
    assert.ok(
      lines.includes(
        'coverage: 85 % of the brain imaged; the negative covers the imaged part only; incomplete: cerebellum',
      ),
    );
  });
});
