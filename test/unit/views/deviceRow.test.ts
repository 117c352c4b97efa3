import assert from 'node:assert/strict';
import type { BoardDevice } from '../../../src/device/types';
import { deviceRow } from '../../../src/views/viewModels/deviceRow';

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
    assert.equal(row.contextValue, 'device.connected');
    assert.equal(row.virtual, false);
    assert.match(row.tooltipMarkdown, /\| Board id \| raspberry\\_pi\\_pico \|/);
    assert.match(row.tooltipMarkdown, /\| Drive \| \/media\/ann\/CIRCUITPY \|/);
    assert.match(row.tooltipMarkdown, /\| Free heap \| 48\.3 KB \|/);
  });

  it('the virtual Pico is labelled virtual', () => {
    const row = deviceRow(board({ key: 'virtual:/tmp/vp', virtual: true, label: 'Virtual Pico' }));
    assert.ok(row.description.startsWith('virtual · '));
    assert.equal(row.iconId, 'vm');
    assert.equal(row.contextValue, 'device.virtual');
    assert.match(row.tooltipMarkdown, /Virtual Pico \\\(simulated on this computer\\\)/);
  });

  it('a board in BOOTSEL, one running MicroPython and one without a drive get a warning and advice', () => {
    const boot = deviceRow(board({ bootloader: true, firmware: 'bootloader', drive: undefined, console: undefined }));
    assert.equal(boot.iconId, 'warning');
    assert.equal(boot.contextValue, 'device.bootloader');
    assert.match(boot.description, /BOOTSEL/);
    assert.match(boot.tooltipMarkdown, /copy a CircuitPython \.uf2/);
    const micro = deviceRow(board({ firmware: 'micropython', drive: undefined }));
    assert.match(micro.tooltipMarkdown, /needs CircuitPython 9/);
    assert.equal(micro.description, 'MicroPython · /dev/ttyACM0');
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
  });
});
