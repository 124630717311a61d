/**
 * The C-STORE SCP's idle timeout (`idleTimeoutMs`, here 1 s): a raw TCP client that sends half an
 * A-ASSOCIATE-RQ and then nothing is disconnected after the timeout; one whose association was
 * accepted and then goes silent gets an A-ABORT and is disconnected; `echoscu` still works
 * afterwards. The log names the calling AE title, nothing else of the peer.
 */
import assert from 'node:assert/strict';
import { type Socket, connect } from 'node:net';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { type TestService, startTestService } from '../test-fixtures.js';
import { runCommand } from './dimse-test-helpers.js';

const AE = 'NEUROTRIAGE';
const IDLE_MS = 1000;

/** An item of an A-ASSOCIATE-RQ: type, reserved, 16-bit length, value. */
function item(type: number, value: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt8(type, 0);
  head.writeUInt16BE(value.length, 2);
  return Buffer.concat([head, value]);
}

function aeTitle(title: string): Buffer {
  return Buffer.from(title.padEnd(16, ' '), 'ascii');
}

/** A complete A-ASSOCIATE-RQ (PS3.8 9.3.2) proposing Verification in Implicit VR Little Endian. */
function associateRq(calling: string): Buffer {
  const fixed = Buffer.concat([
    Buffer.from([0x00, 0x01, 0x00, 0x00]), // protocol version 1, reserved
    aeTitle(AE),
    aeTitle(calling),
    Buffer.alloc(32),
  ]);
  const maxLength = Buffer.alloc(4);
  maxLength.writeUInt32BE(16384);
  const body = Buffer.concat([
    fixed,
    item(0x10, Buffer.from('1.2.840.10008.3.1.1.1')),
    item(
      0x20,
      Buffer.concat([
        Buffer.from([0x01, 0x00, 0x00, 0x00]),
        item(0x30, Buffer.from('1.2.840.10008.1.1')),
        item(0x40, Buffer.from('1.2.840.10008.1.2')),
      ]),
    ),
    item(0x50, item(0x51, maxLength)),
  ]);
  const head = Buffer.alloc(6);
  head.writeUInt8(0x01, 0);
  head.writeUInt32BE(body.length, 2);
  return Buffer.concat([head, body]);
}

interface Silent {
  /** Everything the service sent. */
  readonly received: Buffer;
  /** From the last byte sent to the socket's close. */
  readonly closedAfterMs: number;
}

/** Connects, sends `bytes`, then stays silent until the service closes the connection. */
function sendThenWait(port: number, bytes: Buffer): Promise<Silent> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let sentAt = 0;
    const socket: Socket = connect(port, '127.0.0.1', () => {
      socket.write(bytes, () => (sentAt = performance.now()));
    });
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', () => undefined); // a reset after the abort is fine
    socket.on('close', () =>
      resolve({ received: Buffer.concat(chunks), closedAfterMs: performance.now() - sentAt }),
    );
    setTimeout(() => {
      socket.destroy();
      reject(new Error('still connected after 20 s'));
    }, 20_000).unref();
  });
}

describe('the C-STORE SCP idle timeout', () => {
  let t: TestService;
  let port = 0;
  let log = '';

  before(async () => {
    t = await startTestService({
      workers: 0,
      logger: {
        level: 'info',
        stream: new Writable({
          write(chunk: Buffer, _encoding, done) {
            log += chunk.toString();
            done();
          },
        }),
      },
      dicom: { aeTitle: AE, port: 0, idleTimeoutMs: IDLE_MS },
    });
    port = t.service.dicomPort!;
  });

  after(async () => {
    await t?.service.close();
  });

  it('disconnects a client that sent half an A-ASSOCIATE-RQ and went silent', async () => {
    const silent = await sendThenWait(port, associateRq('HALFWAY').subarray(0, 40));
    assert.ok(
      silent.closedAfterMs >= IDLE_MS * 0.9,
      `not before the timeout (${silent.closedAfterMs} ms)`,
    );
    assert.ok(silent.closedAfterMs < IDLE_MS + 4000, `soon after it (${silent.closedAfterMs} ms)`);
    assert.equal(silent.received.length, 0, 'no association, so no A-ABORT');
    assert.match(log, /dicom association idle: aborted/);
  });

  it('aborts an accepted association that goes silent (A-ABORT), logged by AE title', async () => {
    const silent = await sendThenWait(port, associateRq('SILENT'));
    assert.equal(silent.received[0], 0x02, 'A-ASSOCIATE-AC first');
    const acLength = 6 + silent.received.readUInt32BE(2);
    assert.equal(silent.received[acLength], 0x07, 'then an A-ABORT');
    assert.ok(
      silent.closedAfterMs >= IDLE_MS * 0.9,
      `not before the timeout (${silent.closedAfterMs} ms)`,
    );
    const line = log.split('\n').find((l) => l.includes('idle: aborted') && l.includes('SILENT'));
    assert.ok(line, 'the abort is logged with the calling AE title');
    assert.match(line, /"callingAeTitle":"SILENT"/);
  });

  it('echoscu still works afterwards', async () => {
    const echo = await runCommand('echoscu', [
      '-aet',
      'MODALITY',
      '-aec',
      AE,
      '127.0.0.1',
      String(port),
    ]);
    assert.equal(echo.code, 0, echo.output);
  });
});
