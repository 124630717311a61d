/**
 * The SNOMED CT codes we write are well-formed concept identifiers (Verhoeff check digit,
 * concept partition), every model label has codes, and the codes fit DICOM's limits.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ICH_LABELS, INFARCT_LABELS } from '../../synth/synth-case.js';
import { CODES } from './coded-concepts.js';
import { LESION_SCT_CODES, lesionCodes } from './lesion-codes.js';

// Verhoeff's dihedral-group tables (as used by SNOMED CT identifiers).
const D = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7], [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3], [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
]; // prettier-ignore
const P = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4], [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7], [9, 4, 5, 3, 1, 2, 6, 8, 7, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
]; // prettier-ignore

function verhoeffValid(id: string): boolean {
  let c = 0;
  [...id].reverse().forEach((ch, i) => (c = D[c]![P[i % 8]![Number(ch)]!]!));
  return c === 0;
}

describe('lesion codes', () => {
  const sct = [...LESION_SCT_CODES, ...Object.values(CODES).filter((c) => c.scheme === 'SCT')];

  it('SNOMED CT codes are concept ids with a valid check digit', () => {
    assert.ok(verhoeffValid('55641003') && !verhoeffValid('55641004'), 'the check itself works');
    for (const c of sct) {
      assert.match(c.value, /^\d{6,18}$/, c.meaning);
      assert.equal(c.value.slice(-3, -1), '00', `${c.value} ${c.meaning}: concept partition`);
      assert.ok(verhoeffValid(c.value), `${c.value} ${c.meaning}: Verhoeff check digit`);
    }
  });

  it('every label of both tasks has a type, a category and a site', () => {
    for (const [task, labels] of [
      ['ich', ICH_LABELS],
      ['infarct', INFARCT_LABELS],
    ] as const)
      for (const name of Object.values(labels)) {
        const codes = lesionCodes(task, name);
        assert.equal(codes.category.value, '49755003', name);
        assert.ok(codes.type && codes.anatomicRegion, name);
        assert.notEqual(codes.description, name, `${name} has a description of its own`);
      }
    assert.equal(lesionCodes('ich', 'unheard of').type.meaning, 'Hemorrhage');
    assert.equal(lesionCodes('infarct', 'core').type.meaning, 'Infarct');
  });

  it('code values fit SH (16 characters), meanings fit LO (64)', () => {
    for (const c of [...LESION_SCT_CODES, ...Object.values(CODES)]) {
      assert.ok(c.value.length <= 16 && c.meaning.length <= 64, c.value);
    }
  });
});
