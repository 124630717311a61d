/** The sentence every output carries (defined with the reports, src/report/notice.ts). */
export { RESEARCH_NOTICE } from '../report/notice.js';
