/**
 * Fallback for JPEG streams the other codecs cannot read, chiefly 12-bit lossy JPEG
 * (1.2.840.10008.1.2.4.51 "JPEG Extended"): GDCM compiled to wasm (@itk-wasm/image-io), run
 * offline from the installed package. GDCM reads files, so the frames are wrapped in a minimal
 * Part 10 file (no rescale, no LUTs: the stored values come back) written to a temp folder.
 * One call decodes every frame: the wasm module is loaded per call, which costs ~0.3 s.
 * Node only; importing this module registers it as the JPEG fallback (jpeg-fallback.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FormatError } from '../../../core/errors.js';
import { registerJpegFallback } from './jpeg-fallback.js';
import type { FrameDescription, SampleArray } from './types.js';

interface ItkImage {
  size: number[];
  data: SampleArray | Float32Array | Float64Array | null;
  imageType: { components: number; componentType: string };
}
type GdcmRead = (path: string) => Promise<{ couldRead: unknown; image: ItkImage }>;

let gdcmRead: Promise<GdcmRead> | undefined;

function loadGdcm(): Promise<GdcmRead> {
  // A variable specifier: the package ships no resolvable type declarations for Node.
  const specifier = '@itk-wasm/image-io';
  gdcmRead ??= (import(specifier) as Promise<{ gdcmReadImageNode: GdcmRead }>).then(
    (m) => m.gdcmReadImageNode,
  );
  return gdcmRead;
}

class Writer {
  private chunks: Uint8Array[] = [];
  length = 0;
  bytes(b: Uint8Array): void {
    this.chunks.push(b);
    this.length += b.length;
  }
  u16(v: number): void {
    const b = new Uint8Array(2);
    new DataView(b.buffer).setUint16(0, v, true);
    this.bytes(b);
  }
  u32(v: number): void {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v, true);
    this.bytes(b);
  }
  tag(group: number, element: number): void {
    this.u16(group);
    this.u16(element);
  }
  /** Explicit VR little endian element with a short (16-bit length) VR. */
  short(group: number, element: number, vr: string, value: Uint8Array): void {
    this.tag(group, element);
    this.bytes(new TextEncoder().encode(vr));
    this.u16(value.length);
    this.bytes(value);
  }
  text(group: number, element: number, vr: string, value: string, pad = ' '): void {
    const s = value.length % 2 === 1 ? value + pad : value;
    this.short(group, element, vr, new TextEncoder().encode(s));
  }
  us(group: number, element: number, value: number): void {
    const b = new Uint8Array(2);
    new DataView(b.buffer).setUint16(0, value, true);
    this.short(group, element, 'US', b);
  }
  concat(): Uint8Array {
    const out = new Uint8Array(this.length);
    let o = 0;
    for (const c of this.chunks) {
      out.set(c, o);
      o += c.length;
    }
    return out;
  }
}

/** A minimal Part 10 file holding `frames` (one fragment each) with transfer syntax `ts`. */
export function wrapFramesAsDicom(
  frames: Uint8Array[],
  info: FrameDescription,
  ts: string,
): Uint8Array {
  const sopClass = '1.2.840.10008.5.1.4.1.1.7'; // Secondary Capture
  const sopInstance = '1.2.826.0.1.3680043.2.1125.1';
  const meta = new Writer();
  meta.tag(0x0002, 0x0001);
  meta.bytes(new TextEncoder().encode('OB'));
  meta.u16(0);
  meta.u32(2);
  meta.bytes(new Uint8Array([0, 1]));
  meta.text(0x0002, 0x0002, 'UI', sopClass, '\0');
  meta.text(0x0002, 0x0003, 'UI', sopInstance, '\0');
  meta.text(0x0002, 0x0010, 'UI', ts, '\0');
  const metaBytes = meta.concat();

  const w = new Writer();
  w.bytes(new Uint8Array(128));
  w.bytes(new TextEncoder().encode('DICM'));
  const groupLength = new Uint8Array(4);
  new DataView(groupLength.buffer).setUint32(0, metaBytes.length, true);
  w.short(0x0002, 0x0000, 'UL', groupLength);
  w.bytes(metaBytes);
  w.text(0x0008, 0x0016, 'UI', sopClass, '\0');
  w.text(0x0008, 0x0018, 'UI', sopInstance, '\0');
  w.us(0x0028, 0x0002, info.samplesPerPixel);
  w.text(0x0028, 0x0004, 'CS', info.photometricInterpretation);
  if (info.samplesPerPixel > 1) w.us(0x0028, 0x0006, 0);
  w.text(0x0028, 0x0008, 'IS', String(frames.length));
  w.us(0x0028, 0x0010, info.rows);
  w.us(0x0028, 0x0011, info.columns);
  w.us(0x0028, 0x0100, info.bitsAllocated);
  w.us(0x0028, 0x0101, info.bitsStored);
  w.us(0x0028, 0x0102, info.bitsStored - 1);
  w.us(0x0028, 0x0103, info.pixelRepresentation);
  w.tag(0x7fe0, 0x0010);
  w.bytes(new TextEncoder().encode('OB'));
  w.u16(0);
  w.u32(0xffffffff);
  w.tag(0xfffe, 0xe000); // empty basic offset table
  w.u32(0);
  for (const frame of frames) {
    const padded = frame.length % 2 === 1 ? frame.length + 1 : frame.length;
    w.tag(0xfffe, 0xe000);
    w.u32(padded);
    w.bytes(frame);
    if (padded !== frame.length) w.bytes(new Uint8Array(1));
  }
  w.tag(0xfffe, 0xe0dd);
  w.u32(0);
  return w.concat();
}

/** Decodes JPEG `frames` with GDCM; returns one interleaved sample array per frame. */
export async function decodeWithGdcm(
  frames: Uint8Array[],
  info: FrameDescription,
  ts: string,
): Promise<SampleArray[]> {
  const read = await loadGdcm();
  const dir = mkdtempSync(join(tmpdir(), 'neurotriage-gdcm-'));
  try {
    const path = join(dir, 'frames.dcm');
    writeFileSync(path, wrapFramesAsDicom(frames, info, ts));
    let result: Awaited<ReturnType<GdcmRead>>;
    // GDCM and its JPEG libraries print refusals and warnings through console (bound when the
    // module is created, during this call): collect them instead of printing, so a corrupt
    // frame becomes one clear refusal rather than lines of codec noise.
    const printed: string[] = [];
    const saved = { log: console.log, warn: console.warn, error: console.error };
    const collect = (...args: unknown[]): void => void printed.push(args.map(String).join(' '));
    console.log = console.warn = console.error = collect;
    try {
      result = await read(path);
    } catch (e) {
      const why = codecComplaint(printed) ?? (e instanceof Error ? e.message : String(e));
      throw new FormatError(`JPEG frame cannot be decoded by GDCM (${why.split('\n')[0]})`);
    } finally {
      Object.assign(console, saved);
    }
    // libjpeg recovers from a damaged stream with a warning and returns garbage pixels.
    const corrupt = printed.find((line) => /Corrupt JPEG data|Premature end of JPEG/i.test(line));
    if (corrupt) throw new FormatError(`JPEG frame is corrupt (${corrupt.trim()})`);
    const data = result.image?.data;
    const perFrame = info.rows * info.columns * info.samplesPerPixel;
    if (!result.couldRead || !data || data.length !== perFrame * frames.length)
      throw new FormatError('JPEG frame cannot be decoded by GDCM');
    if (data instanceof Float32Array || data instanceof Float64Array)
      throw new FormatError('GDCM returned floating-point samples for a JPEG frame');
    return frames.map((_, i) => data.slice(i * perFrame, (i + 1) * perFrame));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The codec's own reason for a failure: the first printed line that is not GDCM trying its 8-bit library. */
function codecComplaint(printed: readonly string[]): string | undefined {
  return printed
    .flatMap((p) => p.split('\n'))
    .map((line) => line.replace(/^(stdout|stderr):\s*/, '').trim())
    .find(
      (line) =>
        line !== '' &&
        !/Unsupported JPEG data precision|Invalid SOS parameters|Exception while running|Build module in Debug/.test(
          line,
        ),
    );
}

registerJpegFallback(decodeWithGdcm);
