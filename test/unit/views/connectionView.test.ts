import assert from 'node:assert/strict';
import { connectionView } from '../../../src/views/viewModels/connectionView';

const base = { virtualRunning: false, boardsFound: 0, command: 'picoformer.selectSerialPort' };

describe('status bar connection item view model', () => {
  it('no board chosen: says so, and how many boards were found', () => {
    const none = connectionView({ ...base, state: 'none' });
    assert.equal(none.text, '$(plug) No board');
    assert.match(none.tooltipMarkdown, /No board chosen: generation runs on this computer/);
    assert.match(none.tooltipMarkdown, /Click to pick a board, a serial port or the virtual Pico/);
    assert.equal(connectionView({ ...base, state: 'none', boardsFound: 2 }).text, '$(plug) Pico: 2 boards found');
    assert.equal(none.command, 'picoformer.selectSerialPort');
  });

  it('a real board: its name and whether it is connected, in words and by icon', () => {
    const board = { label: 'Raspberry Pi Pico on /dev/ttyACM0', virtual: false };
    assert.equal(connectionView({ ...base, board, state: 'idle' }).text, '$(circuit-board) Raspberry Pi Pico on /dev/ttyACM0: not connected');
    assert.equal(connectionView({ ...base, board, state: 'connecting' }).text, '$(sync~spin) Raspberry Pi Pico on /dev/ttyACM0: connecting');
    assert.equal(connectionView({ ...base, board, state: 'disconnected' }).text, '$(debug-disconnect) Raspberry Pi Pico on /dev/ttyACM0: disconnected');
    const connected = connectionView({ ...base, board, state: 'connected', runtime: { version: '0.2.0', impl: 'circuitpython', impl_version: '9.2.8' }, freeHeap: 102_400 });
    assert.equal(connected.text, '$(circuit-board) Raspberry Pi Pico on /dev/ttyACM0: connected');
    assert.match(connected.tooltipMarkdown, /\| Runtime \| Picoformer 0\.2\.0 on circuitpython 9\.2\.8 \|/);
    assert.match(connected.tooltipMarkdown, /\| Free heap \| 100 KB \|/);
    assert.match(connected.ariaLabel, /Raspberry Pi Pico on \/dev\/ttyACM0, connected/);
  });

  it('the virtual Pico before any session: running or stopped; it renders whatever the runtime says it is', () => {
    const board = { label: 'Virtual Pico', virtual: true };
    assert.equal(connectionView({ ...base, board, state: 'idle', virtualRunning: true }).text, '$(vm) Virtual Pico: running');
    assert.equal(connectionView({ ...base, board, state: 'idle' }).text, '$(debug-disconnect) Virtual Pico: stopped');
    const connected = connectionView({ ...base, board, state: 'connected', virtualRunning: true, runtime: { version: '0.2.0', impl: 'micropython', impl_version: '1.27.0' } });
    assert.equal(connected.text, '$(vm-active) Virtual Pico: connected');
    assert.match(connected.tooltipMarkdown, /simulated on this computer/);
    assert.match(connected.tooltipMarkdown, /on micropython 1\.27\.0/);
  });

  it('a board name cannot inject icons or markup', () => {
    const view = connectionView({ ...base, board: { label: 'a $(bug) *b*', virtual: false }, state: 'idle' });
    assert.ok(view.text.includes('a \\$(bug) *b*'));
    assert.ok(view.tooltipMarkdown.includes('a \\$\\(bug\\) \\*b\\*'));
  });
});
