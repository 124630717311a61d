/**
 * Decodes the Pixel Data of a parsed DICOM data set into one typed array per frame, for the
 * native transfer syntaxes (implicit/explicit little endian, deflated, explicit big endian) and
 * the compressed ones: RLE, JPEG baseline/extended/lossless, JPEG-LS, JPEG 2000. Values are the
 * stored values (no rescale), typed by Pixel Representation and sign-extended when Bits Stored
 * is less than Bits Allocated. Colour is interleaved.
 */
import type { DataSet, Element } from 'dicom-parser';
import { FormatError } from '../../core/errors.js';
import {
  TS_DEFLATED_LE,
  TS_EXPLICIT_BE,
  TS_EXPLICIT_LE,
  TS_IMPLICIT_LE,
  transferSyntaxOf,
} from './parse-dicom.js';
import { encapsulatedFrames } from './codecs/encapsulated.js';
import { jpegFallback } from './codecs/jpeg-fallback.js';
import { decodeJpeg2000 } from './codecs/jpeg-2000.js';
import { decodeJpegBaseline } from './codecs/jpeg-baseline.js';
import { decodeJpegLossless } from './codecs/jpeg-lossless.js';
import { decodeJpegLs } from './codecs/jpeg-ls.js';
import { jpegPrecision } from './codecs/jpeg-precision.js';
import { nativeFrames } from './codecs/native.js';
import { decodeRle } from './codecs/rle.js';
import type { DecodedSamples, FrameDescription, SampleArray } from './codecs/types.js';

export type PixelArray =
  Int16Array | Uint16Array | Uint8Array | Int8Array | Int32Array | Uint32Array | Float32Array;

/** The frames of an image, each rows × columns × samplesPerPixel stored values (no rescale). */
export interface DecodedFrames extends FrameDescription {
  /** The colour space of the returned samples (a codec may have converted YCbCr to RGB). */
  photometricInterpretation: string;
  frames: PixelArray[];
}

const NATIVE = new Set([TS_IMPLICIT_LE, TS_EXPLICIT_LE, TS_DEFLATED_LE, TS_EXPLICIT_BE]);

type BatchDecoder = (
  frames: Uint8Array[],
  info: FrameDescription,
  ts: string,
) => Promise<DecodedSamples[]>;

const perFrame =
  (
    decode: (frame: Uint8Array, info: FrameDescription) => DecodedSamples | Promise<DecodedSamples>,
  ): BatchDecoder =>
  async (frames, info) => {
    const out: DecodedSamples[] = [];
    for (const frame of frames) out.push(await decode(frame, info));
    return out;
  };

/** Lossy JPEG: libjpeg-turbo for 8-bit streams, GDCM (wasm) for 12-bit ones. */
const decodeLossyJpeg: BatchDecoder = async (frames, info, ts) => {
  if (frames.every((f) => (jpegPrecision(f) ?? 8) <= 8))
    return perFrame(decodeJpegBaseline)(frames, info, ts);
  const samples = await jpegFallback()(frames, info, ts);
  const pi = info.samplesPerPixel === 3 ? { photometricInterpretation: 'RGB' } : {};
  return samples.map((s) => ({ samples: s, ...pi }));
};

interface Codec {
  name: string;
  decode: BatchDecoder;
  /** Frames end with an FFD9 marker (JPEG EOI / JPEG 2000 EOC), so fragment ends mark frames. */
  endsWithEoiMarker: boolean;
}

const CODECS: Record<string, Codec> = {
  '1.2.840.10008.1.2.5': {
    name: 'RLE Lossless',
    decode: perFrame(decodeRle),
    endsWithEoiMarker: false,
  },
  '1.2.840.10008.1.2.4.50': {
    name: 'JPEG Baseline',
    decode: decodeLossyJpeg,
    endsWithEoiMarker: true,
  },
  '1.2.840.10008.1.2.4.51': {
    name: 'JPEG Extended',
    decode: decodeLossyJpeg,
    endsWithEoiMarker: true,
  },
  '1.2.840.10008.1.2.4.57': {
    name: 'JPEG Lossless',
    decode: perFrame(decodeJpegLossless),
    endsWithEoiMarker: true,
  },
  '1.2.840.10008.1.2.4.70': {
    name: 'JPEG Lossless SV1',
    decode: perFrame(decodeJpegLossless),
    endsWithEoiMarker: true,
  },
  '1.2.840.10008.1.2.4.80': {
    name: 'JPEG-LS Lossless',
    decode: perFrame(decodeJpegLs),
    endsWithEoiMarker: true,
  },
  '1.2.840.10008.1.2.4.81': {
    name: 'JPEG-LS Near-lossless',
    decode: perFrame(decodeJpegLs),
    endsWithEoiMarker: true,
  },
  '1.2.840.10008.1.2.4.90': {
    name: 'JPEG 2000 Lossless',
    decode: perFrame(decodeJpeg2000),
    endsWithEoiMarker: true,
  },
  '1.2.840.10008.1.2.4.91': {
    name: 'JPEG 2000',
    decode: perFrame(decodeJpeg2000),
    endsWithEoiMarker: true,
  },
};

/** Transfer syntaxes `decodeFrames` can read. */
export const SUPPORTED_TRANSFER_SYNTAXES: readonly string[] = [...NATIVE, ...Object.keys(CODECS)];

function requiredUint16(dataSet: DataSet, tag: string, name: string): number {
  const value = dataSet.uint16(tag);
  if (value === undefined) throw new FormatError(`DICOM image without ${name} ${tag}`);
  return value;
}

type OutputConstructor = new (length: number) => PixelArray;

function outputType(bitsAllocated: number, signed: boolean, float: boolean): OutputConstructor {
  if (float) return Float32Array;
  if (bitsAllocated <= 8) return signed && bitsAllocated === 8 ? Int8Array : Uint8Array;
  if (bitsAllocated === 16) return signed ? Int16Array : Uint16Array;
  if (bitsAllocated === 32) return signed ? Int32Array : Uint32Array;
  throw new FormatError(`${bitsAllocated} bits allocated is not supported`);
}

/** Copies into the output type (wrapping, so unsigned bit patterns become signed) and sign-extends. */
function finishFrame(
  samples: SampleArray | Float32Array,
  Out: OutputConstructor,
  length: number,
  signExtendBits: number | undefined,
): PixelArray {
  if (samples.length < length)
    throw new FormatError(`decoded frame has ${samples.length} samples, expected ${length}`);
  const out = samples instanceof Out && samples.length === length ? samples : new Out(length);
  if (out !== samples) out.set(samples.subarray(0, length));
  if (signExtendBits !== undefined) {
    const shift = 32 - signExtendBits;
    for (let i = 0; i < out.length; i++) out[i] = ((out[i] ?? 0) << shift) >> shift;
  }
  return out;
}

function pixelElement(dataSet: DataSet): { element: Element; float: boolean } {
  const integer = dataSet.elements.x7fe00010;
  if (integer !== undefined) return { element: integer, float: false };
  const float = dataSet.elements.x7fe00008;
  if (float !== undefined) return { element: float, float: true };
  if (dataSet.elements.x7fe00009 !== undefined)
    throw new FormatError('Double Float Pixel Data (7FE0,0009) is not supported');
  throw new FormatError('DICOM file has no pixel data (7FE0,0010)');
}

/** Decodes every frame of the data set's Pixel Data. Throws `FormatError` for what it cannot read. */
export async function decodeFrames(dataSet: DataSet): Promise<DecodedFrames> {
  const { element: pixel, float } = pixelElement(dataSet);
  const rows = requiredUint16(dataSet, 'x00280010', 'Rows');
  const columns = requiredUint16(dataSet, 'x00280011', 'Columns');
  const bitsAllocated = requiredUint16(dataSet, 'x00280100', 'Bits Allocated');
  const bitsStored = dataSet.uint16('x00280101') ?? bitsAllocated;
  const samplesPerPixel = dataSet.uint16('x00280002') ?? 1;
  const pixelRepresentation: 0 | 1 = dataSet.uint16('x00280103') === 1 ? 1 : 0;
  const planarConfiguration = dataSet.uint16('x00280006') ?? 0;
  const photometricInterpretation = (
    dataSet.string('x00280004') ?? (samplesPerPixel === 3 ? 'RGB' : 'MONOCHROME2')
  )
    .replace(/\0/g, '')
    .trim();
  const frameCount = Math.max(1, dataSet.intString('x00280008') ?? 1);
  if (rows === 0 || columns === 0)
    throw new FormatError(`DICOM image of ${columns}×${rows} pixels`);
  if (bitsStored > bitsAllocated || bitsStored === 0)
    throw new FormatError(
      `Bits Stored ${bitsStored} does not fit in Bits Allocated ${bitsAllocated}`,
    );
  const info: FrameDescription = {
    rows,
    columns,
    samplesPerPixel,
    bitsAllocated,
    bitsStored,
    pixelRepresentation,
    photometricInterpretation,
  };
  const ts = transferSyntaxOf(dataSet);

  let decoded: Array<SampleArray | Float32Array>;
  let outPhotometric: string;
  if (NATIVE.has(ts)) {
    if (pixel.encapsulatedPixelData)
      throw new FormatError(`encapsulated pixel data under native transfer syntax ${ts}`);
    const native = nativeFrames(dataSet, pixel, {
      ...info,
      planarConfiguration,
      frameCount,
      bigEndian: ts === TS_EXPLICIT_BE,
      float,
    });
    decoded = native.frames;
    outPhotometric = native.photometricInterpretation;
  } else {
    const codec = CODECS[ts];
    if (codec === undefined) throw new FormatError(`unsupported transfer syntax ${ts}`);
    if (!pixel.encapsulatedPixelData)
      throw new FormatError(`${codec.name} (${ts}) pixel data is not encapsulated`);
    const encoded = encapsulatedFrames(dataSet, pixel, frameCount, codec);
    const results = await codec.decode(encoded, info, ts);
    decoded = results.map((r) => r.samples);
    outPhotometric = results[0]?.photometricInterpretation ?? photometricInterpretation;
  }

  const Out = outputType(bitsAllocated, pixelRepresentation === 1, float);
  const length = rows * columns * samplesPerPixel;
  const signExtendBits =
    pixelRepresentation === 1 && !float && bitsStored < bitsAllocated && bitsAllocated > 1
      ? bitsStored
      : undefined;
  return {
    rows,
    columns,
    samplesPerPixel,
    bitsAllocated,
    bitsStored,
    pixelRepresentation,
    photometricInterpretation: outPhotometric,
    frames: decoded.map((frame) => finishFrame(frame, Out, length, signExtendBits)),
  };
}
