import assert from 'node:assert/strict';
import { boardProfileItems, deployTargetItems, modelPickItems, serialPortItems } from '../../../src/commands/pickItems';
import type { BoardDevice, ClassifiedPort } from '../../../src/device/types';
import { boardProfile } from '../../../src/memory/boards';
import type { UnreadableModelEntry } from '../../../src/services/modelEntry';
import { entryFor } from '../services/fixtures';

const pico = boardProfile('pico-cp9');
const rel = (p: string) => p.replace('/ws/', '');

describe('pick lists', () => {
  it('lists models with size, peak and zone as deployed, and leaves unreadable files out', () => {
    const broken: UnreadableModelEntry = { ok: false, path: '/ws/bad.safetensors', legacy: false, fileLabel: 'bad.safetensors', stamp: '', code: 'truncated', problem: 'cut off' };
    const items = modelPickItems([entryFor(1000, 'F32', '/ws/models/a.safetensors'), broken, entryFor(8000, 'I8', '/ws/models/b.safetensors')], pico, 'int8', rel);
    assert.deepEqual(items.map((i) => i.value), ['/ws/models/a.safetensors', '/ws/models/b.safetensors']);
    assert.match(items[0].label, /^\$\(pass\) a\.safetensors$/, 'the file name, not the name the model gives itself');
    assert.equal(items[0].description, 'story-1k · models/a.safetensors');
    assert.match(items[0].detail ?? '', /params · [\d.]+ KB · peak [\d.]+ KB · Safe \(as int8\)$/);
    assert.doesNotMatch(items[1].detail ?? '', /\(as /, 'an int8 model is deployed as it is');
    const asFloat = modelPickItems([entryFor(1000, 'F32')], pico, 'f32', rel);
    assert.doesNotMatch(asFloat[0].detail ?? '', /\(as /);
  });

  it('lists every board profile, the current one checked, custom with its heap', () => {
    const items = boardProfileItems('pico-w-cp9', 96);
    assert.deepEqual(items.map((i) => i.value), ['pico-cp9', 'pico-w-cp9', 'pico2-cp9', 'custom']);
    assert.equal(items.filter((i) => i.picked).length, 1);
    assert.match(items[1].label, /^\$\(check\) Raspberry Pi Pico W/);
    assert.equal(items[3].description, '96 KB heap (you choose)');
    assert.match(items[0].description ?? '', /^140 KB heap budget · 1\.0 MB drive$/);
    assert.ok((items[0].detail ?? '').length > 40, 'says where the heap figure comes from');
  });

  it('lists board consoles first, then the other ports, then auto, manual and virtual', () => {
    const port = (path: string, role: ClassifiedPort['role'], channel: ClassifiedPort['channel']): ClassifiedPort => ({ path, role, channel, source: 'serialport', vendorId: '239A', productId: '80F4' });
    const items = serialPortItems([port('/dev/ttyS0', 'other', 'unknown'), port('/dev/ttyACM1', 'board', 'data'), port('/dev/ttyACM0', 'board', 'console')], '/dev/ttyACM0');
    assert.deepEqual(items.map((i) => i.value), [
      { kind: 'port', path: '/dev/ttyACM0' },
      { kind: 'port', path: '/dev/ttyACM1' },
      { kind: 'port', path: '/dev/ttyS0' },
      { kind: 'auto' },
      { kind: 'manual' },
      { kind: 'virtual' },
    ]);
    assert.equal(items[0].label, '$(check) /dev/ttyACM0');
    assert.equal(items[0].description, 'board · console');
    assert.equal(items[1].description, 'board · data channel');
    assert.equal(items[3].label, 'Detect automatically', 'not checked while a port is set');
    assert.equal(serialPortItems([], '')[0].label, '$(check) Detect automatically');
  });

  it('lists deploy targets with a drive, real boards before the virtual Pico', () => {
    const device = (key: string, virtual: boolean, drive?: string): BoardDevice => ({
      key, label: `Pico ${key}`, virtual, firmware: 'circuitpython', ports: [], pairing: 'none', bootloader: false,
      ...(drive ? { drive: { path: drive, source: 'mount-table', freeBytes: 2048 } } : {}),
    });
    const items = deployTargetItems([device('v', true, '/tmp/vp'), device('a', false, '/media/CIRCUITPY'), device('b', false)]);
    assert.deepEqual(items.map((i) => i.value.key), ['a', 'v']);
    assert.equal(items[0].description, '/media/CIRCUITPY · 2.0 KB free');
    assert.match(items[1].label, /Virtual Pico/);
  });
});
