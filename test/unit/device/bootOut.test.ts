import { strict as assert } from 'node:assert';
import { parseBootOut } from '../../../src/device/drives/bootOut';
import { bootOutText } from '../../../src/sim/bootOut';
import { fixture } from './fakeHost';

describe('device: boot_out.txt', () => {
  it('reads version, date, board, chip, board id and UID (CircuitPython 9, CRLF)', () => {
    const info = parseBootOut(fixture('boot_out-cp9.txt'));
    assert.equal(info.recognised, true);
    assert.equal(info.firmware, 'circuitpython');
    assert.equal(info.version, '9.2.8');
    assert.equal(info.buildDate, '2025-05-28');
    assert.equal(info.boardName, 'Raspberry Pi Pico');
    assert.equal(info.chip, 'rp2040');
    assert.equal(info.boardId, 'raspberry_pi_pico');
    assert.equal(info.uid, 'E660583883724A32');
    assert.equal(info.virtual, false);
  });

  it('tolerates older releases without Board ID (6) or UID (7)', () => {
    const cp7 = parseBootOut(fixture('boot_out-cp7.txt'));
    assert.equal(cp7.version, '7.3.3');
    assert.equal(cp7.boardId, 'raspberry_pi_pico');
    assert.equal(cp7.uid, undefined);
    const cp6 = parseBootOut(fixture('boot_out-cp6.txt'));
    assert.equal(cp6.version, '6.3.0');
    assert.equal(cp6.boardId, undefined);
    assert.equal(cp6.recognised, true);
  });

  it('keeps pre-release versions whole and upper-cases a lower-case UID', () => {
    const info = parseBootOut(fixture('boot_out-cp9-beta-picow.txt'));
    assert.equal(info.version, '9.1.0-beta.3-12-g4c6b7e5a2');
    assert.equal(info.boardName, 'Raspberry Pi Pico W');
    assert.equal(info.uid, 'E6614C311B7A8B2F');
  });

  it('reads the Pico 2 chip and ignores boot.py output', () => {
    const info = parseBootOut(fixture('boot_out-pico2.txt'));
    assert.equal(info.chip, 'rp2350a');
    assert.equal(info.boardId, 'raspberry_pi_pico2');
    assert.equal(info.uid, '0FB4E6C1C1E9A8D2');
  });

  it('marks the virtual Pico as virtual', () => {
    const info = parseBootOut(fixture('boot_out-virtual.txt'));
    assert.equal(info.virtual, true);
    assert.equal(info.boardName, 'Picoformer Virtual Pico');
    assert.equal(info.chip, 'rp2040-wasm');
  });

  it('recognises the boot_out.txt the virtual Pico (src/sim) actually writes', () => {
    const info = parseBootOut(bootOutText('/tmp/virtual-drive'));
    assert.equal(info.virtual, true);
    assert.equal(info.recognised, true);
    assert.match(info.uid ?? '', /^[0-9A-F]{16}$/);
  });

  it('accepts a MicroPython-style banner', () => {
    const info = parseBootOut(fixture('boot_out-micropython.txt'));
    assert.equal(info.firmware, 'micropython');
    assert.equal(info.version, '1.22.0');
    assert.equal(info.chip, 'RP2040');
  });

  it('returns an unrecognised result for garbage, empty text and huge text, never throwing', () => {
    const garbage = parseBootOut(fixture('boot_out-garbage.txt'));
    assert.equal(garbage.recognised, false);
    assert.equal(garbage.firmware, 'unknown');
    assert.equal(garbage.uid, undefined); // "UID:zz" is not hex
    assert.equal(parseBootOut('').recognised, false);
    const huge = parseBootOut('x'.repeat(100_000));
    assert.equal(huge.recognised, false);
    assert.ok(huge.raw.length <= 4096);
  });

  it('splits board and chip at the last " with " and survives a banner without a chip', () => {
    assert.equal(parseBootOut('Adafruit CircuitPython 9.0.0 on 2024-01-01; Board with buttons with rp2040').boardName, 'Board with buttons');
    const noChip = parseBootOut('Adafruit CircuitPython 9.0.0 on 2024-01-01; Mystery Board');
    assert.equal(noChip.boardName, 'Mystery Board');
    assert.equal(noChip.chip, undefined);
  });
});
