/** The sentence every output carries. */
export const RESEARCH_NOTICE = 'NeuroTriage is for research use only; it is not a medical device.';
