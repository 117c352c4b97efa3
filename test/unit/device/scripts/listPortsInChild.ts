// Run in a child process by listPorts.test.ts with a PATH that lacks (or fakes) udevadm: lists ports with the real
// serialport binding and prints the result as JSON. A crash shows up as a non-zero exit without that JSON.
import { nodeHost } from '../../../../src/device/drives/nodeHost';
import { listPorts } from '../../../../src/device/ports/listPorts';
import { serialportList } from '../../../../src/device/ports/serialportLister';

listPorts(nodeHost(), { lister: serialportList, timeoutMs: 5000 }).then(
  (listing) => {
    // Give a late 'error' event time to crash the process before reporting success.
    setTimeout(() => process.stdout.write(JSON.stringify(listing)), 300);
  },
  (error: unknown) => {
    process.stdout.write(JSON.stringify({ rejected: String(error) }));
  },
);
