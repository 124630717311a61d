/**
 * One DICOM association with the service (dcmjs-dimse `Scp`): checks the called and calling AE
 * titles (a refusal is an A-ASSOCIATE-RJ: permanent, service user, "called/calling AE title not
 * recognized"), accepts Verification and every storage SOP class in the usual transfer syntaxes,
 * answers C-ECHO, and hands each C-STORE's data set, as a Part 10 file, to `onInstance`. A data
 * set that cannot be parsed or has no StudyInstanceUID is answered 0xC000 and not stored; a
 * failure to store it (e.g. a full disk), 0xA700. A peer that sends no byte for `idleTimeoutMs`
 * (silent after connecting, or stopped mid-data-set) is cut off: an A-ABORT when an association
 * is up, then the socket closed. The log names AE titles and counts only, never a data set.
 */
import type { Socket } from 'node:net';
import type { Writable } from 'node:stream';
import { isUserInputError } from '../../core/errors.js';
import {
  ACCEPTED_TRANSFER_SYNTAXES,
  type Association,
  type CEchoRequest,
  type CStoreRequest,
  DIMSE_STATUS,
  Dataset,
  type PresentationContext,
  STORAGE_SOP_CLASS_PREFIX,
  Scp,
  VERIFICATION_SOP_CLASS,
  constants,
  responses,
} from './dimse-lib.js';
import { inspectInstance, toPart10 } from './part10.js';
import type { ServiceLog } from './service-log.js';
import type { ReceivedInstance } from './study-settler.js';

export interface StoreScpConfig {
  /** Our AE title; an association calling another one is refused. */
  readonly aeTitle: string;
  /** Calling AE titles allowed; empty: every one. */
  readonly allowedCallers: ReadonlySet<string>;
  readonly onInstance: (instance: ReceivedInstance) => void;
  readonly log: ServiceLog;
  /** No byte received for this long: the association is aborted. Default 60 s. */
  readonly idleTimeoutMs?: number;
}

export const DEFAULT_DICOM_IDLE_TIMEOUT_MS = 60_000;
/** After our A-ABORT, how long the peer has to read it before the socket is destroyed. */
const ABORT_LINGER_MS = 2_000;

const {
  AbortReason,
  AbortSource,
  PresentationContextResult,
  RejectReason,
  RejectResult,
  RejectSource,
} = constants;
/** ErrorComment (0000,0902) is an LO: at most 64 characters. */
const MAX_ERROR_COMMENT = 64;

export class StoreScp extends Scp {
  private callingAeTitle = '';
  private stored = 0;
  private refused = 0;
  /** The last C-STORE data set, as received, and its transfer syntax. */
  private received: { bytes: Uint8Array; transferSyntaxUid: string } | undefined;
  private readonly idleTimer: NodeJS.Timeout;

  constructor(
    private readonly socket: Socket,
    private readonly config: StoreScpConfig,
  ) {
    const idleMs = config.idleTimeoutMs ?? DEFAULT_DICOM_IDLE_TIMEOUT_MS;
    // The library's own socket timeout (any traffic) only as a backstop behind ours.
    super(socket, { associationTimeout: 30_000, pduTimeout: 60_000, connectTimeout: idleMs * 2 });
    this.idleTimer = setTimeout(() => this.idle(idleMs), idleMs);
    socket.on('data', () => this.idleTimer.refresh());
    socket.on('close', () => clearTimeout(this.idleTimer));
    this.on('close', () => this.closed());
  }

  override associationRequested(association: Association): void {
    const { aeTitle, allowedCallers, log } = this.config;
    const calling = association.getCallingAeTitle().trim();
    const called = association.getCalledAeTitle().trim();
    this.callingAeTitle = calling;
    if (called !== aeTitle) {
      log.warn({ callingAeTitle: calling, calledAeTitle: called }, 'dicom association refused');
      this.reject(RejectReason.CalledAeNotRecognized);
      return;
    }
    if (allowedCallers.size > 0 && !allowedCallers.has(calling)) {
      log.warn({ callingAeTitle: calling }, 'dicom association refused: caller not allowed');
      this.reject(RejectReason.CallingAeNotRecognized);
      return;
    }
    for (const { id } of association.getPresentationContexts()) {
      const context = association.getPresentationContext(id);
      const abstract = context.getAbstractSyntaxUid();
      if (abstract !== VERIFICATION_SOP_CLASS && !abstract.startsWith(STORAGE_SOP_CLASS_PREFIX)) {
        context.setResult(PresentationContextResult.RejectAbstractSyntaxNotSupported);
        continue;
      }
      const proposed = context.getTransferSyntaxUids();
      const chosen = ACCEPTED_TRANSFER_SYNTAXES.find((ts) => proposed.includes(ts));
      if (chosen) context.setResult(PresentationContextResult.Accept, chosen);
      else context.setResult(PresentationContextResult.RejectTransferSyntaxesNotSupported);
    }
    log.info({ callingAeTitle: calling }, 'dicom association accepted');
    this.sendAssociationAccept();
  }

  override associationReleaseRequested(): void {
    this.sendAssociationReleaseResponse();
  }

  override cEchoRequest(
    request: CEchoRequest,
    callback: (r: InstanceType<typeof responses.CEchoResponse>) => void,
  ): void {
    const response = responses.CEchoResponse.fromRequest(request);
    response.setStatus(DIMSE_STATUS.success);
    callback(response);
  }

  /** Keeps the data set's bytes as they came (dcmjs does not parse them). */
  override createDatasetFromStoreWritableStream(
    writable: Writable,
    context: PresentationContext,
    callback: (dataset: InstanceType<typeof Dataset>) => void,
  ): void {
    const bytes = (writable as Writable & { toBuffer(): Buffer }).toBuffer();
    const transferSyntaxUid = context.getAcceptedTransferSyntaxUid() ?? '';
    this.received = { bytes: new Uint8Array(bytes), transferSyntaxUid };
    callback(new Dataset({}, transferSyntaxUid));
  }

  override cStoreRequest(
    request: CStoreRequest,
    callback: (r: InstanceType<typeof responses.CStoreResponse>) => void,
  ): void {
    const response = responses.CStoreResponse.fromRequest(request);
    const received = this.received;
    this.received = undefined;
    const status = (code: number, comment?: string) => {
      response.setStatus(code);
      if (comment) response.setErrorComment(comment.slice(0, MAX_ERROR_COMMENT));
      if (code === DIMSE_STATUS.success) this.stored++;
      else this.refused++;
      callback(response);
    };
    if (!received) return status(DIMSE_STATUS.cannotUnderstand, 'no data set');
    let instance: ReceivedInstance;
    try {
      const file = toPart10({
        sopClassUid: request.getAffectedSopClassUid(),
        sopInstanceUid: request.getAffectedSopInstanceUid(),
        transferSyntaxUid: received.transferSyntaxUid,
        dataSet: received.bytes,
      });
      instance = { ...inspectInstance(file), file, callingAeTitle: this.callingAeTitle };
    } catch (e) {
      const reason = isUserInputError(e) ? e.message : 'cannot parse the data set';
      this.config.log.warn(
        { callingAeTitle: this.callingAeTitle, reason },
        'dicom instance refused: cannot understand',
      );
      return status(DIMSE_STATUS.cannotUnderstand, reason);
    }
    try {
      this.config.onInstance(instance);
    } catch (e) {
      this.config.log.error(
        { error: e instanceof Error ? e.message : String(e) },
        'dicom instance not stored',
      );
      return status(DIMSE_STATUS.outOfResources, 'the instance could not be stored');
    }
    status(DIMSE_STATUS.success);
  }

  override abort(): void {
    this.config.log.warn({ callingAeTitle: this.callingAeTitle }, 'dicom association aborted');
  }

  /** No byte for `idleMs`: A-ABORT (when an association is up; else none), then closed. */
  private idle(idleMs: number): void {
    this.config.log.warn(
      { ...(this.callingAeTitle && { callingAeTitle: this.callingAeTitle }), idleS: idleMs / 1000 },
      'dicom association idle: aborted',
    );
    try {
      this.sendAbort(AbortSource.ServiceProvider, AbortReason.NotSpecified);
    } catch {
      // The socket is gone already: nothing to tell.
    }
    this.socket.end();
    setTimeout(() => this.socket.destroy(), ABORT_LINGER_MS).unref();
  }

  private reject(reason: number): void {
    this.sendAssociationReject(RejectResult.Permanent, RejectSource.ServiceUser, reason);
  }

  private closed(): void {
    if (this.stored + this.refused === 0) return;
    this.config.log.info(
      { callingAeTitle: this.callingAeTitle, stored: this.stored, refused: this.refused },
      'dicom association closed',
    );
  }
}
