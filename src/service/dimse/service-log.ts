/** The part of the service's logger (Fastify's pino) that the DICOM side uses. */
export interface ServiceLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export const SILENT_LOG: ServiceLog = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
