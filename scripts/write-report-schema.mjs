// Writes schemas/report.schema.json from the zod schema (src/cli/report-schema.ts). `npm run schema`.
import { writeFileSync } from 'node:fs';
import { reportJsonSchema } from '../dist/src/cli/report-schema.js';

const path = new URL('../schemas/report.schema.json', import.meta.url);
writeFileSync(path, `${JSON.stringify(reportJsonSchema(), null, 2)}\n`);
process.stdout.write(`wrote ${path.pathname}\n`);
