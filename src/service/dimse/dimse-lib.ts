/**
 * dcmjs-dimse (the DIMSE library) as ES names. Its bundle is CommonJS with one `module.exports`
 * object, so Node's ESM loader gives it as the default export only. Its own log (loglevel) is
 * silenced: the service logs associations itself, by AE title and counts, never a data set.
 */
import dimse, { type association, type requests as requestTypes } from 'dcmjs-dimse';

dimse.log.setLevel('silent');

export const { Client, Dataset, Scp, constants, requests, responses } = dimse;
export type Association = association.Association;
export type PresentationContext = association.PresentationContext;
export type CStoreRequest = requestTypes.CStoreRequest;
export type CEchoRequest = requestTypes.CEchoRequest;

/** The Verification SOP Class (C-ECHO). */
export const VERIFICATION_SOP_CLASS = '1.2.840.10008.1.1';
/** Every storage SOP class (CT, MR, Enhanced MR, SEG, SR, secondary capture…) starts so. */
export const STORAGE_SOP_CLASS_PREFIX = '1.2.840.10008.5.1.4.1.1.';

/** DIMSE status codes the service sends. */
export const DIMSE_STATUS = {
  success: 0x0000,
  /** Storage "Error: cannot understand". */
  cannotUnderstand: 0xc000,
  /** Storage "Refused: out of resources". */
  outOfResources: 0xa700,
} as const;

/** Transfer syntaxes accepted for storage, most preferred first (uncompressed first). */
export const ACCEPTED_TRANSFER_SYNTAXES: readonly string[] = [
  '1.2.840.10008.1.2.1', // explicit VR little endian
  '1.2.840.10008.1.2', // implicit VR little endian
  '1.2.840.10008.1.2.4.70', // JPEG lossless SV1
  '1.2.840.10008.1.2.4.57', // JPEG lossless
  '1.2.840.10008.1.2.4.80', // JPEG-LS lossless
  '1.2.840.10008.1.2.4.90', // JPEG 2000 lossless
  '1.2.840.10008.1.2.5', // RLE lossless
  '1.2.840.10008.1.2.1.99', // deflated explicit VR little endian
  '1.2.840.10008.1.2.2', // explicit VR big endian (retired)
  '1.2.840.10008.1.2.4.81', // JPEG-LS near-lossless
  '1.2.840.10008.1.2.4.91', // JPEG 2000
  '1.2.840.10008.1.2.4.50', // JPEG baseline
  '1.2.840.10008.1.2.4.51', // JPEG extended
];
