/**
 * NIfTI header fields at extremes: dim[], pixdim[], datatype/bitpix, vox_offset, scl_slope and
 * scl_inter, qform/sform codes and parameters, in NIfTI-1 or NIfTI-2, either endianness; a
 * gzipped file is inflated, changed and gzipped again.
 */
import { gunzipSync, gzipSync } from 'fflate';
import type { Rng } from '../core/random.js';

export interface NiftiMutation {
  readonly bytes: Uint8Array;
  readonly detail: string;
}

type Slot = 'i16' | 'i32' | 'i64' | 'f32' | 'f64';

interface Field {
  readonly name: string;
  /** Byte offset in NIfTI-1 and NIfTI-2, and the type in each. */
  readonly v1: readonly [number, Slot];
  readonly v2: readonly [number, Slot];
  readonly values: readonly number[];
}

const SIZES = [0, -1, 1, 2, 32767, -32768, 65535, 2 ** 31, 2 ** 40];
const SPACINGS = [0, 1e-300, 1e-40, 1e-20, 1e20, 1e38, 1e300, -1, NaN, Infinity];
const SCALES = [0, NaN, Infinity, -Infinity, 1e38, -1e-300, 1e300];

function fields(): Field[] {
  const out: Field[] = [
    { name: 'dim[0]', v1: [40, 'i16'], v2: [16, 'i64'], values: [0, -1, 1, 2, 8, 9, 32767] },
  ];
  for (let k = 1; k <= 7; k++)
    out.push({
      name: `dim[${k}]`,
      v1: [40 + 2 * k, 'i16'],
      v2: [16 + 8 * k, 'i64'],
      values: SIZES,
    });
  for (let k = 0; k <= 7; k++)
    out.push({
      name: `pixdim[${k}]`,
      v1: [76 + 4 * k, 'f32'],
      v2: [104 + 8 * k, 'f64'],
      values: SPACINGS,
    });
  out.push(
    {
      name: 'datatype',
      v1: [70, 'i16'],
      v2: [12, 'i16'],
      values: [0, 1, 3, 32, 128, 1536, 1792, 2304, 32767, -1],
    },
    { name: 'bitpix', v1: [72, 'i16'], v2: [14, 'i16'], values: [0, 1, 7, 64, -8, 32767] },
    {
      name: 'vox_offset',
      v1: [108, 'f32'],
      v2: [168, 'i64'],
      values: [0, -1, 1e20, NaN, 351, 353, 2 ** 31, 2 ** 40],
    },
    { name: 'scl_slope', v1: [112, 'f32'], v2: [176, 'f64'], values: SCALES },
    { name: 'scl_inter', v1: [116, 'f32'], v2: [184, 'f64'], values: SCALES },
    { name: 'qform_code', v1: [252, 'i16'], v2: [344, 'i32'], values: [-1, 0, 1, 5, 32767] },
    { name: 'sform_code', v1: [254, 'i16'], v2: [348, 'i32'], values: [-1, 0, 1, 5, 32767] },
    { name: 'quatern_b', v1: [256, 'f32'], v2: [352, 'f64'], values: [NaN, 1e20, 2, -2, Infinity] },
    { name: 'qoffset_x', v1: [268, 'f32'], v2: [376, 'f64'], values: [NaN, 1e38, -Infinity] },
    {
      name: 'srow_x[0]',
      v1: [280, 'f32'],
      v2: [400, 'f64'],
      values: [0, NaN, 1e38, 1e-300, Infinity],
    },
  );
  return out;
}

const FIELDS = fields();

function setSlot(view: DataView, at: number, slot: Slot, value: number, le: boolean): void {
  if (slot === 'f32') view.setFloat32(at, value, le);
  else if (slot === 'f64') view.setFloat64(at, value, le);
  else if (slot === 'i16') view.setInt16(at, Number.isFinite(value) ? value : 0, le);
  else if (slot === 'i32') view.setInt32(at, Number.isFinite(value) ? value : 0, le);
  else view.setBigInt64(at, BigInt(Number.isFinite(value) ? Math.trunc(value) : 0), le);
}

/** NIfTI version and endianness from sizeof_hdr, or undefined when the bytes are not NIfTI. */
function headerKind(bytes: Uint8Array): { version: 1 | 2; littleEndian: boolean } | undefined {
  if (bytes.length < 348) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  for (const le of [true, false]) {
    const size = view.getInt32(0, le);
    if (size === 348) return { version: 1, littleEndian: le };
    if (size === 540 && bytes.length >= 540) return { version: 2, littleEndian: le };
  }
  return undefined;
}

/** Sets one or two header fields to extremes. */
export function niftiFieldExtreme(bytes: Uint8Array, rng: Rng, gzipped: boolean): NiftiMutation {
  let raw: Uint8Array;
  try {
    raw = gzipped ? gunzipSync(bytes) : bytes.slice();
  } catch {
    return { bytes: bytes.slice(), detail: 'seed does not inflate: unchanged' };
  }
  const kind = headerKind(raw);
  if (!kind) return { bytes: bytes.slice(), detail: 'seed is not NIfTI: unchanged' };
  const view = new DataView(raw.buffer, raw.byteOffset, raw.length);
  const changes: string[] = [];
  for (let n = rng.chance(0.25) ? 2 : 1; n > 0; n--) {
    const field = rng.pick(FIELDS);
    const value = rng.pick(field.values);
    const [at, slot] = kind.version === 1 ? field.v1 : field.v2;
    setSlot(view, at, slot, value, kind.littleEndian);
    changes.push(`${field.name} = ${value}`);
  }
  const detail = `NIfTI-${kind.version} ${changes.join(', ')}`;
  return { bytes: gzipped ? gzipSync(raw, { level: 1 }) : raw, detail };
}
