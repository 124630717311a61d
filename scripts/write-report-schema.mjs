// Writes schemas/report.schema.json from the zod schema (src/report/report-schema.ts). `npm run schema`.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { reportJsonSchema } from '../dist/src/report/report-schema.js';

const path = fileURLToPath(import.meta.resolve('../schemas/report.schema.json'));
writeFileSync(path, `${JSON.stringify(reportJsonSchema(), null, 2)}\n`);
process.stdout.write(`wrote ${path}\n`);
