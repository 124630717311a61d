/** The mutants are reproducible and do what they say, on a tiny synthetic CT slice. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRng } from '../core/random.js';
import { parseDicom } from '../io/dicom/parse-dicom.js';
import { ctSliceFixture } from '../testing/dicom-writer.js';
import { planCase } from './case-plan.js';
import { fieldExtreme, nestedSq } from './dicom-mutations.js';
import { walkDicom } from './dicom-walk.js';
import type { SeedFile } from './fuzz-types.js';
import { makeMutant } from './make-mutant.js';

const slice = ctSliceFixture({
  seriesUid: '1.2.826.0.1.3680043.8.498.7',
  instance: 1,
  positionMm: [0, 0, 0],
});
const seeds: SeedFile[] = [
  {
    kind: 'dicom-explicit-le',
    relativePath: 'fixture/a.dcm',
    sizeBytes: slice.length,
    folder: 'fixture',
  },
];
const sources = { seeds, bytesOf: () => slice };

describe('fuzz mutants', () => {
  it('walks the element headers of a Part 10 file: Rows at the top level, pixel data last', () => {
    const { elements, encoding } = walkDicom(slice);
    assert.deepEqual(encoding, { explicit: true, littleEndian: true });
    const rows = elements.find((h) => h.group === 0x0028 && h.element === 0x0010);
    assert.equal(rows?.vr, 'US');
    assert.equal(rows?.depth, 0);
    assert.equal(elements[elements.length - 1]?.group, 0x7fe0);
  });

  it('gives the same bytes for the same (seed, case), and other bytes for another case', () => {
    const a = makeMutant(planCase(seeds, 1, 7), sources);
    const b = makeMutant(planCase(seeds, 1, 7), sources);
    assert.deepEqual(a, b);
    const others = [8, 9, 10, 11].map((n) => makeMutant(planCase(seeds, 1, n), sources));
    assert.ok(others.some((m) => m.detail !== a.detail));
  });

  it('sets a field to an extreme that dicom-parser then reads', () => {
    for (let n = 0; n < 40; n++) {
      const out = fieldExtreme(slice, createRng(n));
      if (!out.detail.startsWith('Rows = 0')) continue;
      assert.equal(parseDicom(out.bytes).uint16('x00280010'), 0);
      return;
    }
    assert.fail('no Rows = 0 in 40 draws');
  });

  it('inserts a nested sequence that the walker finds at the drawn depth', () => {
    const out = nestedSq(slice, createRng(3));
    const depth = Number(/nested (\d+) deep/.exec(out.detail)?.[1]);
    const deepest = Math.max(...walkDicom(out.bytes, 1e6).elements.map((h) => h.depth));
    assert.ok(deepest >= Math.min(depth * 2 - 1, 64), `${out.detail}: depth ${deepest}`);
  });
});
