/** multipart/related: media types, parts of binary bodies (RFC 2046 §5.1), the writer. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  MultipartError,
  multipartStream,
  parseMediaType,
  parseMultipart,
} from './multipart-related.js';

describe('multipart/related', () => {
  it('parses a media type with quoted and plain parameters', () => {
    const m = parseMediaType('Multipart/Related; type="application/dicom"; boundary="a;b=c"');
    assert.equal(m.essence, 'multipart/related');
    assert.deepEqual(m.params, { type: 'application/dicom', boundary: 'a;b=c' });
    assert.deepEqual(parseMediaType('').essence, '');
  });

  it('splits a binary body: preamble, padding, CRLF inside a part, epilogue', () => {
    const binary = Buffer.from([0, 13, 10, 45, 45, 255, 13, 10]); // NUL, CRLF, "--", 0xff, CRLF
    const body = Buffer.concat([
      Buffer.from('preamble\r\n--sep  \r\nContent-Type: application/dicom\r\n\r\n'),
      binary,
      Buffer.from('\r\n--sep\r\n\r\nno headers\r\n--sep--\r\nepilogue'),
    ]);
    const parts = parseMultipart(body, 'sep');
    assert.equal(parts.length, 2);
    assert.equal(parts[0]?.headers['content-type'], 'application/dicom');
    assert.ok(Buffer.from(parts[0]!.body).equals(binary));
    assert.deepEqual(parts[1]?.headers, {});
    assert.equal(Buffer.from(parts[1]!.body).toString(), 'no headers');
  });

  it('refuses a body without its close delimiter, without parts, or with a bad boundary', () => {
    assert.throws(() => parseMultipart(Buffer.from('--b\r\n\r\nx'), 'b'), MultipartError);
    assert.throws(() => parseMultipart(Buffer.from('--b--\r\n'), 'b'), /no parts/);
    assert.throws(() => parseMultipart(Buffer.from('nothing here'), 'b'), MultipartError);
    assert.throws(() => parseMultipart(Buffer.from('--b\r\n\r\nx\r\n--b--'), ''), /boundary/);
  });

  it('writes parts that it reads back', async () => {
    const payloads = [new Uint8Array([1, 2, 3]), new Uint8Array(0), Buffer.from('\r\n--x\r\n')];
    const out = multipartStream(
      'application/dicom',
      payloads.map((p) => ({ contentType: 'application/dicom', bytes: () => p })),
    );
    const chunks: Buffer[] = [];
    for await (const chunk of out.stream) chunks.push(chunk as Buffer);
    const m = parseMediaType(out.contentType);
    assert.equal(m.params.type, 'application/dicom');
    const parts = parseMultipart(Buffer.concat(chunks), m.params.boundary ?? '');
    assert.deepEqual(
      parts.map((p) => [...p.body]),
      payloads.map((p) => [...p]),
    );
  });
});
