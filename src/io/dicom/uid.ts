/**
 * UIDs for the DICOM objects NeuroTriage creates, and DICOM date/time strings.
 *
 * New objects get UUID-derived UIDs (PS3.5 B.2: "2.25." + the UUID as one decimal integer),
 * which need no registered root and are unique without coordination. `uidFromName` gives a
 * stable UID for a named thing (e.g. a model as a device observer): a name-based UUID (RFC 4122
 * version 5, SHA-1) in the same form. No Node module: runs in a browser or worker unchanged
 * (`crypto.randomUUID` is global in Node ≥ 19 and browsers).
 */
import { sha1 } from './sha1.js';

const NAMESPACE = 'neurotriage.dicom';

function uuidHexToUid(hex: string): string {
  return `2.25.${BigInt(`0x${hex}`).toString(10)}`;
}

/** A fresh UID (random UUID, version 4). */
export function randomUid(): string {
  return uuidHexToUid(globalThis.crypto.randomUUID().replace(/-/g, ''));
}

/** The same UID for the same name, always (name-based UUID, version 5). */
export function uidFromName(name: string): string {
  const bytes = sha1(new TextEncoder().encode(`${NAMESPACE}:${name}`)).subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  return uuidHexToUid(Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(''));
}

/** DA (YYYYMMDD) and TM (HHMMSS) of a moment, in local time as DICOM expects. */
export function dicomDateTime(at: Date): { date: string; time: string } {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return {
    date: `${p(at.getFullYear(), 4)}${p(at.getMonth() + 1)}${p(at.getDate())}`,
    time: `${p(at.getHours())}${p(at.getMinutes())}${p(at.getSeconds())}`,
  };
}
