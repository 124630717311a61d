/**
 * SR content items (PS3.3 C.17.3) as plain data, and their encoding: the root container's
 * attributes go into the data set, every other item into its parent's Content Sequence with
 * its Relationship Type.
 */
import type { CodedConcept } from './coded-concepts.js';
import { codeSequence } from './coded-concepts.js';
import { decimalString } from './write-volume-series.js';
import { type DicomElementSpec, sequence } from './write-dicom.js';

export type Relationship = 'CONTAINS' | 'HAS OBS CONTEXT' | 'HAS CONCEPT MOD' | 'HAS PROPERTIES';

interface Base {
  readonly relationship: Relationship;
  readonly concept: CodedConcept;
  readonly children?: readonly ContentItem[];
}

export type ContentItem = Base &
  (
    | { readonly type: 'CONTAINER'; readonly template?: string }
    | { readonly type: 'TEXT'; readonly text: string }
    | { readonly type: 'CODE'; readonly code: CodedConcept }
    | { readonly type: 'NUM'; readonly value: number; readonly units: CodedConcept }
    | { readonly type: 'UIDREF'; readonly uid: string }
    | {
        readonly type: 'IMAGE';
        readonly sopClassUid: string;
        readonly sopInstanceUid: string;
        readonly segmentNumber?: number;
      }
  );

/** The value (and container) attributes of one item, without relationship and children. */
function valueElements(item: ContentItem): DicomElementSpec[] {
  const out: DicomElementSpec[] = [
    { tag: [0x0040, 0xa040], vr: 'CS', value: item.type },
    codeSequence([0x0040, 0xa043], item.concept),
  ];
  switch (item.type) {
    case 'CONTAINER':
      out.push({ tag: [0x0040, 0xa050], vr: 'CS', value: 'SEPARATE' });
      if (item.template)
        out.push(
          sequence(
            [0x0040, 0xa504],
            [
              [
                { tag: [0x0008, 0x0105], vr: 'CS', value: 'DCMR' },
                { tag: [0x0040, 0xdb00], vr: 'CS', value: item.template },
              ],
            ],
          ),
        );
      break;
    case 'TEXT':
      out.push({ tag: [0x0040, 0xa160], vr: 'UT', value: item.text });
      break;
    case 'CODE':
      out.push(codeSequence([0x0040, 0xa168], item.code));
      break;
    case 'NUM':
      out.push(
        sequence(
          [0x0040, 0xa300],
          [
            [
              codeSequence([0x0040, 0x08ea], item.units),
              { tag: [0x0040, 0xa30a], vr: 'DS', value: decimalString(item.value) },
            ],
          ],
        ),
      );
      break;
    case 'UIDREF':
      out.push({ tag: [0x0040, 0xa124], vr: 'UI', value: item.uid });
      break;
    case 'IMAGE':
      out.push(
        sequence(
          [0x0008, 0x1199],
          [
            [
              { tag: [0x0008, 0x1150], vr: 'UI', value: item.sopClassUid },
              { tag: [0x0008, 0x1155], vr: 'UI', value: item.sopInstanceUid },
              ...(item.segmentNumber !== undefined
                ? [{ tag: [0x0062, 0x000b], vr: 'US', value: item.segmentNumber } as const]
                : []),
            ],
          ],
        ),
      );
      break;
  }
  return out;
}

function childrenElement(children: readonly ContentItem[] | undefined): DicomElementSpec[] {
  if (!children || children.length === 0) return [];
  return [
    sequence(
      [0x0040, 0xa730],
      children.map((c) => [
        { tag: [0x0040, 0xa010], vr: 'CS', value: c.relationship },
        ...valueElements(c),
        ...childrenElement(c.children),
      ]),
    ),
  ];
}

/** The root item's attributes for the data set (its relationship is ignored). */
export function encodeContentTree(root: ContentItem): DicomElementSpec[] {
  if (root.type !== 'CONTAINER') throw new Error('SR root content item must be a CONTAINER');
  return [...valueElements(root), ...childrenElement(root.children)];
}

/** Shorthands for building trees. */
export const item = {
  container: (
    relationship: Relationship,
    concept: CodedConcept,
    children: readonly ContentItem[],
    template?: string,
  ): ContentItem => ({ type: 'CONTAINER', relationship, concept, children, template }),
  text: (relationship: Relationship, concept: CodedConcept, text: string): ContentItem => ({
    type: 'TEXT',
    relationship,
    concept,
    text,
  }),
  code: (relationship: Relationship, concept: CodedConcept, code: CodedConcept): ContentItem => ({
    type: 'CODE',
    relationship,
    concept,
    code,
  }),
  num: (
    concept: CodedConcept,
    value: number,
    units: CodedConcept,
    children?: readonly ContentItem[],
  ): ContentItem => ({ type: 'NUM', relationship: 'CONTAINS', concept, value, units, children }),
  uidref: (relationship: Relationship, concept: CodedConcept, uid: string): ContentItem => ({
    type: 'UIDREF',
    relationship,
    concept,
    uid,
  }),
};
