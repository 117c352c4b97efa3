// serialport's list(), loaded on first use: when its native binding does not match the editor's runtime
// ("No native build was found"), that surfaces as a failed listing instead of a failed extension start.

import type { RawPortInfo } from '../types';

export async function serialportList(): Promise<RawPortInfo[]> {
  const { SerialPort } = await import('serialport');
  return SerialPort.list();
}
