import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../testing/shared-data.js';
import { REPORT_VERSION, ReportSchema, reportJsonSchema } from './report-schema.js';

describe('report.json schema', () => {
  it('is committed as JSON Schema, in step with the code (npm run schema)', () => {
    const committed = JSON.parse(
      readFileSync(join(repoRoot(), 'schemas', 'report.schema.json'), 'utf8'),
    ) as unknown;
    assert.deepEqual(committed, JSON.parse(JSON.stringify(reportJsonSchema())));
  });

  it('names its version and refuses a report of another version or without the notice', () => {
    const schema = reportJsonSchema() as { properties: { version: { const: number } } };
    assert.equal(schema.properties.version.const, REPORT_VERSION);
    const bad = ReportSchema.safeParse({ version: 1, task: 'infarct' });
    assert.equal(bad.success, false);
    assert.match(JSON.stringify(bad.error?.issues.map((i) => i.path.join('.'))), /notice/);
  });
});
