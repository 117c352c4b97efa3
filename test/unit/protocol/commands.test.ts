import assert from 'node:assert/strict';
import { CommandError, MAX_COMMAND_LINE, encodeCommand } from '../../../src/device/protocol/commands';

describe('protocol/commands', () => {
  it('encodes a command line with its req and CRLF', () => {
    assert.equal(encodeCommand({ cmd: 'hello' }, 1), '@pf {"cmd":"hello","req":1}\r\n');
    assert.equal(encodeCommand({ cmd: 'list' }), '@pf {"cmd":"list"}\r\n');
  });

  it('encodes generate arguments, leaving out the ones not given', () => {
    const line = encodeCommand({ cmd: 'generate', prompt: 'Once upon', max_tokens: 32, seed: null, temperature: undefined }, 7);
    assert.deepEqual(JSON.parse(line.slice(4)), { cmd: 'generate', prompt: 'Once upon', max_tokens: 32, seed: null, req: 7 });
  });

  it('sends only ASCII: other characters as \\u escapes that decode back', () => {
    const line = encodeCommand({ cmd: 'generate', prompt: 'café 🐍\nnext' });
    assert.match(line, /^[\x20-\x7e]*\r\n$/);
    assert.equal(JSON.parse(line.slice(4)).prompt, 'café 🐍\nnext');
  });

  it('refuses bad arguments before anything is sent', () => {
    assert.throws(() => encodeCommand({ cmd: 'generate', max_tokens: -1 }), CommandError);
    assert.throws(() => encodeCommand({ cmd: 'generate', max_tokens: 1.5 }), /max_tokens must be an integer from 0 to 65535/);
    assert.throws(() => encodeCommand({ cmd: 'generate', temperature: Number.NaN }), /temperature/);
    assert.throws(() => encodeCommand({ cmd: 'generate', top_k: 70000 }), /top_k/);
    assert.throws(() => encodeCommand({ cmd: 'generate', seed: 0.5 }), /seed must be an integer or null/);
    assert.throws(() => encodeCommand({ cmd: 'generate', stop_at_context: 'yes' as never }), /stop_at_context must be true or false/);
    assert.equal(encodeCommand({ cmd: 'set', stop_at_context: true }), '@pf {"cmd":"set","stop_at_context":true}\r\n');
    assert.throws(() => encodeCommand({ cmd: 'load', name: ' ' }), /load needs a model name/);
    assert.throws(() => encodeCommand({ cmd: 'load', name: 'm', mode: 'fast' as never }), /mode must be one of/);
    assert.throws(() => encodeCommand({ cmd: 'set', mode: 'x' as never }), /mode must be one of/);
  });

  it('refuses a line longer than the runtime accepts', () => {
    assert.throws(() => encodeCommand({ cmd: 'generate', prompt: 'x'.repeat(MAX_COMMAND_LINE) }), /at most 4096/);
    assert.ok(encodeCommand({ cmd: 'generate', prompt: 'x'.repeat(4000) }).length <= MAX_COMMAND_LINE + 2);
  });
});
