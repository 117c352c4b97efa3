import { strict as assert } from 'node:assert';
import { parseWindowsVolumeJson, parseWmicCsv } from '../../../src/device/drives/windowsVolumes';
import { fixture } from './fakeHost';

describe('device: Windows volume listings', () => {
  it('parses Win32_LogicalDisk JSON from PowerShell', () => {
    const volumes = parseWindowsVolumeJson(fixture('windows-logicaldisk.json'));
    assert.deepEqual(volumes.map((v) => [v.root, v.label, v.driveType]), [
      ['C:\\', 'Windows', 'fixed'],
      ['D:\\', undefined, 'cdrom'],
      ['E:\\', 'CIRCUITPY', 'removable'],
      ['F:\\', undefined, 'removable'],
      ['G:\\', 'PICOFORMER', 'removable'],
      ['H:\\', 'RPI-RP2', 'removable'],
      ['Z:\\', 'share', 'network'],
    ]);
    const e = volumes[2];
    assert.equal(e.totalBytes, 1036288);
    assert.equal(e.freeBytes, 1012736);
    assert.equal(volumes[3].totalBytes, undefined); // empty card reader
  });

  it('parses a single Get-Volume object (PowerShell 7: letter and drive type as strings)', () => {
    const volumes = parseWindowsVolumeJson(fixture('windows-get-volume-single.json'));
    assert.deepEqual(volumes, [{ root: 'E:\\', label: 'CIRCUITPY', driveType: 'removable', fileSystem: 'FAT', totalBytes: 1036288, freeBytes: 1012736 }]);
  });

  it('parses Get-Volume from PowerShell 5.1 (letter as char code) and skips letterless volumes', () => {
    const volumes = parseWindowsVolumeJson(fixture('windows-get-volume-ps51.json'));
    assert.deepEqual(volumes.map((v) => [v.root, v.label, v.driveType]), [['E:\\', 'CIRCUITPY', 'removable']]);
  });

  it('parses wmic CSV, including a label with a comma', () => {
    const volumes = parseWmicCsv(fixture('windows-wmic.csv'));
    assert.deepEqual(volumes.map((v) => [v.root, v.label, v.driveType, v.freeBytes]), [
      ['C:\\', 'Windows', 'fixed', 123456789012],
      ['D:\\', undefined, 'cdrom', undefined],
      ['E:\\', 'CIRCUITPY', 'removable', 1012736],
      ['Y:\\', 'Data, old', 'fixed', 10],
    ]);
  });

  it('returns nothing for empty output, throws on malformed JSON', () => {
    assert.deepEqual(parseWindowsVolumeJson('  '), []);
    assert.deepEqual(parseWmicCsv('No Instance(s) Available.'), []);
    assert.throws(() => parseWindowsVolumeJson('{oops'));
  });
});
