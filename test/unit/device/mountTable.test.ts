import { strict as assert } from 'node:assert';
import { isReadOnlyMount, parseMountOutput, parseProcMounts, unescapeMountPath } from '../../../src/device/drives/mountTable';
import { fixture } from './fakeHost';

describe('device: mount tables', () => {
  it('unescapes octal and hex escapes', () => {
    assert.equal(unescapeMountPath('/media/ann/MY\\040PICO'), '/media/ann/MY PICO');
    assert.equal(unescapeMountPath('/a\\011b\\134c'), '/a\tb\\c');
    assert.equal(unescapeMountPath('/run/media/x/Pico\\x20Work'), '/run/media/x/Pico Work');
  });

  it('parses /proc/self/mounts with escaped spaces and read-only flags', () => {
    const mounts = parseProcMounts(fixture('linux-proc-mounts.txt'));
    assert.equal(mounts.length, 12);
    const renamed = mounts.find((m) => m.device === '/dev/sdd1');
    assert.ok(renamed);
    assert.equal(renamed.mountPoint, '/media/ann/MY PICO');
    assert.equal(renamed.fsType, 'vfat');
    assert.equal(isReadOnlyMount(renamed), true);
    const circuitpy = mounts.find((m) => m.mountPoint === '/media/ann/CIRCUITPY');
    assert.ok(circuitpy);
    assert.equal(isReadOnlyMount(circuitpy), false);
  });

  it('parses util-linux mount output, mount points with raw spaces', () => {
    const mounts = parseMountOutput(fixture('linux-mount-output.txt'));
    assert.deepEqual(
      mounts.map((m) => [m.mountPoint, m.fsType]),
      [['/sys', 'sysfs'], ['/proc', 'proc'], ['/', 'ext4'], ['/run/media/bo/CIRCUITPY', 'vfat'], ['/run/media/bo/Pico Work', 'vfat']],
    );
  });

  it('parses macOS mount output', () => {
    const mounts = parseMountOutput(fixture('macos-mount-output.txt'));
    const second = mounts.find((m) => m.device === '/dev/disk5s1');
    assert.ok(second);
    assert.equal(second.mountPoint, '/Volumes/CIRCUITPY 1');
    assert.equal(second.fsType, 'msdos');
    assert.ok(second.options.includes('noowners'));
    assert.equal(isReadOnlyMount(mounts[0]), true); // the sealed system volume
    assert.equal(mounts.length, 9);
  });

  it('skips blank, comment and short lines', () => {
    assert.deepEqual(parseProcMounts('\n# comment\nonly two\n'), []);
    assert.deepEqual(parseMountOutput('nonsense\n\n'), []);
  });
});
