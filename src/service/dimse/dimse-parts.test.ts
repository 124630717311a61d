/** The DICOM side's pure parts: AE titles, push destinations, received data sets as Part 10. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isUserInputError } from '../../core/errors.js';
import { smallHeadCtDicom } from '../test-fixtures.js';
import { checkAeTitle, destinationName, parseDestination } from './ae-title.js';
import { inspectInstance, toPart10 } from './part10.js';

describe('DICOM parts', () => {
  it('checks AE titles and parses AE@host:port destinations', () => {
    assert.equal(checkAeTitle(' PACS '), 'PACS');
    for (const bad of ['', '   ', 'A'.repeat(17), 'A\\B'])
      assert.throws(() => checkAeTitle(bad), isUserInputError, bad);
    const d = parseDestination('PACS@10.0.0.5:104');
    assert.deepEqual(d, { aeTitle: 'PACS', host: '10.0.0.5', port: 104 });
    assert.equal(destinationName(d), 'PACS@10.0.0.5:104');
    assert.deepEqual(parseDestination('X@[::1]:11112'), { aeTitle: 'X', host: '::1', port: 11112 });
    for (const bad of ['PACS', 'PACS@host', '@h:1', 'P@h:0', 'P@h:70000'])
      assert.throws(() => parseDestination(bad), isUserInputError, bad);
  });

  it('wraps a received data set as Part 10 and finds its study; refuses garbage', () => {
    const file = smallHeadCtDicom('parts')[0]!;
    const original = inspectInstance(file);
    // The data set after the original meta header, as a C-STORE carries it.
    const metaEnd =
      132 + 12 + new DataView(file.buffer, file.byteOffset + 140, 4).getUint32(0, true);
    const wrapped = toPart10({
      sopClassUid: '1.2.840.10008.5.1.4.1.1.2',
      sopInstanceUid: original.sopInstanceUid,
      transferSyntaxUid: '1.2.840.10008.1.2.1',
      dataSet: file.subarray(metaEnd),
    });
    assert.deepEqual(inspectInstance(wrapped), original);
    const garbage = toPart10({
      sopClassUid: '1.2.840.10008.5.1.4.1.1.2',
      sopInstanceUid: '1.2.3',
      transferSyntaxUid: '1.2.840.10008.1.2.1',
      dataSet: new TextEncoder().encode('not DICOM at all '.repeat(10)),
    });
    assert.throws(() => inspectInstance(garbage), isUserInputError);
  });
});
