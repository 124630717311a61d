/**
 * A zip archive written byte by byte (local headers, central directory, end record), so that
 * the fuzz harness can make what a zip tool would not: entries whose CRC or sizes lie, and
 * entries of pre-deflated data (bombs).
 */

export interface ZipEntrySpec {
  readonly name: string;
  /** Stored bytes (method 0) or raw deflate (method 8). */
  readonly data: Uint8Array;
  readonly method: 0 | 8;
  readonly crc32: number;
  readonly uncompressedBytes: number;
  /** Sizes written in the headers when they should lie (default: the true ones). */
  readonly declaredCompressedBytes?: number;
  readonly declaredUncompressedBytes?: number;
}

let table: Uint32Array | undefined;

export function crc32(bytes: Uint8Array): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let n = 0; n < bytes.length; n++) crc = table[(crc ^ bytes[n]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function header(signature: number, size: number): { bytes: Uint8Array; view: DataView } {
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, signature, true);
  return { bytes, view };
}

/** The bytes of a zip holding `entries`. */
export function writeZip(entries: readonly ZipEntrySpec[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = new TextEncoder().encode(e.name);
    const compressed = e.declaredCompressedBytes ?? e.data.length;
    const uncompressed = e.declaredUncompressedBytes ?? e.uncompressedBytes;
    const local = header(0x04034b50, 30 + name.length);
    local.view.setUint16(4, 20, true);
    local.view.setUint16(8, e.method, true);
    local.view.setUint32(14, e.crc32, true);
    local.view.setUint32(18, compressed, true);
    local.view.setUint32(22, uncompressed, true);
    local.view.setUint16(26, name.length, true);
    local.bytes.set(name, 30);
    const dir = header(0x02014b50, 46 + name.length);
    dir.view.setUint16(4, 20, true);
    dir.view.setUint16(6, 20, true);
    dir.view.setUint16(10, e.method, true);
    dir.view.setUint32(16, e.crc32, true);
    dir.view.setUint32(20, compressed, true);
    dir.view.setUint32(24, uncompressed, true);
    dir.view.setUint16(28, name.length, true);
    dir.view.setUint32(42, offset, true);
    dir.bytes.set(name, 46);
    parts.push(local.bytes, e.data);
    central.push(dir.bytes);
    offset += local.bytes.length + e.data.length;
  }
  const centralBytes = central.reduce((n, c) => n + c.length, 0);
  const end = header(0x06054b50, 22);
  end.view.setUint16(8, entries.length, true);
  end.view.setUint16(10, entries.length, true);
  end.view.setUint32(12, centralBytes, true);
  end.view.setUint32(16, offset, true);
  const all = [...parts, ...central, end.bytes];
  const out = new Uint8Array(all.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of all) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
