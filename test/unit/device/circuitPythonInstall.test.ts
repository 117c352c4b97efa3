import { strict as assert } from 'node:assert';
import { circuitPythonPage, installGuide, installHint } from '../../../src/device/circuitPythonInstall';

describe('device: installing CircuitPython on a board that does not run it', () => {
  it('links the board\'s own download page (the Pico\'s by default)', () => {
    assert.equal(circuitPythonPage('Raspberry Pi Pico'), 'https://circuitpython.org/board/raspberry_pi_pico/');
    assert.equal(circuitPythonPage(undefined), 'https://circuitpython.org/board/raspberry_pi_pico/');
    assert.equal(circuitPythonPage('Raspberry Pi Pico W'), 'https://circuitpython.org/board/raspberry_pi_pico_w/');
    assert.equal(circuitPythonPage('Raspberry Pi Pico 2'), 'https://circuitpython.org/board/raspberry_pi_pico2/');
    assert.equal(circuitPythonPage('Raspberry Pi Pico 2 W'), 'https://circuitpython.org/board/raspberry_pi_pico2_w/');
    assert.equal(circuitPythonPage('RP2350 board in BOOTSEL'), 'https://circuitpython.org/board/raspberry_pi_pico2/');
  });

  it('a MicroPython Pico: download, BOOTSEL, drag the .uf2 onto RPI-RP2, deploy the runtime', () => {
    const guide = installGuide('Raspberry Pi Pico', false);
    assert.equal(guide.steps.length, 4);
    assert.match(guide.steps[0], /circuitpython\.org\/board\/raspberry_pi_pico\//);
    assert.match(guide.steps[1], /hold its BOOTSEL button/);
    assert.match(guide.steps[2], /Drag the \.uf2 onto the RPI-RP2 drive/);
    assert.match(guide.steps[3], /Deploy Runtime to Pico/);
  });

  it('a board already in BOOTSEL skips the button step; an RP2350 uses its own drive name', () => {
    assert.equal(installGuide('RP2040 board in BOOTSEL', true).steps.length, 3);
    assert.match(installGuide('RP2350 board in BOOTSEL', true).steps[1], /onto the RP2350 drive/);
    assert.match(installHint('Raspberry Pi Pico', true), /^1\. Download .* 2\. Drag the \.uf2/);
  });
});
