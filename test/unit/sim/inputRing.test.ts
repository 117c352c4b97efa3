import assert from 'node:assert/strict';
import { InputReader, InputWriter, createInputBuffer } from '../../../src/sim/inputRing';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('sim/inputRing', () => {
  it('carries bytes from writer to reader in order, across the ring\'s end', () => {
    const buffer = createInputBuffer(8);
    const w = new InputWriter(buffer);
    const r = new InputReader(buffer);
    for (let round = 0; round < 5; round++) {
      assert.equal(w.write(bytes('abcde')), 5);
      assert.equal(Buffer.from(r.readAll()).toString(), 'abcde');
    }
    assert.equal(r.readByte(), -1);
  });

  it('takes only what fits', () => {
    const buffer = createInputBuffer(4);
    const w = new InputWriter(buffer);
    const r = new InputReader(buffer);
    assert.equal(w.write(bytes('123456')), 4);
    assert.equal(w.write(bytes('7')), 0);
    assert.equal(r.readByte(), '1'.charCodeAt(0));
    assert.equal(w.write(bytes('7')), 1);
    assert.equal(Buffer.from(r.readAll()).toString(), '2347');
  });

  it('counts a Ctrl-C as pending until it is read or flushed', () => {
    const buffer = createInputBuffer();
    const w = new InputWriter(buffer);
    const r = new InputReader(buffer);
    w.write(bytes('ab\x03c'));
    assert.equal(r.ctrlCPending(), true);
    r.readByte();
    r.readByte();
    assert.equal(r.ctrlCPending(), true);
    assert.equal(r.readByte(), 3);
    assert.equal(r.ctrlCPending(), false);
    w.write(bytes('\x03\x03x'));
    r.flush();
    assert.equal(r.ctrlCPending(), false);
    assert.equal(r.available(), 0);
  });

  it('reports reload requests until acknowledged', () => {
    const buffer = createInputBuffer();
    const w = new InputWriter(buffer);
    const r = new InputReader(buffer);
    assert.equal(r.reloadPending(), false);
    w.requestReload();
    assert.equal(r.reloadPending(), true);
    r.acknowledgeReload();
    assert.equal(r.reloadPending(), false);
  });

  it('a wait returns at once when input arrived after the token was taken', () => {
    const buffer = createInputBuffer();
    const w = new InputWriter(buffer);
    const r = new InputReader(buffer);
    const token = r.wakeToken();
    w.write(bytes('x'));
    const t0 = Date.now();
    r.waitForChange(token, 1000);
    assert.ok(Date.now() - t0 < 500);
  });
});
