import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseBootOut } from '../../../src/device/drives/bootOut';
import { bootOutText, virtualUid, writeBootOut } from '../../../src/sim/bootOut';
import { cleanTraceback } from '../../../src/sim/vm/machine';

describe('sim/bootOut', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'vpico-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('says it is virtual, in boot_out.txt\'s format', () => {
    const text = bootOutText(dir);
    assert.match(text, /^Adafruit CircuitPython 9\.2\.8 on 2026-11-28; Picoformer Virtual Pico with rp2040-wasm\r\nBoard ID:picoformer_virtual_pico\r\nUID:[0-9A-F]{16}\r\n$/);
  });

  it('is read by drive detection as a virtual CircuitPython board', () => {
    const info = parseBootOut(bootOutText(dir));
    assert.equal(info.virtual, true);
    assert.equal(info.firmware, 'circuitpython');
    assert.equal(info.boardId, 'picoformer_virtual_pico');
    assert.equal(info.uid, virtualUid(dir));
  });

  it('gives each folder its own stable UID', () => {
    assert.equal(virtualUid(dir), virtualUid(`${dir}/`));
    assert.notEqual(virtualUid(dir), virtualUid(join(dir, 'other')));
  });

  it('writes boot_out.txt once and leaves an identical one alone', async () => {
    writeBootOut(dir);
    const path = join(dir, 'boot_out.txt');
    assert.equal(readFileSync(path, 'utf8'), bootOutText(dir));
    const before = statSync(path).mtimeMs;
    await new Promise((r) => setTimeout(r, 20));
    writeBootOut(dir);
    assert.equal(statSync(path).mtimeMs, before);
    writeFileSync(path, 'old board');
    writeBootOut(dir);
    assert.equal(readFileSync(path, 'utf8'), bootOutText(dir));
  });
});

describe('sim/cleanTraceback', () => {
  it('drops the machine\'s own frames and uses CRLF', () => {
    const message = 'Traceback (most recent call last):\n  File "<stdin>", line 22, in <module>\n  File "<stdin>", line 19, in _vpico_run\n  File "code.py", line 3, in <module>\nValueError: boom\n';
    assert.equal(cleanTraceback(message), 'Traceback (most recent call last):\r\n  File "code.py", line 3, in <module>\r\nValueError: boom\r\n');
  });
});
