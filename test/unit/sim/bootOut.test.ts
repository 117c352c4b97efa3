import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseBootOut } from '../../../src/device/drives/bootOut';
import { VIRTUAL_MICROPYTHON_VERSION, bootOutText, virtualUid, writeBootOut } from '../../../src/sim/bootOut';
import { cleanTraceback } from '../../../src/sim/vm/machine';

describe('sim/bootOut', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'vpico-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('says what it is (MicroPython in WebAssembly, virtual), in boot_out.txt\'s format', () => {
    const text = bootOutText(dir);
    assert.match(text, /^MicroPython v1\.27\.0 on 2026-11-28; Picoformer Virtual Pico with WebAssembly\r\nBoard ID:picoformer_virtual_pico\r\nUID:[0-9A-F]{16}\r\n$/);
  });

  it('names the MicroPython version it really runs (the bundled package\'s)', () => {
    const pkg = JSON.parse(readFileSync(require.resolve('@micropython/micropython-webassembly-pyscript/package.json'), 'utf8')) as { version: string };
    assert.equal(VIRTUAL_MICROPYTHON_VERSION, pkg.version);
  });

  it('is read by drive detection as a virtual MicroPython board', () => {
    const info = parseBootOut(bootOutText(dir));
    assert.equal(info.virtual, true);
    assert.equal(info.firmware, 'micropython');
    assert.equal(info.version, VIRTUAL_MICROPYTHON_VERSION);
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
