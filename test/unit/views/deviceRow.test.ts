import assert from 'node:assert/strict';
import type { BoardDevice } from '../../../src/device/types';
import type { Finding } from '../../../src/device/watch/diagnose';
import { deviceRow, findingRow, onlyNothingFound, virtualPicoRow } from '../../../src/views/viewModels/deviceRow';

function board(overrides: Partial<BoardDevice> = {}): BoardDevice {
  return {
    key: 'usb:E6614103E7',
    label: 'Raspberry Pi Pico · CircuitPython 9.2.8',
    virtual: false,
    firmware: 'circuitpython',
    board: 'Raspberry Pi Pico',
    serialNumber: 'E6614103E7',
    drive: {
      path: '/media/ann/CIRCUITPY',
      source: 'mount-table',
      boot: { firmware: 'circuitpython', version: '9.2.8', boardId: 'raspberry_pi_pico', virtual: false, recognised: true, raw: '' },
    },
    console: { path: '/dev/ttyACM0', source: 'serialport', role: 'board', channel: 'console' },
    ports: [],
    pairing: 'serial-number',
    bootloader: false,
    ...overrides,
  };
}

describe('Devices tree row view model', () => {
  it('a connected board: version, port, board id and free heap', () => {
    const row = deviceRow(board(), { connected: true, freeHeap: 49_459 });
    assert.equal(row.label, 'Raspberry Pi Pico · CircuitPython 9.2.8');
    assert.equal(row.description, 'CircuitPython 9.2.8 · /dev/ttyACM0 · 48.3 KB free');
    assert.equal(row.iconId, 'circuit-board');
    assert.equal(row.iconColorId, 'charts.green');
    assert.equal(row.contextValue, 'device.console.drive.connected');
    assert.equal(row.virtual, false);
    assert.match(row.tooltipMarkdown, /\| Board id \| raspberry\\_pi\\_pico \|/);
    assert.match(row.tooltipMarkdown, /\| Drive \| \/media\/ann\/CIRCUITPY \|/);
    assert.match(row.tooltipMarkdown, /\| Free heap \| 48\.3 KB \|/);
  });

  it('the virtual Pico is labelled virtual', () => {
    const row = deviceRow(board({ key: 'virtual:/tmp/vp', virtual: true, label: 'Virtual Pico' }));
    assert.ok(row.description.startsWith('virtual · '));
    assert.equal(row.iconId, 'vm');
    assert.equal(row.contextValue, 'device.virtual.console.drive');
    assert.match(row.tooltipMarkdown, /Virtual Pico \\\(simulated on this computer\\\)/);
  });

  it('a simulated board without a console port gets no advice about cables or the dialout group', () => {
    const row = deviceRow(board({ key: 'virtual:/tmp/vp', virtual: true, label: 'Virtual Pico', console: undefined }));
    assert.doesNotMatch(row.tooltipMarkdown, /cable|dialout|No serial console/);
    assert.equal(row.iconId, 'vm');
  });

  it('a board in BOOTSEL, one running MicroPython and one without a drive get a warning and advice', () => {
    const boot = deviceRow(board({ bootloader: true, firmware: 'bootloader', drive: undefined, console: undefined }));
    assert.equal(boot.iconId, 'warning');
    assert.equal(boot.contextValue, 'device.bootloader');
    assert.match(boot.description, /BOOTSEL/);
    assert.match(boot.tooltipMarkdown, /copy a CircuitPython \.uf2/);
    assert.match(boot.tooltipMarkdown, /\(https:\/\/circuitpython\.org\/board\/raspberry_pi_pico\/\)/);
    const micro = deviceRow(board({ firmware: 'micropython', drive: undefined }));
    assert.match(micro.tooltipMarkdown, /needs CircuitPython 9/);
    assert.match(micro.tooltipMarkdown, /Download CircuitPython for this board/);
    assert.equal(micro.description, 'MicroPython · /dev/ttyACM0');
    assert.equal(micro.contextValue, 'device.micropython', 'no console or reset: the runtime cannot run there');
    const noDrive = deviceRow(board({ drive: undefined }));
    assert.match(noDrive.tooltipMarkdown, /No CIRCUITPY drive is mounted/);
    assert.match(noDrive.tooltipMarkdown, /\| Drive \| not mounted \|/);
  });

  it('the virtual Pico runs MicroPython and says so, yet gets no advice to install CircuitPython (it runs the runtime)', () => {
    const row = deviceRow(board({ key: 'virtual:/tmp/vp', virtual: true, firmware: 'micropython', console: undefined, label: 'Picoformer Virtual Pico · MicroPython 1.27.0 · virtual' }));
    assert.match(row.tooltipMarkdown, /MicroPython/);
    assert.doesNotMatch(row.tooltipMarkdown, /needs CircuitPython|cable|dialout/);
    assert.equal(row.iconId, 'vm');
  });

  it('a drive without a console shows the drive path', () => {
    const row = deviceRow(board({ console: undefined }));
    assert.equal(row.description, 'CircuitPython 9.2.8 · /media/ann/CIRCUITPY');
    assert.match(row.tooltipMarkdown, /No serial console found/);
    assert.equal(row.contextValue, 'device.drive');
    const readOnly = deviceRow(board({ drive: { path: '/media/ann/CIRCUITPY', source: 'mount-table', readOnly: true } }));
    assert.equal(readOnly.contextValue, 'device.console', 'a read-only drive takes no deploy');
  });
});

describe('Devices tree: the virtual Pico and the findings', () => {
  const scanned = board({ key: 'virtual:/tmp/cache/CIRCUITPY', virtual: true, label: 'Picoformer Virtual Pico · MicroPython 1.27.0 · virtual', firmware: 'micropython', console: undefined,
    drive: { path: '/tmp/cache/CIRCUITPY', source: 'extra', boot: { firmware: 'micropython', version: '1.27.0', virtual: true, recognised: true, raw: '' } } });

  it('running: its state and free heap, the firmware its drive reports, no drive path, no USB advice', () => {
    const row = virtualPicoRow({ running: true, state: 'attached', device: scanned, heapBudget: 143_360, freeHeap: 120_000, connected: true });
    assert.equal(row.label, 'Virtual Pico');
    assert.equal(row.description, 'virtual · running · 117 KB free');
    assert.equal(row.iconColorId, 'charts.green');
    assert.equal(row.contextValue, 'virtualPico.running.console.drive.connected');
    assert.match(row.tooltipMarkdown, /\| Firmware \| MicroPython 1\.27\.0 \|/);
    assert.match(row.tooltipMarkdown, /\| State \| running \\\(attached\\\) \|/);
    for (const text of [row.description, row.tooltipMarkdown]) {
      assert.doesNotMatch(text, /\/tmp\/cache|cable|dialout/);
    }
  });

  it('stopped: says so, offers start (menus match virtualPico.stopped)', () => {
    const row = virtualPicoRow({ running: false, connected: false });
    assert.equal(row.description, 'virtual · stopped');
    assert.equal(row.iconColorId, undefined);
    assert.match(row.contextValue, /^virtualPico\.stopped\b/);
  });

  const nothing: Finding = { code: 'no-usb-device', severity: 'error', message: 'No Raspberry Pi or Adafruit USB device is connected: the computer does not see the board at all.', hint: 'Use a data cable.' };
  const permission: Finding = { code: 'port-permission', severity: 'error', message: 'This user cannot open /dev/ttyACM0.', hint: 'Run sudo usermod.' };

  it('"nothing found" is a quiet "No physical board" while the virtual Pico runs, a red finding otherwise', () => {
    const quiet = findingRow(nothing, true);
    assert.deepEqual([quiet.label, quiet.iconId, quiet.iconColorId, quiet.expanded], ['No physical board', 'info', undefined, false]);
    assert.match(quiet.tooltip, /To connect a Pico: Use a data cable/);
    const loud = findingRow(nothing, false);
    assert.deepEqual([loud.label, loud.iconId, loud.iconColorId, loud.expanded], [nothing.message, 'error', 'list.errorForeground', true]);
    assert.equal(findingRow(permission, true).iconId, 'error', 'a real problem stays an error');
  });

  it('only "nothing found" leaves the view to its welcome text', () => {
    assert.equal(onlyNothingFound([]), true);
    assert.equal(onlyNothingFound([nothing]), true);
    assert.equal(onlyNothingFound([nothing, permission]), false);
  });
});
